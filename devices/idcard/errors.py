"""Errors of the ID-card reader driver.

DeviceError                                 (devices.errors)
└── IdCardError                             anything about the ID-card reader or the card
    ├── ReaderError                         the reader or its link failed: call a technician
    │   ├── PortError                       the port cannot be opened (missing, busy, rights)
    │   ├── ReaderNotFound                  auto-detection found no port with a reader
    │   ├── ReaderDisconnected              the port went away while in use (unplugged)
    │   ├── ReaderTimeout                   no complete reply in time (or at no baud rate)
    │   ├── ProtocolError                   replies unusable: line noise or a driver bug
    │   │   └── FrameError                  one received frame is malformed
    │   │       └── ChecksumError           ... its XOR checksum is wrong
    │   └── SamFaultError                   the security module failed (SW3 60, 66, 47)
    └── CardError                           the card could not be used: ask the citizen
        ├── CardReadError                   reading failed (SW3 81, 41, 31, 32, 33, 40, 37, 3F)
        ├── CardDataError                   the card's text block cannot be decoded
        └── CardValidityError               the card is not valid today
            ├── CardExpiredError            ... its validity has ended
            └── CardNotYetValidError        ... its validity has not started

"No card on the reader" (SW3 80) is not an error: :meth:`IdCardReader.find_card` returns
False. SW3 91 ("the card holds no such item") is not one either: the appended address is
None. Everything here carries a Chinese and an English message saying what to do;
``sw3`` is the on-wire status code when one caused the error.
"""

from __future__ import annotations

from devices.errors import DeviceError


class IdCardError(DeviceError):
    """A known failure of the ID-card reader or of the card on it."""

    def __init__(self, en: str, zh: str = "", *, device: str = "", sw3: int | None = None) -> None:
        super().__init__(en, zh, device=device)
        self.sw3 = sw3


class ReaderError(IdCardError):
    """The reader or its link failed; a technician has to look at it."""


class PortError(ReaderError):
    """The serial port cannot be opened."""


class ReaderNotFound(ReaderError):
    """No port is configured, and no serial port has a reader that answers."""


class ReaderDisconnected(ReaderError):
    """The port went away while in use (USB cable pulled, reader powered off)."""


class ReaderTimeout(ReaderError):
    """The reader did not send a complete reply in time."""


class ProtocolError(ReaderError):
    """Replies could not be understood even after a retry (line noise, wrong device, bug)."""


class FrameError(ProtocolError):
    """One received frame is malformed (length fields or status bytes inconsistent)."""


class ChecksumError(FrameError):
    """A received frame's XOR checksum is wrong."""


class SamFaultError(ReaderError):
    """The reader's security module (SAM) refuses to work: it needs maintenance."""


class CardError(IdCardError):
    """The card could not be used; the citizen can usually fix it by re-placing it."""


class CardReadError(CardError):
    """The reader found a card but could not read it."""


class CardDataError(CardError):
    """The card was read but its contents cannot be decoded."""


class CardValidityError(CardError):
    """The card is not valid on the day it was presented."""


class CardExpiredError(CardValidityError):
    """The card's validity period has ended."""


class CardNotYetValidError(CardValidityError):
    """The card's validity period has not started yet."""


# What each on-wire status means and what a person should do about it: (class, en, zh).
_RE_PLACE_EN = "Please lift the ID card and place it flat on the reader again."
_RE_PLACE_ZH = "请拿起身份证，重新平放在读卡区。"
_MAINTENANCE_EN = "The ID-card reader needs maintenance; please ask staff for help."
_MAINTENANCE_ZH = "身份证阅读器需要维护，请联系工作人员。"
_NOISE_EN = "The ID-card reader sent an answer that could not be understood"
_NOISE_ZH = "身份证阅读器应答异常"

SW3_ERRORS: dict[int, tuple[type[IdCardError], str, str]] = {
    0x10: (ProtocolError, f"{_NOISE_EN} (it reports a checksum error in our command); "
                          "check the cable.", f"{_NOISE_ZH}（命令校验和错误），请检查连接线。"),
    0x11: (ProtocolError, f"{_NOISE_EN} (it reports a length error in our command); "
                          "check the cable.", f"{_NOISE_ZH}（命令长度错误），请检查连接线。"),
    0x21: (ProtocolError, f"{_NOISE_EN} (command not recognised); check that the device "
                          "is a supported ID-card reader.",
           f"{_NOISE_ZH}（命令无法识别），请确认设备是受支持的身份证阅读器。"),
    0x23: (ProtocolError, f"{_NOISE_EN} (operation not allowed in its current state).",
           f"{_NOISE_ZH}（越权操作）。"),
    0x24: (ProtocolError, f"{_NOISE_EN} (unrecognised error).", f"{_NOISE_ZH}（未知错误）。"),
    0x31: (CardReadError, f"The card did not accept the reader. {_RE_PLACE_EN}",
           f"证件未能认证阅读器。{_RE_PLACE_ZH}"),
    0x32: (CardReadError, f"The reader could not authenticate the card. {_RE_PLACE_EN}",
           f"阅读器未能认证证件。{_RE_PLACE_ZH}"),
    0x33: (CardReadError, f"The card's information could not be verified. {_RE_PLACE_EN}",
           f"证件信息验证失败。{_RE_PLACE_ZH}"),
    0x37: (CardReadError, "The card's fingerprint data could not be verified. "
                          f"{_RE_PLACE_EN}", f"指纹信息验证错误。{_RE_PLACE_ZH}"),
    0x3F: (CardReadError, f"The card's information has a wrong length. {_RE_PLACE_EN}",
           f"证件信息长度错误。{_RE_PLACE_ZH}"),
    0x40: (CardReadError, "This card is not a recognised ID card. Please use a resident ID "
                          "card, a foreign permanent resident ID card or a residence permit.",
           "无法识别该证件类型。请使用居民身份证、外国人永久居留身份证或港澳台居民居住证。"),
    0x41: (CardReadError, f"Reading the card failed. {_RE_PLACE_EN}",
           f"读卡失败。{_RE_PLACE_ZH}"),
    0x47: (SamFaultError, f"The reader's security module failed to get a random number. "
                          f"{_MAINTENANCE_EN}", f"安全模块取随机数失败。{_MAINTENANCE_ZH}"),
    0x60: (SamFaultError, f"The reader's security module failed its self-test. "
                          f"{_MAINTENANCE_EN}", f"安全模块自检失败。{_MAINTENANCE_ZH}"),
    0x66: (SamFaultError, f"The reader's security module is not authorised. "
                          f"{_MAINTENANCE_EN}", f"安全模块未经授权。{_MAINTENANCE_ZH}"),
    0x80: (CardReadError, f"No card was found on the reader. {_RE_PLACE_EN}",
           f"未找到证件。{_RE_PLACE_ZH}"),
    0x81: (CardReadError, f"The card could not be selected. {_RE_PLACE_EN}",
           f"选取证件失败。{_RE_PLACE_ZH}"),
}

#: Statuses that mean "line noise or a confused exchange": the command is retried once.
RETRYABLE_SW3 = frozenset({0x10, 0x11, 0x21, 0x23, 0x24})


def error_for_sw3(sw3: int, *, command: str, device: str = "") -> IdCardError:
    """The error to raise for an unexpected on-wire status ``sw3`` in reply to ``command``."""
    cls: type[IdCardError] = ProtocolError
    en, zh = f"{_NOISE_EN} (unknown status {sw3:02X}).", f"{_NOISE_ZH}（未知状态 {sw3:02X}）。"
    if (known := SW3_ERRORS.get(sw3)) is not None:
        cls, en, zh = known
    return cls(f"{en} [{command}: SW3 {sw3:02X}]", zh, device=device, sw3=sw3)
