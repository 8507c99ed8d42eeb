"""The states of a card reader, in a module of their own (it imports no driver), so that the
status bar can name them without loading the drivers before the first frame.

* :class:`ReaderState` is whether a reader answers, as its monitor's events leave it
  (``devices.idcard.monitor.READER_STATES``): what the kiosk's status bar shows.
* :class:`ReaderHealth` is the platform API's word for a card reader in the heartbeat
  (``devices.idcard`` / ``devices.smartcard`` in ``POST /v1/heartbeat``): what the fleet is
  told. The application decides between ``absent`` and ``error`` for a reader that does not
  answer: none was ever found, or the one that was found (or configured) has gone.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ReaderHealth", "ReaderState"]


class ReaderState(StrEnum):
    OK = "ok"          # connected and answering
    LOST = "lost"      # not answering: unplugged, powered off, or not found yet


class ReaderHealth(StrEnum):
    OK = "ok"          # a reader is there and answers
    ABSENT = "absent"  # no reader attached (or none found yet)
    ERROR = "error"    # the configured (or once found) reader does not answer
