"""A private, headless CUPS with a cups-pdf queue, started and stopped by the tests.

The scheduler runs from its own ServerRoot under a temporary directory and listens only on
its own Unix socket; clients reach it through ``CUPS_SERVER``. cups-pdf reads its
per-queue configuration from ``/etc/cups/cups-pdf-<queue>.conf`` (a compiled-in path,
selected by the device URI ``cups-pdf:/<queue>``), so that one file is written there for
the run and removed afterwards; nothing else outside the temporary directory is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI, require_tool

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")

CUPSD_CONF = """Listen {root}/cups.sock
LogLevel warn
WebInterface No
Browsing Off
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""
FILES_CONF = """ServerRoot {root}
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
"""


@dataclass(frozen=True)
class PdfQueue:
    name: str
    socket: str
    out_dir: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CUPS_SERVER": self.socket, "LANG": "C"}
        return subprocess.run(list(args), capture_output=True, text=True, env=env, timeout=30)

    def wait_for_pdf(self, job_id: str, timeout: float = 30.0) -> Path:
        """The PDF cups-pdf wrote for ``job_id`` (its name ends in -job_<n>.pdf)."""
        number = job_id.rsplit("-", 1)[1]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = sorted(self.out_dir.glob(f"*job_{number}.pdf"))
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"cups-pdf wrote no PDF for {job_id} in {timeout} s")


def _need(condition: bool, message: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def _cupsd() -> Iterator[PdfQueue]:
    cupsd = require_tool("cupsd", "A4 printing tests need CUPS")
    lpadmin = require_tool("lpadmin", "A4 printing tests need CUPS")
    require_tool("lp", "A4 printing tests need cups-client")
    require_tool("pdfinfo", "A4 printing tests check page size with poppler-utils")
    _need(BACKEND.exists() and PPD.exists(), "printer-driver-cups-pdf is not installed")
    _need(os.geteuid() == 0, "the cups-pdf backend runs only under a root cupsd")
    # Not under pytest's tmp_path: its 0700 parents keep CUPS's filters (user lp) out.
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
    root.chmod(0o755)
    for sub in ("spool", "cache", "state", "log", "out"):
        (root / sub).mkdir()
    (root / "tmp").mkdir(mode=0o1777)
    os.chmod(root / "tmp", 0o1777)
    (root / "cupsd.conf").write_text(CUPSD_CONF.format(root=root))
    (root / "cups-files.conf").write_text(FILES_CONF.format(root=root))
    sock = str(root / "cups.sock")
    log = (root / "cupsd.out").open("w")
    proc = subprocess.Popen([cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s",
                             str(root / "cups-files.conf")], stdout=log, stderr=log)
    name = f"kiosk-pdf-{os.getpid()}"
    pdf_conf = Path(f"/etc/cups/cups-pdf-{name}.conf")
    try:
        deadline = time.monotonic() + 15
        while not os.path.exists(sock):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"cupsd did not start: {(root / 'cupsd.out').read_text()}")
            time.sleep(0.05)
        pdf_conf.write_text(f"Out {root / 'out'}\nLog {root / 'log'}\n")
        queue = PdfQueue(name, sock, root / "out")
        added = queue.run(lpadmin, "-p", name, "-E", "-v", f"cups-pdf:/{name}", "-P", str(PPD),
                          "-o", "PageSize=A4")
        assert added.returncode == 0, added.stderr
        yield queue
    finally:
        pdf_conf.unlink(missing_ok=True)
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pdf_queue(_cupsd: PdfQueue, monkeypatch: pytest.MonkeyPatch) -> PdfQueue:
    """The cups-pdf queue, with CUPS_SERVER pointing this test's commands at it."""
    monkeypatch.setenv("CUPS_SERVER", _cupsd.socket)
    return _cupsd
