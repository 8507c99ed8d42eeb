"""The states of a card reader, in a module of their own (it imports no driver), so that the
status bar can name them without loading the drivers before the first frame.

* :class:`ReaderState` is whether a reader answers, as its monitor's events leave it
  (``devices.idcard.monitor.READER_STATES``): what the kiosk's status bar shows.
* :class:`ReaderHealth` is the platform API's word for a card reader in the heartbeat
  (defined with the API's other words in ``civic.devices``): what the fleet is told.
"""

from __future__ import annotations

from enum import StrEnum

from civic.devices import ReaderHealth  # the platform API's words (re-exported)

__all__ = ["ReaderHealth", "ReaderState"]


class ReaderState(StrEnum):
    OK = "ok"          # connected and answering
    LOST = "lost"      # not answering: unplugged, powered off, or not found yet
