"""The citizen's submission receipt, designed once for paper and for the screen.

:func:`submission_receipt` builds the slip as a printer document (``devices.printer``):
title, item, case number (online) or local receipt number (offline), date, the citizen's
*masked* name and ID number, what happens next, and a QR code of the platform's tracking
URL for the submission.

The slip is in the session's language — Chinese, or English for foreign residents — with
one layout for both: the same elements in the same order, every label from
``kiosk.flows.messages`` (``slip.*``). An English slip also carries the Chinese title and the
item's official Chinese name, so staff at any counter can read it.

"Rendered the same" is guaranteed by construction: :func:`slip_bytes` encodes the slip
once; the printer receives those bytes, and :func:`preview_png` runs the printer
emulator's decoder and renderer on *the same bytes* to draw the on-screen preview. The
preview is therefore what the printer was told to print, not a second layout that could
drift from it. Qt-free: the screen just shows the PNG.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from civic.pii import Personal
from devices.printer import (
    Align,
    Encoder,
    Feed,
    Paragraph,
    PrinterProfile,
    QrCode,
    Receipt,
    Row,
    Separator,
)
from devices.printer.elements import Element
from devices.printer.emulator.decoder import decode
from devices.printer.emulator.render import slip_png
from devices.printer.glyphs import GlyphRenderer
from kiosk.flows.messages import tr

if TYPE_CHECKING:       # the slip's module is loaded before the crypto library is needed
    from civic.records import Record

PLACEHOLDER = "{submission_id}"


def tracking_url(template: str, submission_id: str) -> str:
    """The tracking URL from the enrolment answer's ``tracking_url_template``."""
    if PLACEHOLDER not in template:
        raise ValueError(f"tracking_url_template has no {PLACEHOLDER} placeholder")
    url = template.replace(PLACEHOLDER, quote(submission_id, safe=""))
    if not url.isascii():
        raise ValueError("the tracking URL must be ASCII to fit a receipt QR code")
    return url


@dataclass(frozen=True)
class SubmissionReceipt:
    """What a submission's slip says. Name and ID number are :class:`Personal`: masked in
    ``repr`` and only ever printed masked."""

    item_name: str
    submission_id: str
    submitted_at: dt.datetime
    applicant_name: Personal
    applicant_id_number: Personal
    tracking_url_template: str
    case_number: str | None = None
    local_receipt_number: str | None = None
    next_steps: str = ""
    site_name: str = ""
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    language: str = "zh"               # the session's: "zh" or "en"
    official_item_name: str = ""       # the Chinese name, printed under an English one

    def __post_init__(self) -> None:
        if not (self.case_number or self.local_receipt_number):
            raise ValueError("a receipt needs a case number (online) or a local receipt "
                             "number (offline)")
        if self.language not in ("zh", "en"):
            raise ValueError(f"no slip in language {self.language!r}")
        for name, kind in (("applicant_name", "name"), ("applicant_id_number", "id_number")):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, Personal(value, kind))

    @property
    def offline(self) -> bool:
        return not self.case_number


def submission_receipt(info: SubmissionReceipt) -> Receipt:
    """The slip as a printer document; only masked personal data goes into it."""
    url = tracking_url(info.tracking_url_template, info.submission_id)
    lang = info.language

    def t(key: str) -> str:
        return tr(key, lang)

    title = "slip.title_offline" if info.offline else "slip.title_online"
    elements: list[Element] = [
        Paragraph(t(title), align=Align.CENTER, bold=True, width=2, height=2)]
    if lang != "zh":                   # the official title, for staff at any counter
        elements.append(Paragraph(tr(title, "zh"), align=Align.CENTER))
    if info.site_name:
        elements.append(Paragraph(info.site_name, align=Align.CENTER))
    elements += [Separator(), Row(t("slip.item"), info.item_name)]
    if info.official_item_name and info.official_item_name != info.item_name:
        elements.append(Paragraph(info.official_item_name, align=Align.RIGHT))
    if info.offline:
        elements += [Row(t("slip.local"), info.local_receipt_number or ""),
                     Paragraph(t("slip.offline_note"))]
    else:
        elements.append(Row(t("slip.case"), info.case_number or ""))
    elements += [
        Row(t("slip.submitted"), info.submitted_at.strftime("%Y-%m-%d %H:%M")),
        Row(t("slip.applicant"), info.applicant_name.masked()),
        Row(t("slip.id_number"), info.applicant_id_number.masked()),
        *(Row(label, value) for label, value in info.extra),
        Separator(),
    ]
    if info.next_steps:
        elements += [Paragraph(t("slip.next"), bold=True), Paragraph(info.next_steps)]
    elements += [Feed(1), QrCode(url), Paragraph(t("slip.scan"), align=Align.CENTER),
                 Feed(1), Paragraph(t("slip.keep"), align=Align.CENTER)]
    return Receipt(tuple(elements), name="submission-receipt")


def record_slip(record: Record, *, site_name: str = "", language: str = "zh") -> Receipt:
    """A verified certified record on the slip: its rows, id, verification code and a QR of
    its verify URL. Only a record that passed ``civic.records.verify`` may be given here;
    the holder is printed masked."""
    def t(key: str) -> str:
        return tr(key, language)

    elements: list[Element] = [
        Paragraph(t("record.title"), align=Align.CENTER, bold=True, width=2, height=2)]
    if language != "zh":
        elements.append(Paragraph(tr("record.title", "zh"), align=Align.CENTER))
    elements.append(Paragraph(record.title.get(language), align=Align.CENTER, bold=True))
    if site_name:
        elements.append(Paragraph(site_name, align=Align.CENTER))
    elements += [Separator(),
                 Row(t("record.holder"), record.holder.name.masked()),
                 Row(t("record.id_number"), record.holder.id_number.masked())]
    for row in record.rows:
        elements += [Paragraph(row.label.get(language), bold=True), Paragraph(row.value)]
    elements += [
        Separator(),
        Row(t("record.issued"), record.issued_at.astimezone().strftime("%Y-%m-%d %H:%M")),
        Row(t("record.valid_until"), record.valid_until.astimezone().strftime("%Y-%m-%d")),
        Paragraph(t("record.id"), bold=True), Paragraph(record.record_id),
        Row(t("record.code"), record.verification_code, bold=True),
        Feed(1), QrCode(record.verify_url), Paragraph(t("record.scan"), align=Align.CENTER),
        Feed(1)]
    return Receipt(tuple(elements), name="certified-record")


def slip_bytes(receipt: Receipt, profile: PrinterProfile,
               encoder: Encoder | None = None) -> bytes:
    """The exact bytes for the printer; print these and preview these."""
    return (encoder or Encoder(profile)).encode(receipt)


def preview_png(data: bytes, profile: PrinterProfile,
                glyphs: GlyphRenderer | None = None) -> bytes:
    """The on-screen preview: the printer emulator's decoding and drawing of ``data``."""
    decoded = decode(data)
    slips = decoded.slips or [decoded.current]
    return slip_png(slips[0], profile.dots, glyphs)
