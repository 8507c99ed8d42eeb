"""Social-security cards (社会保障卡) over PC/SC, and a virtual card for tests and the demo.

* :class:`PcscContext` / :class:`PcscCard` (``pcsc.py``): readers and APDU transport on pyscard;
* :class:`SocialSecurityCardReader` (``reader.py``): the card protocol, over any transport;
* :func:`read_card` (``service.py``): wait for a card in a reader and read it;
* :class:`PcscMonitor` (``monitor.py``): readers added/removed and cards inserted/removed,
  reported to observers from its own thread;
* :class:`SocialSecurityCard` (``model.py``): what the card says, with masked repr;
* ``virtual_card.py``: the vpcd virtual card (development and tests only).
"""

from devices.smartcard.errors import (
    CardDataCorruptedError,
    CardRemovedError,
    CardResponseError,
    NoCardError,
    NoReaderError,
    NotSocialSecurityCardError,
    ProtectedDataError,
    ReaderFaultError,
    SmartCardError,
    VirtualReaderRefusedError,
)
from devices.smartcard.model import SocialSecurityCard
from devices.smartcard.monitor import CardPresence, PcscMonitor, PcscObserver
from devices.smartcard.pcsc import PcscCard, PcscContext, ReaderStatus, is_virtual_reader
from devices.smartcard.reader import SocialSecurityCardReader
from devices.smartcard.service import read_card

__all__ = [
    "CardDataCorruptedError",
    "CardPresence",
    "CardRemovedError",
    "CardResponseError",
    "NoCardError",
    "NoReaderError",
    "NotSocialSecurityCardError",
    "PcscCard",
    "PcscContext",
    "PcscMonitor",
    "PcscObserver",
    "ProtectedDataError",
    "ReaderFaultError",
    "ReaderStatus",
    "SmartCardError",
    "SocialSecurityCard",
    "SocialSecurityCardReader",
    "VirtualReaderRefusedError",
    "is_virtual_reader",
    "read_card",
]
