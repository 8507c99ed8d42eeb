"""The PDF preview the citizen sees before printing, and printing it through CUPS.

The pages are rasterised with poppler's ``pdftoppm`` (Debian poppler-utils): the
PySide6-Addons wheel we install ships no QtPdf module, and rendering the very PDF file
that will go to CUPS keeps "what you see" equal to "what is printed".
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PySide6.QtGui import QImage

from kiosk.documents import cups
from kiosk.documents.errors import DocumentError
from kiosk.documents.layout import ApplicationCopy, ProofDocument, write_pdf


def render_pages(pdf: Path, out_dir: Path, dpi: int = 100) -> list[Path]:
    """PNG files of every page of ``pdf``, in order."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise DocumentError("pdftoppm is not installed (Debian: poppler-utils)",
                            "预览组件未安装，请联系工作人员")
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / pdf.stem
    try:
        subprocess.run([exe, "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True,
                       capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DocumentError(f"the preview of {pdf.name} could not be rendered: {exc}",
                            "预览生成失败，请联系工作人员") from exc
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def page_images(pdf: Path, out_dir: Path, dpi: int = 100) -> list[QImage]:
    """The pages as QImages, for a preview screen."""
    return [QImage(str(path)) for path in render_pages(pdf, out_dir, dpi)]


def print_document(doc: ProofDocument | ApplicationCopy, queue: str, work_dir: Path,
                   timeout: float = 60.0) -> str:
    """Lay out, print on the named CUPS queue without a dialog, wait for completion.

    The PDF is written in ``work_dir`` and removed afterwards. Returns the CUPS job id.
    """
    work_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    title = doc.title if isinstance(doc, ProofDocument) else doc.as_proof().title
    pdf = write_pdf(doc, work_dir / "document.pdf")
    try:
        job = cups.submit(queue, pdf, title)
        cups.wait_for_job(queue, job, timeout)
        return job
    finally:
        pdf.unlink(missing_ok=True)
