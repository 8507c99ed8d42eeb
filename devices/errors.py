"""The root of every error a device driver raises.

DeviceError                        a device failed in a way a person can act on
├── idcard.errors.*                ID-card readers (serial SAM protocol)
├── smartcard.errors.*             social-security cards over PC/SC
└── printer.errors.*               receipt printers (ESC/POS)

Each kind of device keeps its subtree in its own ``errors.py``, drawn in that module's
docstring. Lower-layer exceptions (``serial.SerialException``, pyscard's, ``OSError``) are
translated into these at one boundary in each driver with ``raise ... from exc``. The
message (``str(exc)``) says what happened and what to do, in words a citizen or a
technician can act on; ``user_message`` gives it in Chinese and English for the screens.
"""

from __future__ import annotations


class DeviceError(Exception):
    """A known device failure. ``zh`` and ``en`` are what to show; str() is the English."""

    def __init__(self, en: str, zh: str = "", *, device: str = "") -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh or en
        self.device = device

    @property
    def user_message(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}
