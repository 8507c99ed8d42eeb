"""A4 documents: Qt layout to PDF, the page preview, and printing through a real CUPS queue."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from PIL import Image

from civic.pii import Personal
from kiosk.documents import cups
from kiosk.documents.errors import PrintQueueUnavailable
from kiosk.documents.layout import ApplicationCopy, ProofDocument, write_pdf
from kiosk.documents.pdf import page_images, print_document, render_pages

ID_NUMBER = "330110194610230210"


def proof(rows: int = 5) -> ProofDocument:
    fields = (("姓名", Personal("张建国")), ("公民身份号码", Personal(ID_NUMBER, "id_number")),
              ("参保状态", "正常参保"),
              *((f"缴费记录 {i}", f"{2000 + i}年 缴费12个月 ￥{i * 100}.00") for i in range(rows)))
    return ProofDocument("城乡居民基本养老保险参保缴费证明", fields, "KIOSK-330122-0007",
                         dt.datetime(2026, 11, 22, 14, 3), "http://127.0.0.1:8765/v1/verify/1",
                         issuer="杭州市余杭区社会保险管理服务中心")


def copy() -> ApplicationCopy:
    return ApplicationCopy("城乡居民基本养老保险参保登记", "0192f0c2",
                           dt.datetime(2026, 11, 22, 14, 3),
                           (("申请人", Personal("张建国")), ("联系电话", "138****0000")),
                           "KIOSK-330122-0007", "http://127.0.0.1:8765/v1/track/0192f0c2",
                           case_number="ZJ2026112200042", materials=("户口簿", "银行卡"))


def pdfinfo(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {k.strip(): v.strip() for k, _, v in
            (line.partition(":") for line in out.stdout.splitlines())}


def test_proof_is_a4_with_its_title(qapp, tmp_path) -> None:
    """The Qt-written proof is one A4 page titled with the document's title."""
    info = pdfinfo(write_pdf(proof(), tmp_path / "proof.pdf"))
    assert info["Pages"] == "1" and info["Page size"].startswith("595 x 842 pts (A4)")
    assert info["Title"] == "城乡居民基本养老保险参保缴费证明"


def test_long_documents_flow_onto_more_pages(qapp, tmp_path) -> None:
    """Sixty rows do not fit one page: the layout breaks pages instead of clipping."""
    assert int(pdfinfo(write_pdf(proof(60), tmp_path / "long.pdf"))["Pages"]) >= 2


def test_personal_data_is_printed_masked(qapp, tmp_path) -> None:
    """The full ID number never reaches the PDF file."""
    pdf = write_pdf(proof(), tmp_path / "proof.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    assert ID_NUMBER not in text and ID_NUMBER.encode() not in pdf.read_bytes()
    assert "0210" in text or "0210" not in ID_NUMBER      # the masked tail is there


def test_preview_renders_every_page_with_ink(qapp, tmp_path) -> None:
    """The preview gives one image per page, A4-shaped, with something drawn on it."""
    pdf = write_pdf(copy(), tmp_path / "copy.pdf")
    (png,) = render_pages(pdf, tmp_path / "preview", dpi=50)
    image = Image.open(png).convert("L")
    assert abs(image.height / image.width - 297 / 210) < 0.01
    assert image.getextrema()[0] < 64
    (qimage,) = page_images(pdf, tmp_path / "preview2", dpi=50)
    assert not qimage.isNull() and qimage.width() == image.width


@pytest.mark.cups
def test_printing_through_cups_pdf_gives_the_same_a4_pages(qapp, tmp_path, pdf_queue) -> None:
    """A two-page proof printed to the cups-pdf queue comes out as two A4 pages."""
    doc = proof(60)
    expected = pdfinfo(write_pdf(doc, tmp_path / "expected.pdf"))["Pages"]
    job = print_document(doc, pdf_queue.name, tmp_path / "work")
    printed = pdfinfo(pdf_queue.wait_for_pdf(job))
    assert printed["Pages"] == expected and int(expected) >= 2
    assert printed["Page size"].startswith("595 x 842 pts (A4)")
    assert not (tmp_path / "work" / "document.pdf").exists()


@pytest.mark.cups
def test_queue_state_comes_from_cups(pdf_queue) -> None:
    """Idle and accepting; stopped with its reason; not accepting; unknown queue missing."""
    assert cups.queue_state(pdf_queue.name).ready
    try:
        pdf_queue.run("cupsdisable", "-r", "paper jam in tray 2", pdf_queue.name)
        stopped = cups.queue_state(pdf_queue.name)
        assert stopped.state == "stopped" and "paper jam" in stopped.detail
    finally:
        pdf_queue.run("cupsenable", pdf_queue.name)
    try:
        pdf_queue.run("cupsreject", "-r", "maintenance", pdf_queue.name)
        assert not cups.queue_state(pdf_queue.name).accepting
    finally:
        pdf_queue.run("cupsaccept", pdf_queue.name)
    assert cups.queue_state("no-such-queue").state == "missing"


@pytest.mark.cups
def test_a_rejecting_queue_refuses_the_job_before_submitting(qapp, tmp_path, pdf_queue) -> None:
    """Unlike Qt, which reports success, a queue that rejects jobs is an error up front."""
    try:
        pdf_queue.run("cupsreject", "-r", "maintenance", pdf_queue.name)
        with pytest.raises(PrintQueueUnavailable, match="not accepting"):
            print_document(copy(), pdf_queue.name, tmp_path / "work")
    finally:
        pdf_queue.run("cupsaccept", pdf_queue.name)
