"""Wait for a social-security card in a PC/SC reader and read it: the one call most
callers need (the ``kiosk devices smartcard read`` command, the application's worker)."""

from __future__ import annotations

from devices.smartcard.model import SocialSecurityCard
from devices.smartcard.pcsc import PcscContext
from devices.smartcard.reader import SocialSecurityCardReader


def read_card(context: PcscContext, reader: str | None = None,
              timeout: float = 10.0) -> SocialSecurityCard:
    """Wait up to ``timeout`` s for a card in ``reader`` (or any usable reader) and read it.

    Raises NoReaderError (VirtualReaderRefusedError), NoCardError, CardRemovedError,
    NotSocialSecurityCardError, ReaderFaultError. Protected holder data is not an error:
    see ``SocialSecurityCard.protected_fields``.
    """
    name = context.wait_for_card(reader, timeout)
    with context.connect(name) as card:
        return SocialSecurityCardReader(card, reader_name=name).read()
