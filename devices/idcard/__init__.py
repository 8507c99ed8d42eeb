"""Second-generation resident ID-card readers speaking the SAM serial protocol.

Layers, bottom up: :mod:`.transport` (bytes over pyserial; the one place OS errors are
translated), :mod:`.frames` (the frame codec), :mod:`.driver` (commands, time-outs,
retries), :mod:`.connect` (open by path, detect the speed), :mod:`.monitor` (the
``idcard-monitor`` thread reporting cards to observers); :mod:`.portscan` probes many
ports at once and :mod:`.autodetect` opens the reader on whichever port it is on.
:mod:`.card`, :mod:`.decode`, :mod:`.layout` and :mod:`.tables` turn the card's bytes into
an :class:`IdCard`;
:mod:`.photo` decodes (or stands in for) its photo; :mod:`.emulator` is a reader on a pty.
The error tree is drawn in :mod:`.errors`.
"""

from devices.idcard.autodetect import AutoDetect
from devices.idcard.card import LONG_TERM, IdCard, LongTerm
from devices.idcard.commands import BAUD_RATES, Timeouts
from devices.idcard.connect import connect
from devices.idcard.driver import IdCardReader, RawCardData, SamId
from devices.idcard.layout import CardType
from devices.idcard.monitor import EventKind, ReaderEvent, ReaderMonitor
from devices.idcard.photo import DecodedPhoto, PhotoDecoder, PlaceholderPhotoDecoder

__all__ = [
    "BAUD_RATES", "LONG_TERM", "AutoDetect", "CardType", "DecodedPhoto", "EventKind",
    "IdCard", "IdCardReader", "LongTerm", "PhotoDecoder", "PlaceholderPhotoDecoder",
    "RawCardData", "ReaderEvent", "ReaderMonitor", "SamId", "Timeouts", "connect",
]
