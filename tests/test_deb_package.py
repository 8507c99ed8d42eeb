"""The Debian package's sources (debian/, deploy/kiosk.service, scripts/build-deb.sh) agree
with each other and pass the shell's and shellcheck's reading, without building anything.
tests/test_deb_install.py builds, installs, upgrades and purges the package for real."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, require_tool
from tests.kiosk.test_systemd import unit_settings

DEBIAN = REPO / "debian"
MAINTAINER_SCRIPTS = [DEBIAN / f"gov-kiosk.{name}" for name in ("postinst", "prerm", "postrm")]


def control_field(field: str, package: str = "gov-kiosk") -> list[str]:
    """A relationship field of the binary package, as a list of its entries."""
    text = (DEBIAN / "control").read_text()
    stanza = text[text.index(f"Package: {package}"):]
    lines = [line for line in stanza.splitlines() if not line.startswith("#")]
    value, collecting = [], False
    for line in lines:
        if line.startswith(f"{field}:"):
            collecting = True
            value.append(line.partition(":")[2])
        elif collecting and line.startswith(" "):
            value.append(line)
        elif collecting:
            break
    return [e.strip() for e in " ".join(value).split(",") if e.strip()]


@pytest.mark.parametrize("script", MAINTAINER_SCRIPTS, ids=lambda p: p.name)
def test_maintainer_scripts_parse_and_pass_shellcheck(script: Path) -> None:
    """Each maintainer script is POSIX sh that `sh -n` parses and shellcheck (as sh) finds
    nothing in, and it rejects an argument dpkg never passes."""
    assert script.read_text().startswith("#!/bin/sh\n")
    parsed = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
    assert parsed.returncode == 0, parsed.stderr
    shellcheck = require_tool("shellcheck", "checks the package's maintainer scripts")
    checked = subprocess.run([shellcheck, "-s", "sh", str(script)], capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout
    if script.name != "gov-kiosk.postrm":   # debhelper's part of postrm ignores the argument
        wrong = subprocess.run(["sh", str(script), "no-such-action"], capture_output=True,
                               text=True, timeout=30)
        assert wrong.returncode != 0 and "unknown argument" in wrong.stderr


def test_the_build_script_passes_shellcheck() -> None:
    """scripts/build-deb.sh is bash that shellcheck finds nothing in."""
    shellcheck = require_tool("shellcheck", "checks scripts/build-deb.sh")
    checked = subprocess.run([shellcheck, str(REPO / "scripts" / "build-deb.sh")],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout


def test_no_maintainer_script_removes_the_data_dir_or_restarts_the_kiosk() -> None:
    """No maintainer script deletes anything under /var/lib/gov-kiosk (the queue of
    applications), changes owners inside it, or restarts or stops the kiosk on an upgrade."""
    for script in MAINTAINER_SCRIPTS:
        code = "\n".join(line for line in script.read_text().splitlines()
                         if not line.lstrip().startswith("#"))
        assert not re.search(r"\brm\b|rmdir|\bfind\b|chown -R|chmod -R|deluser|userdel",
                             code), script.name
        assert "restart" not in code and "try-restart" not in code, script.name
    prerm = (DEBIAN / "gov-kiosk.prerm").read_text()
    stop_branch = prerm[prerm.index("remove)"):prerm.index(";;")]
    assert "stop kiosk.service" in stop_branch
    rules = (DEBIAN / "rules").read_text()
    assert "--no-stop-on-upgrade" in rules and "--no-start" in rules


def test_the_unit_names_the_paths_and_groups_the_package_installs() -> None:
    """The unit starts the session script where debian/gov-kiosk.install puts it, the app
    from the venv dh-virtualenv builds at /opt/venvs/gov-kiosk, as the user the postinst
    creates, with the groups it adds, over the data dir it creates."""
    unit = unit_settings()
    install = (DEBIAN / "gov-kiosk.install").read_text().split()
    session = Path(unit["ExecStart"][0])
    assert f"deploy/{session.name}" in install
    assert install[install.index(f"deploy/{session.name}") + 1].rstrip("/") == \
        str(session.parent).lstrip("/")
    assert "deploy/kiosk-client.sh" in install          # cage-session.sh runs it from there
    rules = (DEBIAN / "rules").read_text()
    root = re.search(r"DH_VIRTUALENV_INSTALL_ROOT = (\S+)", rules)
    assert root is not None
    environment = dict(e.split("=", 1) for e in unit["Environment"])
    assert environment["KIOSK_BIN"] == f"{root.group(1)}/gov-kiosk/bin/kiosk"
    assert environment["KIOSK_DATA_DIR"] == f"/var/lib/{unit['StateDirectory'][0]}"
    assert (DEBIAN / "gov-kiosk.links").read_text().split() == [
        f"{root.group(1).lstrip('/')}/gov-kiosk/bin/kiosk", "usr/bin/kiosk"]

    postinst = (DEBIAN / "gov-kiosk.postinst").read_text()
    groups = re.search(r'^KIOSK_GROUPS="([^"]+)"', postinst, re.M)
    assert groups is not None
    assert groups.group(1).split() == unit["SupplementaryGroups"][0].split()
    assert unit["User"] == ["kiosk"] and unit["Group"] == ["kiosk"]
    assert f'DATA_DIR={environment["KIOSK_DATA_DIR"]}' in postinst
    assert "-m 0700" in postinst and "chmod 0700" in postinst


def test_depends_carries_the_runtime_packages_and_not_the_test_ones() -> None:
    """Depends: names the display stack, Qt's system libraries, fonts, PC/SC and printing
    from scripts/bootstrap.sh, and neither the virtual card reader (anyone on the network
    could insert a card) nor Xvfb (tests only)."""
    depends = control_field("Depends")
    names = {alt.split()[0] for entry in depends for alt in entry.split("|")}
    for needed in ("cage", "xwayland", "x11-xserver-utils", "libegl1", "libxkbcommon0",
                   "libxcb-cursor0", "libpulse0", "fonts-noto-cjk", "pcscd", "libpcsclite1",
                   "cups-client", "adduser", "ca-certificates", "speech-dispatcher"):
        assert needed in names, needed
    assert not names & {"vsmartcard-vpcd", "xvfb", "xauth", "gcc", "libpcsclite-dev"}
    assert "python3 (>= 3.11~)" in depends and "python3 (<< 3.12~)" in depends
