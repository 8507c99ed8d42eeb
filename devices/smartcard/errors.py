"""What can go wrong reading a social-security card over PC/SC.

DeviceError  (devices.errors)
└── SmartCardError                     any failure of the PC/SC reader or the card
    ├── NoReaderError                  no PC/SC reader (or pcscd is not running)
    │   └── VirtualReaderRefusedError  only "Virtual PCD" readers, outside demo/test mode
    ├── NoCardError                    no card in the reader within the time-out
    ├── CardRemovedError               the card left the reader while it was being read
    ├── NotSocialSecurityCardError     the card has no social-security application (SSSE)
    ├── ProtectedDataError             the holder data needs a counter with a security module
    └── ReaderFaultError               the reader or pcscd failed, or the card answered nonsense
        └── CardResponseError          a status word or record the protocol does not allow
            └── CardDataCorruptedError the card said its data may be corrupted (6281)

pyscard's return codes are translated into these in one place, ``devices.smartcard.pcsc``;
the card protocol (``reader.py``, ``apdu.py``) raises them directly. A third-generation card
that withholds its holder data is *not* an error while reading: the reader returns the
public data with ``protected_fields``, and ``ProtectedDataError`` is raised only when a
caller insists on the holder's identity (``SocialSecurityCard.require_holder``).
"""

from __future__ import annotations

from devices.errors import DeviceError


class SmartCardError(DeviceError):
    """A known failure of a PC/SC reader or of the card in it."""


class NoReaderError(SmartCardError):
    def __init__(self, detail: str = "", *, device: str = "") -> None:
        en = "No smart-card reader was found. Check that the reader is plugged in and that " \
             "the PC/SC service (pcscd) is running."
        super().__init__(f"{en} ({detail})" if detail else en,
                         "未找到社保卡读卡器。请检查读卡器连接，并确认 PC/SC 服务（pcscd）已运行。",
                         device=device)


class VirtualReaderRefusedError(NoReaderError):
    """A ``Virtual PCD`` reader is a development tool: anyone on the network can insert a card."""

    def __init__(self, reader: str) -> None:
        SmartCardError.__init__(
            self,
            f"Refusing the virtual reader {reader!r}: virtual readers (vsmartcard-vpcd) are "
            "for development and tests only. Remove vsmartcard-vpcd from this terminal "
            "(see docs/deployment.md), or allow virtual readers in demo/test mode.",
            "拒绝使用虚拟读卡器：虚拟读卡器仅供开发和测试使用，请联系技术人员。",
            device=reader)


class NoCardError(SmartCardError):
    def __init__(self, device: str = "") -> None:
        super().__init__("No card was placed in the reader in time. Insert the "
                         "social-security card, chip first, and try again.",
                         "未检测到卡片。请将社保卡芯片朝前插入读卡器后重试。", device=device)


class CardRemovedError(SmartCardError):
    def __init__(self, device: str = "") -> None:
        super().__init__("The card was removed while it was being read. Insert it again and "
                         "leave it in until reading has finished.",
                         "读卡过程中卡片被拔出。请重新插入，读卡完成前请勿取出。", device=device)


class NotSocialSecurityCardError(SmartCardError):
    def __init__(self, device: str = "") -> None:
        super().__init__("The card in the reader is not a social-security card. Insert your "
                         "social-security card, or use your ID card instead.",
                         "该卡不是社会保障卡。请插入社保卡，或改用身份证。", device=device)


class ProtectedDataError(SmartCardError):
    def __init__(self, device: str = "") -> None:
        super().__init__(
            "This social-security card keeps the holder's name and ID number protected: "
            "reading them needs a service counter with a security module (PSAM). Please use "
            "your ID card here, or go to a service counter.",
            "这张社保卡的姓名和证件号码受保护，需要在配有安全模块（PSAM）的柜台读取。"
            "请改用身份证，或到服务柜台办理。",
            device=device)


class ReaderFaultError(SmartCardError):
    def __init__(self, detail: str, *, device: str = "") -> None:
        super().__init__(f"The card reader failed: {detail}. Take the card out, check the "
                         "reader's cable and try again; if it keeps failing, call a technician.",
                         "读卡器故障。请取出卡片，检查读卡器连接后重试；如仍失败，请联系工作人员。",
                         device=device)
        self.detail = detail


class CardResponseError(ReaderFaultError):
    """The card answered with a status word or record layout the protocol does not allow."""


class CardDataCorruptedError(CardResponseError):
    """The card answered with data and ``6281``, "part of returned data may be corrupted"
    (ISO 7816-4). The data is not used; the message blames the card, not the reader."""

    def __init__(self, detail: str, *, device: str = "") -> None:
        SmartCardError.__init__(
            self,
            f"The card reported that the data it gave may be damaged ({detail}), so it was not "
            "used. Take the card out, insert it again and retry; if this keeps happening, use "
            "your ID card and have the social-security card checked at a service counter.",
            "卡片报告其返回的数据可能已损坏，本次读取结果未被使用。请取出卡片重新插入后重试；"
            "如仍出现此提示，请改用身份证，并到社保服务窗口检测此卡。",
            device=device)
        self.detail = detail
