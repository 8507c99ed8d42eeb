"""Errors of A4 document printing.

KioskError (kiosk.errors)
└── DocumentError                  an A4 document could not be produced or printed
    ├── PrintQueueUnavailable      the CUPS queue is missing, stopped or refusing jobs,
    │                              or CUPS is not running (names the queue and the reason)
    └── PrintJobError              ``lp`` refused the job, or it did not complete in time

``subprocess`` failures of ``lp``/``lpstat`` are translated in :mod:`kiosk.documents.cups`.
"""

from __future__ import annotations

from kiosk.errors import KioskError


class DocumentError(KioskError):
    exit_code = 3

    def __init__(self, en: str, zh: str = "") -> None:
        super().__init__(en)
        self.en, self.zh = en, zh or en


class PrintQueueUnavailable(DocumentError):
    pass


class PrintJobError(DocumentError):
    pass
