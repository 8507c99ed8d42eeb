"""The Debian package for real, on this machine: ``scripts/build-deb.sh`` builds version N
and N+1; N is installed with ``apt-get install``, its unit passes ``systemd-analyze
verify``, its ``kiosk`` runs as the service user under Xvfb; 20 applications are queued,
N+1 is installed under the running N (which exits 0 on its attract screen), and N+1 keeps
and then delivers all 20 to the sandbox platform on 127.0.0.1; going back to N is refused
by the app. Then everything the test installed or created is purged.

Slow (two builds, three installs of a ~700 MB venv) and it changes the system (a user, a
package, /opt/venvs, /var/lib/gov-kiosk), so it runs only as root with KIOSK_TEST_DEB=1:

    KIOSK_TEST_DEB=1 .venv/bin/python -m pytest -q -m deb tests/test_deb_install.py

It refuses to start where any of those already exists, so it never removes what it did
not create. Xvfb, not the offscreen platform: the installed app runs as it would under
cage, an X client (``QT_QPA_PLATFORM=xcb``).
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import signal
import sqlite3
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from kiosk import __version__
from kiosk.installed_version import LAST_VERSION_FILE
from kiosk.systemd import DOWNGRADE_EXIT_STATUS
from tests.conftest import REPO, require_tool
from tests.kiosk.test_installed_version import bumped
from tests.offline_queue.conftest import SIGNATURE, copy_of, valid_submission

if TYPE_CHECKING:
    from central.platform import SandboxServer

pytestmark = [
    pytest.mark.deb, pytest.mark.slow, pytest.mark.timeout(3600),
    pytest.mark.skipif(os.environ.get("KIOSK_TEST_DEB") != "1",
                       reason="builds and installs the Debian package: KIOSK_TEST_DEB=1"),
]

PACKAGE = "gov-kiosk"
USER = "kiosk"
VENV = Path("/opt/venvs/gov-kiosk")
DATA = Path("/var/lib/gov-kiosk")
UNIT = Path("/lib/systemd/system/kiosk.service")
SHARE = Path("/usr/share/gov-kiosk")
#: the groups the postinst adds the user to (and creates where missing)
GROUPS = ("dialout", "lp", "video", "input", "render")
QUEUED = 20
APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}


def sh(*cmd: str, timeout: float = 600, check: bool = True,
       env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout,
                          env=env or os.environ.copy())
    if check:
        assert done.returncode == 0, f"{cmd}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def as_kiosk(*cmd: str, x: bool = False) -> list[str]:
    """``cmd`` as the service user, in the environment the unit gives it (not ours)."""
    env = ["env", "-i", "PATH=/usr/bin:/bin", f"HOME={DATA}", f"KIOSK_DATA_DIR={DATA}",
           "LANG=C.UTF-8"]
    if x:
        env += ["QT_QPA_PLATFORM=xcb", "xvfb-run", "-a", "-s",
                "-screen 0 1280x800x24 -nolisten tcp"]
    return ["runuser", "-u", USER, "--", *env, *cmd]


def installed_packages() -> set[str]:
    out = sh("dpkg-query", "-W", "-f", "${db:Status-Abbrev} ${Package}\n").stdout
    return {line.split()[1] for line in out.splitlines() if line.startswith("ii")}


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def queue_stats() -> dict[str, Any]:
    done = sh(*as_kiosk("kiosk", "queue", "stats", "--json"))
    doc: dict[str, Any] = json.loads(done.stdout)
    return doc


def migrations() -> list[tuple[str, float]]:
    """The outbox's record of applied migrations (read-only: the app may be writing)."""
    db = sqlite3.connect(f"file:{DATA / 'outbox' / 'outbox.db'}?mode=ro", uri=True)
    try:
        return sorted(db.execute("SELECT * FROM _migrations").fetchall())
    finally:
        db.close()


def log_events() -> list[str]:
    path = DATA / "logs" / "kiosk.log"
    return [json.loads(line).get("event", "") for line in path.read_text().splitlines()
            if line.startswith("{")] if path.exists() else []


def wait_for(what: str, check: Any, timeout_s: float, proc: subprocess.Popen[str] | None = None
             ) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"{what}: the app exited with {proc.returncode}:\n"
                        f"{proc.stdout.read() if proc.stdout else ''}")
        assert time.monotonic() < deadline, f"{what}: not within {timeout_s} s"
        time.sleep(0.5)


@contextlib.contextmanager
def running_app(*args: str) -> Iterator[subprocess.Popen[str]]:
    """The installed ``kiosk run`` as the service user under Xvfb, stopped (its whole
    process group: runuser, xvfb-run, Xvfb, the app) when the block ends."""
    proc = subprocess.Popen(as_kiosk("kiosk", "run", *args, x=True), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture(scope="module")
def machine() -> Iterator[dict[str, Any]]:
    """What is on the machine before the test, and the purge of everything it adds."""
    if os.geteuid() != 0:
        pytest.skip("installs a Debian package: run as root")
    for tool in ("apt-get", "dpkg-query", "runuser", "xvfb-run", "systemd-analyze"):
        require_tool(tool, "the package test installs and runs the package")
    before = installed_packages()
    present = [str(p) for p in (VENV, DATA, UNIT, SHARE) if p.exists()]
    if PACKAGE in before or user_exists(USER) or group_exists(USER) or present:
        pytest.fail(f"{PACKAGE}, the user {USER} or {present} already exist here: this test "
                    "would remove them afterwards, so it refuses to run")
    groups_before = {g for g in GROUPS if group_exists(g)}
    venvs_existed = VENV.parent.exists()
    state: dict[str, Any] = {"before": before}
    try:
        yield state
    finally:
        extra = sorted(installed_packages() - before - {PACKAGE})
        sh("apt-get", "purge", "-y", "-q", PACKAGE, *extra, env=APT_ENV, timeout=900,
           check=False)
        if user_exists(USER):
            sh("userdel", USER)
        if group_exists(USER):
            sh("groupdel", USER)
        for g in set(GROUPS) - groups_before:
            if group_exists(g):
                sh("groupdel", g)
        # the package leaves the data dir on purpose (debian/gov-kiosk.postrm); this test
        # made it, so it goes; the venv is gone with the purge unless a run left bytecode
        for path in (DATA, VENV, SHARE):
            sh("rm", "-rf", "--one-file-system", str(path))
        if not venvs_existed and VENV.parent.exists():
            VENV.parent.rmdir()                          # /opt/venvs: it held only ours
        left = installed_packages() - before
        assert not left, f"packages left behind: {sorted(left)}"
        assert not user_exists(USER) and not any(p.exists() for p in (DATA, VENV, UNIT))
        assert not list(Path("/var/lib/systemd").glob("deb-systemd-*/**/kiosk.service*"))


@pytest.fixture(scope="module")
def debs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Version N (the checkout's) and N+1 (a build-time override), built by the script."""
    built: dict[str, Path] = {}
    for version in (__version__, bumped(__version__)):
        out = tmp_path_factory.mktemp(f"deb-{version}")
        started = time.monotonic()
        done = sh(str(REPO / "scripts" / "build-deb.sh"), timeout=1800,
                  env={**os.environ, "KIOSK_VERSION": version, "KIOSK_DEB_OUT": str(out)})
        built[version] = Path(done.stdout.strip().splitlines()[-1])
        assert built[version].name == f"{PACKAGE}_{version}_amd64.deb"
        print(f"built {built[version].name}: {built[version].stat().st_size >> 20} MB in "
              f"{time.monotonic() - started:.0f} s")
    return built


def apt_install(deb: Path, *options: str) -> None:
    started = time.monotonic()
    sh("apt-get", "install", "-y", "-q", *options, str(deb), env=APT_ENV, timeout=1200)
    print(f"installed {deb.name} in {time.monotonic() - started:.0f} s")


def queue_submissions(sandbox: SandboxServer, where: Path) -> list[str]:
    """``QUEUED`` applications queued with the installed ``kiosk queue enqueue``, as the
    service user (the files it reads are world-readable: it is not root)."""
    template = valid_submission(sandbox)
    signature = where / "signature.png"
    signature.write_bytes(SIGNATURE)
    ids = []
    for n in range(QUEUED):
        doc = copy_of(template)
        path = where / f"submission-{n}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        for f in (path, signature):
            f.chmod(0o644)
        done = sh(*as_kiosk("kiosk", "queue", "enqueue", "--submission", str(path),
                            "--attach", str(signature)))
        assert done.stdout.strip() == doc["submission_id"]
        ids.append(doc["submission_id"])
    return ids


def received(sandbox: SandboxServer, ids: list[str]) -> list[str]:
    return [sid for sid in ids if httpx.get(f"{sandbox.url}/v1/track/{sid}").json()["status"]
            != "not_yet_received"]


def test_install_upgrade_with_a_queue_and_refused_downgrade(
        machine: dict[str, Any], debs: dict[str, Path], sandbox: SandboxServer) -> None:
    """N installs and runs as the service user; N+1 installed under the running N ends it
    with 0 on the attract screen, keeps the 20 queued applications (its migrations not
    run again) and delivers them; N over N+1's data dir is refused with status 80."""
    n, n1 = __version__, bumped(__version__)

    # -- version N: installed as an operator would -----------------------------------------
    apt_install(debs[n])
    assert sh("dpkg-query", "-W", "-f", "${Version}", PACKAGE).stdout == n
    assert Path("/usr/bin/kiosk").resolve() == VENV / "bin" / "kiosk"
    assert sh("/usr/bin/kiosk", "--version").stdout.strip() == f"kiosk {n}"
    user = pwd.getpwnam(USER)
    assert user.pw_dir == str(DATA) and user.pw_shell == "/usr/sbin/nologin"
    member_of = {g.gr_name for g in grp.getgrall() if USER in g.gr_mem}
    assert set(GROUPS) <= member_of, member_of
    info = DATA.stat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == user.pw_uid
    verify = sh(require_tool("systemd-analyze", "checks the installed unit"), "verify",
                str(UNIT), check=False)
    out = verify.stdout + verify.stderr
    assert verify.returncode == 0, out
    for complaint in ("Unknown key", "Unknown section", "Failed to parse", "Invalid",
                      "not executable", "No such file"):
        assert complaint not in out, out

    started = sh(*as_kiosk("kiosk", "run", "--quit-after-ready", x=True), timeout=300)
    assert "ready in" in started.stdout + started.stderr
    assert (DATA / LAST_VERSION_FILE).read_text() == f"{n}\n"

    # the postinst again (dpkg-reconfigure, a re-run after a failed upgrade): no change
    listing = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*"))
    sh(f"/var/lib/dpkg/info/{PACKAGE}.postinst", "configure", n)
    assert pwd.getpwnam(USER) == user
    assert sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*")) == listing

    # -- 20 applications waiting, the N app on its attract screen --------------------------
    with tempfile.TemporaryDirectory(prefix="deb-test-") as scratch:
        os.chmod(scratch, 0o755)
        ids = queue_submissions(sandbox, Path(scratch))
    assert queue_stats()["pending"] == QUEUED
    applied = migrations()
    assert applied
    sh(*as_kiosk("kiosk", "config", "set", "terminal.upgrade_check_s", "1"))

    with running_app() as app_n:
        wait_for("N ready", lambda: "app.ready" in log_events(), 120, app_n)
        # -- N+1 installed under it: N sees it and exits 0 on the attract screen ----------
        apt_install(debs[n1])
        installed_at = time.monotonic()
        assert sh("dpkg-query", "-W", "-f", "${Version}", PACKAGE).stdout == n1
        assert app_n.wait(timeout=120) == 0, app_n.stdout.read() if app_n.stdout else ""
        print(f"N exited 0 {time.monotonic() - installed_at:.1f} s after apt-get returned")
    assert "app.exit_for_upgrade" in log_events()
    assert queue_stats()["pending"] == QUEUED          # kept, read by N+1
    assert received(sandbox, ids) == []

    # -- the restart systemd would make: N+1 enrols and delivers every one ----------------
    from central import admin

    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "kiosk")
    sh(*as_kiosk("kiosk", "enroll", "--platform", sandbox.url, "--code", code,
                 "--kind", "kiosk"))
    with running_app() as app_n1:
        wait_for("all delivered", lambda: len(received(sandbox, ids)) == QUEUED, 300, app_n1)
    stats = queue_stats()
    assert stats["pending"] == 0 and stats["dead"] == 0, stats
    assert migrations() == applied                     # the same migrations, applied once
    assert (DATA / LAST_VERSION_FILE).read_text() == f"{n1}\n"

    # -- video help's media stack is in the package: an offer made with its aiortc and
    # PyAV, the platform reached; nobody is on duty on this sandbox, so nobody answers
    dialled = sh(*as_kiosk("kiosk", "assist", "dial", "--wait", "5", "--json"), check=False,
                 timeout=120)
    assert dialled.returncode == 2, dialled.stdout + dialled.stderr
    assert json.loads(dialled.stdout)["answered"] is False

    # -- back to N: the app refuses the data dir N+1 used, with the unit's no-restart status
    apt_install(debs[n], "--allow-downgrades")
    refused = sh(*as_kiosk("kiosk", "run", "--quit-after-ready", x=True), timeout=300,
                 check=False)
    assert refused.returncode == DOWNGRADE_EXIT_STATUS, refused.stdout + refused.stderr
    assert "拒绝启动" in refused.stderr and "refuses to start" in refused.stderr
    assert queue_stats()["sent"] == QUEUED
