"""The pyscard boundary: readers, card presence and APDU transport over pcsc-lite.

Every pyscard return code is translated here, and only here, into the errors of
``devices.smartcard.errors``. A reader named ``Virtual PCD`` (vsmartcard-vpcd, which
lets anyone on the network insert a card) is refused unless the context is built with
``allow_virtual=True``, which the application does only in demo or test mode.

pcsc-lite finds its daemon through the socket ``/run/pcscd/pcscd.comm``, or the path in
the environment variable ``PCSCLITE_CSOCK_NAME`` (read once per process, on first use).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from smartcard import scard as sc

from devices.smartcard.errors import (
    CardRemovedError,
    NoCardError,
    NoReaderError,
    ReaderFaultError,
    VirtualReaderRefusedError,
)

log = logging.getLogger(__name__)

VIRTUAL_READER_PREFIX = "Virtual PCD"

_NO_SERVICE = frozenset({sc.SCARD_E_NO_SERVICE, sc.SCARD_E_SERVICE_STOPPED,
                         sc.SCARD_E_INVALID_HANDLE, sc.SCARD_E_NO_READERS_AVAILABLE})
_CARD_GONE = frozenset({sc.SCARD_W_REMOVED_CARD, sc.SCARD_E_NO_SMARTCARD,
                        sc.SCARD_W_RESET_CARD, sc.SCARD_W_UNPOWERED_CARD})
# How long a failed transmit may take to show up as "card absent" in pcscd's reader state:
# its polling thread looks at a reader a few times a second.
_REMOVAL_GRACE_S = 1.5


def is_virtual_reader(name: str) -> bool:
    return name.startswith(VIRTUAL_READER_PREFIX)


def _message(hresult: int) -> str:
    return f"{sc.SCardGetErrorMessage(hresult).strip()} (0x{hresult & 0xFFFFFFFF:08X})"


@dataclass(frozen=True)
class ReaderStatus:
    name: str
    card_present: bool
    atr: bytes
    virtual: bool
    allowed: bool       # False for a virtual reader outside demo/test mode


class PcscContext:
    """One PC/SC context. Use as a context manager, or call open() and close()."""

    def __init__(self, *, allow_virtual: bool = False) -> None:
        self.allow_virtual = allow_virtual
        self._handle: Any = None
        self._lock = threading.Lock()

    def open(self) -> PcscContext:
        hresult, handle = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
        if hresult != sc.SCARD_S_SUCCESS:
            raise NoReaderError(f"the PC/SC service is not running: {_message(hresult)}")
        self._handle = handle
        return self

    def close(self) -> None:
        with self._lock:
            handle, self._handle = self._handle, None
        if handle is not None:
            sc.SCardReleaseContext(handle)

    def __enter__(self) -> PcscContext:
        return self.open()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def cancel(self) -> None:
        """Wake a wait_for_card() blocked on another thread (it then re-checks its deadline)."""
        with self._lock:
            if self._handle is not None:
                sc.SCardCancel(self._handle)

    @property
    def handle(self) -> Any:
        if self._handle is None:
            raise RuntimeError("PcscContext is not open")
        return self._handle

    # -- readers ---------------------------------------------------------------------
    def reader_names(self) -> list[str]:
        """Every reader pcscd knows, refused virtual ones included."""
        hresult, names = sc.SCardListReaders(self.handle, [])
        if hresult == sc.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != sc.SCARD_S_SUCCESS:
            raise NoReaderError(f"listing readers failed: {_message(hresult)}")
        return list(names)

    def statuses(self) -> list[ReaderStatus]:
        """Each reader with whether a card is in it (for ``kiosk devices list``)."""
        names = self.reader_names()
        if not names:
            return []
        states = self._states(names, timeout_ms=0)
        return [ReaderStatus(name, bool(state & sc.SCARD_STATE_PRESENT), atr,
                             is_virtual_reader(name),
                             self.allow_virtual or not is_virtual_reader(name))
                for name, state, atr in states]

    def usable_readers(self, wanted: str | None = None) -> list[str]:
        """Readers this context may use; NoReaderError (or its virtual kind) when none."""
        names = self.reader_names()
        if wanted is not None:
            matches = [n for n in names if n == wanted] or [n for n in names if wanted in n]
            if not matches:
                raise NoReaderError(f"no reader named {wanted!r}; readers: {names or 'none'}")
            names = matches[:1]
        usable = [n for n in names if self.allow_virtual or not is_virtual_reader(n)]
        if not usable and names:
            raise VirtualReaderRefusedError(names[0])
        if not usable:
            raise NoReaderError()
        return usable

    def wait_for_card(self, reader: str | None, timeout: float) -> str:
        """The name of a usable reader with a card in it, waiting up to ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            names = self.usable_readers(reader)
            remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
            states = self._states(names, timeout_ms=0)
            for name, state, _atr in states:
                if state & sc.SCARD_STATE_PRESENT and not state & sc.SCARD_STATE_MUTE:
                    return str(name)
            if remaining_ms == 0:
                raise NoCardError(device=reader or "")
            # Block until something changes (or 250 ms pass, to notice new readers).
            current = [(name, state & ~sc.SCARD_STATE_CHANGED) for name, state, _ in states]
            hresult, _ = sc.SCardGetStatusChange(self.handle, min(250, remaining_ms), current)
            if hresult not in (sc.SCARD_S_SUCCESS, sc.SCARD_E_TIMEOUT, sc.SCARD_E_CANCELLED,
                               sc.SCARD_E_UNKNOWN_READER):
                raise _reader_error(hresult, reader or "")

    def card_leaves_within(self, reader: str, seconds: float) -> bool:
        """True when ``reader`` is (or within ``seconds`` becomes) empty or unavailable."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                (_name, state, _atr), = self._states([reader], timeout_ms=0)
            except (NoReaderError, ReaderFaultError):
                return True
            if not state & sc.SCARD_STATE_PRESENT:
                return True
            remaining_ms = int((deadline - time.monotonic()) * 1000)
            if remaining_ms <= 0:
                return False
            sc.SCardGetStatusChange(self.handle, remaining_ms,
                                    [(reader, state & ~sc.SCARD_STATE_CHANGED)])

    def _states(self, names: list[str], timeout_ms: int) -> list[tuple[str, int, bytes]]:
        hresult, states = sc.SCardGetStatusChange(
            self.handle, timeout_ms, [(n, sc.SCARD_STATE_UNAWARE) for n in names])
        if hresult not in (sc.SCARD_S_SUCCESS, sc.SCARD_E_TIMEOUT):
            raise _reader_error(hresult, ",".join(names))
        return [(str(name), int(state), bytes(atr)) for name, state, atr in states]

    # -- cards -----------------------------------------------------------------------
    def connect(self, reader: str) -> PcscCard:
        """Connect to the card in ``reader`` and hold it for this process until close()."""
        self.usable_readers(reader)
        hresult, card, protocol = sc.SCardConnect(
            self.handle, reader, sc.SCARD_SHARE_SHARED,
            sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1)
        if hresult != sc.SCARD_S_SUCCESS:
            if hresult in _CARD_GONE:
                raise NoCardError(device=reader)
            raise _reader_error(hresult, reader)
        hresult = sc.SCardBeginTransaction(card)
        if hresult != sc.SCARD_S_SUCCESS:
            sc.SCardDisconnect(card, sc.SCARD_LEAVE_CARD)
            raise _card_error(hresult, reader, self)
        return PcscCard(self, reader, card, int(protocol))


class PcscCard:
    """A connected card: the APDU transport of :class:`~devices.smartcard.reader.
    SocialSecurityCardReader`. Close it (or use ``with``) to release the card."""

    def __init__(self, context: PcscContext, reader: str, handle: Any, protocol: int) -> None:
        self.reader = reader
        self.protocol = protocol
        self._context = context
        self._handle: Any = handle

    def transmit(self, apdu: bytes) -> bytes:
        if self._handle is None:
            raise RuntimeError("the card connection is closed")
        hresult, response = sc.SCardTransmit(self._handle, self.protocol, list(apdu))
        if hresult != sc.SCARD_S_SUCCESS:
            raise _card_error(hresult, self.reader, self._context)
        if len(response) < 2:
            # vpcd answers "success, no bytes" when the card's connection has just closed.
            if self._context.card_leaves_within(self.reader, _REMOVAL_GRACE_S):
                raise CardRemovedError(device=self.reader)
            raise ReaderFaultError(f"the reader returned {len(response)} bytes, less than a "
                                   "status word", device=self.reader)
        return bytes(response)

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            sc.SCardEndTransaction(handle, sc.SCARD_LEAVE_CARD)
            sc.SCardDisconnect(handle, sc.SCARD_LEAVE_CARD)

    def __enter__(self) -> PcscCard:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _reader_error(hresult: int, reader: str) -> NoReaderError | ReaderFaultError:
    if hresult in _NO_SERVICE:
        return NoReaderError(f"the PC/SC service stopped answering: {_message(hresult)}",
                             device=reader)
    if hresult in (sc.SCARD_E_READER_UNAVAILABLE, sc.SCARD_E_UNKNOWN_READER):
        return NoReaderError(f"the reader was disconnected: {_message(hresult)}", device=reader)
    return ReaderFaultError(_message(hresult), device=reader)


def _card_error(hresult: int, reader: str,
                context: PcscContext) -> CardRemovedError | NoReaderError | ReaderFaultError:
    """Why a transmit failed. vpcd reports a vanished card as a communication error first,
    so an unexplained failure is checked against the reader's state before calling it a
    fault."""
    if hresult in _CARD_GONE:
        return CardRemovedError(device=reader)
    if hresult in _NO_SERVICE or hresult == sc.SCARD_E_READER_UNAVAILABLE:
        return _reader_error(hresult, reader)
    if context.card_leaves_within(reader, _REMOVAL_GRACE_S):
        return CardRemovedError(device=reader)
    log.warning("smartcard.transmit_failed", extra={"ctx": {
        "reader": reader, "hresult": f"0x{hresult & 0xFFFFFFFF:08X}"}})
    return ReaderFaultError(_message(hresult), device=reader)
