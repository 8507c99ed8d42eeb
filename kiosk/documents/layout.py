"""A4 documents laid out with Qt: a query proof and an application copy, as PDF.

Both are the same shape — a title block, label/value rows, a footer naming the issuing
terminal and the date, and a QR code to verify or track — so one painter lays out both.
Written with ``QPdfWriter`` (A4, 300 dpi, 20 mm margins, CJK font), so the PDF the citizen
previews is byte for byte the file sent to CUPS. Values given as :class:`Personal` are
printed masked. Needs a ``QGuiApplication`` (the offscreen platform is enough).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import segno
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from civic.pii import Personal

FONT_FAMILY = "Noto Sans CJK SC"
DPI = 300
MARGIN_MM = 20.0

Value = str | Personal


@dataclass(frozen=True)
class ProofDocument:
    """A ``query_print`` proof: what the platform certified, with a verification QR."""

    title: str
    fields: tuple[tuple[str, Value], ...]
    terminal_id: str
    issued_at: dt.datetime
    verification_url: str
    issuer: str = ""
    note: str = "本证明由政务服务自助终端打印，扫描二维码可核验真伪。"


@dataclass(frozen=True)
class ApplicationCopy:
    """The citizen's copy of what was submitted."""

    item_name: str
    submission_id: str
    submitted_at: dt.datetime
    fields: tuple[tuple[str, Value], ...]
    terminal_id: str
    tracking_url: str
    case_number: str | None = None
    local_receipt_number: str | None = None
    materials: tuple[str, ...] = field(default_factory=tuple)

    def as_proof(self) -> ProofDocument:
        number = (("受理编号", self.case_number) if self.case_number
                  else ("本地回执号", self.local_receipt_number or ""))
        rows: list[tuple[str, Value]] = [("办理事项", self.item_name), number,
                                         ("提交时间", self.submitted_at.strftime("%Y-%m-%d %H:%M"))]
        rows += list(self.fields)
        if self.materials:
            rows.append(("提交材料", "；".join(self.materials)))
        return ProofDocument("申请材料（申请人留存联）", tuple(rows), self.terminal_id,
                             self.submitted_at, self.tracking_url,
                             note="扫描二维码查询办理进度。本联不作为办结凭证。")


def _text(value: Value) -> str:
    return value.masked() if isinstance(value, Personal) else value


class _Pages:
    """A painter on a QPdfWriter, with the cursor and page breaks of a flowing layout."""

    def __init__(self, writer: QPdfWriter, doc: ProofDocument) -> None:
        self.writer, self.doc = writer, doc
        self.painter = QPainter(writer)
        self.mm = writer.resolution() / 25.4
        rect = writer.pageLayout().paintRectPixels(writer.resolution())
        self.width, self.height = float(rect.width()), float(rect.height())
        self.footer_h = 12 * self.mm
        self.y = 0.0
        self.page = 1
        self.fonts: dict[tuple[int, bool], QFont] = {}

    def font(self, size_pt: int, bold: bool = False) -> QFont:
        # Built with the constructor and kept: QFont.setPointSizeF corrupts a reference
        # count in PySide6 6.12 (a crash at interpreter exit after two documents).
        key = (size_pt, bold)
        if key not in self.fonts:
            weight = QFont.Weight.Bold if bold else QFont.Weight.Normal
            self.fonts[key] = QFont(FONT_FAMILY, size_pt, weight)
        self.painter.setFont(self.fonts[key])
        return self.fonts[key]

    def need(self, height: float) -> None:
        if self.y + height > self.height - self.footer_h:
            self.footer()
            self.writer.newPage()
            self.page += 1
            self.y = 0.0

    def block(self, text: str, size: int, *, bold: bool = False, left: float = 0.0,
              width: float | None = None, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
              advance: bool = True) -> float:
        self.font(size, bold)
        width = (self.width - left) if width is None else width
        flags = int(align) | int(Qt.TextFlag.TextWordWrap)
        height = self.measure(text, width, flags)
        if advance:
            self.need(height)
        self.painter.drawText(QRectF(left, self.y, width, height), flags, text)
        if advance:
            self.y += height
        return height

    def measure(self, text: str, width: float, flags: int) -> float:
        """Height of ``text`` wrapped to ``width`` in the painter's current font."""
        return self.painter.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()

    def rule(self, gap_mm: float = 3.0) -> None:
        # A filled strip, not setPen + drawLine: that pair trips a reference-count bug in
        # PySide6 6.12 (a crash at interpreter exit).
        self.y += gap_mm * self.mm / 2
        self.painter.fillRect(QRectF(0, self.y, self.width, 0.3 * self.mm), QColor(90, 90, 90))
        self.y += gap_mm * self.mm / 2

    def footer(self) -> None:
        doc, saved = self.doc, self.y
        self.y = self.height - self.footer_h + 4 * self.mm
        self.block(f"打印终端 {doc.terminal_id}    打印时间 {doc.issued_at:%Y-%m-%d %H:%M}    "
                   f"第 {self.page} 页", 8, advance=False)
        self.y = saved

    def qr(self, data: str, size_mm: float) -> None:
        # One image, scaled without smoothing, rather than a call per module: fewer calls
        # into PySide6 (see docs/printing.md on the 6.12 reference-count bug).
        matrix = segno.make(data, error="m", micro=False).matrix
        n = len(matrix)
        pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
        image = QImage(pixels, n, n, n, QImage.Format.Format_Grayscale8)
        left = self.width - size_mm * self.mm
        self.painter.drawImage(QRectF(left, self.y, size_mm * self.mm, size_mm * self.mm),
                               image)


def write_pdf(doc: ProofDocument | ApplicationCopy, path: Path) -> Path:
    """Lay ``doc`` out on A4 and write it to ``path`` (a private directory: it may hold
    masked personal data only, but it is still the citizen's)."""
    proof = doc.as_proof() if isinstance(doc, ApplicationCopy) else doc
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(proof.title)
    writer.setCreator("kiosk-terminal")
    pages = _Pages(writer, proof)
    try:
        pages.block(proof.title, 20, bold=True, align=Qt.AlignmentFlag.AlignHCenter)
        if proof.issuer:
            pages.block(proof.issuer, 11, align=Qt.AlignmentFlag.AlignHCenter)
        pages.rule(6)
        label_w = 38 * pages.mm
        for label, value in proof.fields:
            text = _text(value) or "—"
            pages.font(11)
            height = pages.measure(text, pages.width - label_w,
                                   int(Qt.TextFlag.TextWordWrap)) + 2.5 * pages.mm
            pages.need(height)
            pages.block(label, 11, bold=True, width=label_w, advance=False)
            pages.block(text, 11, left=label_w, advance=False)
            pages.y += height
        pages.rule(6)
        qr_mm = 32.0
        pages.need(qr_mm * pages.mm)
        top = pages.y
        pages.qr(proof.verification_url, qr_mm)
        pages.block(proof.note, 10, width=pages.width - (qr_mm + 8) * pages.mm, advance=False)
        pages.y = top + qr_mm * pages.mm
        pages.footer()
    finally:
        pages.painter.end()
    return path
