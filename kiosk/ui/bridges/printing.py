"""The flow's printer service: receipts and A4 proofs on the ``printer`` worker thread.

A receipt job encodes the slip once, draws the on-screen preview from those very bytes
(``kiosk.receipts.preview_png``), then prints them; the preview is returned whatever the
printer says, so a citizen whose slip did not print still sees it on screen. A4 proofs are
laid out once as a PDF (``kiosk.documents``): its pages are the preview, the same file goes
to CUPS — or, on a terminal configured without an A4 queue (the demo), into a directory.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from civic.text import Text
from devices.printer import PrinterError, PrinterProfile, Receipt, ReceiptPrinter
from devices.printer.glyphs import GlyphRenderer
from kiosk.documents.errors import DocumentError
from kiosk.flows.services import PrintOutcome, ProofContent
from kiosk.receipts import preview_png, slip_bytes
from kiosk.ui.bridges.invoker import GuiInvoker, Worker

if TYPE_CHECKING:
    from kiosk.documents.layout import ProofDocument

log = logging.getLogger(__name__)

NO_PRINTER = Text("本机未连接回执打印机，请记下屏幕上的编号", "No receipt printer here; "
                       "please note the number on screen")
NO_A4 = Text("本机未连接A4打印机，请联系工作人员", "No A4 printer here; please ask staff")


class PrinterBridge(QObject):
    """Implements ``kiosk.flows.services.PrinterService``; ``paper_state`` reports the
    receipt printer's state after each job (and at start)."""

    paper_state = Signal(str)

    def __init__(self, invoker: GuiInvoker, printer: ReceiptPrinter | None,
                 profile: PrinterProfile, *, a4_queue: str = "", a4_out_dir: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._printer, self._profile = printer, profile
        self._a4_queue, self._a4_out_dir = a4_queue, a4_out_dir
        self._glyphs: GlyphRenderer | None = None
        self._worker = Worker("printer", invoker)
        self._proofs = 0

    def close(self) -> None:
        self._worker.close()

    def reconfigure(self, printer: ReceiptPrinter | None, profile: PrinterProfile, *,
                    a4_queue: str = "") -> None:
        """Use another printer from the next job on (a technician changed the settings).
        The change is queued behind the job in progress, on the worker that runs them."""
        def swap() -> None:
            self._printer, self._profile, self._a4_queue = printer, profile, a4_queue
            self._glyphs = None
        self._worker.submit(swap, lambda _none: self.check_status())

    def check_status(self) -> None:
        if self._printer is not None:
            printer = self._printer
            self._worker.submit(lambda: printer.status().state.value, self.paper_state.emit)

    # -- receipts -------------------------------------------------------------------------
    def print_receipt(self, slip: Receipt, done: Callable[[PrintOutcome], None]) -> None:
        def finished(outcome: PrintOutcome) -> None:
            self.paper_state.emit(outcome.paper_state)
            done(outcome)
        self._worker.submit(lambda: self._receipt_job(slip), finished)

    def _receipt_job(self, slip: Receipt) -> PrintOutcome:
        data = slip_bytes(slip, self._profile)
        if self._glyphs is None:
            self._glyphs = GlyphRenderer()
        preview = preview_png(data, self._profile, self._glyphs)
        if self._printer is None:
            return PrintOutcome(False, preview, NO_PRINTER, "offline")
        try:
            result = self._printer.print_bytes(data, slip.name)
        except PrinterError as exc:
            state = exc.status.state.value if exc.status else "offline"
            return PrintOutcome(False, preview, Text(exc.zh, exc.en), state)
        return PrintOutcome(True, preview, None, result.after.state.value)

    # -- A4 proofs --------------------------------------------------------------------------
    def preview_proof(self, proof: ProofContent, done: Callable[[list[bytes]], None]) -> None:
        self._worker.submit(lambda: self._preview_job(proof), done)

    def print_proof(self, proof: ProofContent, done: Callable[[PrintOutcome], None]) -> None:
        self._worker.submit(lambda: self._print_job(proof), done)

    @staticmethod
    def _document(proof: ProofContent) -> ProofDocument:
        from kiosk.documents.layout import ProofDocument

        return ProofDocument(proof.title, proof.rows, "", dt.datetime.fromisoformat(
            proof.issued_at_iso), proof.verification_url)

    def _preview_job(self, proof: ProofContent) -> list[bytes]:
        from kiosk.documents.layout import write_pdf
        from kiosk.documents.pdf import render_pages

        work = Path(tempfile.mkdtemp(prefix="kiosk-proof-"))
        try:
            pdf = write_pdf(self._document(proof), work / "proof.pdf")
            return [page.read_bytes() for page in render_pages(pdf, work / "pages", dpi=60)]
        except DocumentError:
            log.exception("proof.preview_failed", extra={"ctx": {}})
            return []
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _print_job(self, proof: ProofContent) -> PrintOutcome:
        from kiosk.documents.layout import write_pdf
        from kiosk.documents.pdf import print_document

        doc = self._document(proof)
        try:
            if self._a4_queue:
                work = Path(tempfile.mkdtemp(prefix="kiosk-a4-"))
                try:
                    print_document(doc, self._a4_queue, work)
                finally:
                    shutil.rmtree(work, ignore_errors=True)
                return PrintOutcome(True)
            if self._a4_out_dir is not None:
                self._proofs += 1
                self._a4_out_dir.mkdir(parents=True, exist_ok=True)
                write_pdf(doc, self._a4_out_dir / f"proof-{self._proofs:04d}.pdf")
                return PrintOutcome(True)
        except DocumentError as exc:
            return PrintOutcome(False, message=Text(exc.zh or str(exc), str(exc)))
        return PrintOutcome(False, message=NO_A4)
