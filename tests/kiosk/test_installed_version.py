"""kiosk.installed_version: the installed version read again from a real site directory as
a package upgrade changes it, the watch that waits for the attract screen, and the data
dir's record that refuses a downgrade (also through the real ``kiosk run``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.installed_version import (
    LAST_VERSION_FILE,
    DowngradeRefused,
    UpgradeWatch,
    Version,
    claim_data_dir,
    installed_version,
    last_version,
    running_version,
)
from kiosk.systemd import DOWNGRADE_EXIT_STATUS
from tests.conftest import run_kiosk


def unpack_dist_info(site: Path, version: str) -> Path:
    """The first half of an upgrade in site-packages: the new version's ``.dist-info``
    unpacked beside the old one."""
    new = site / f"kiosk_terminal-{version}.dist-info"
    new.mkdir(parents=True, exist_ok=True)
    (new / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: kiosk-terminal\nVersion: {version}\n", encoding="utf-8")
    return new


def install_dist_info(site: Path, version: str) -> Path:
    """What dpkg (or pip) leaves in site-packages for kiosk-terminal ``version``: the new
    ``.dist-info`` directory is unpacked, then the old one removed."""
    new = unpack_dist_info(site, version)
    for old in site.glob("kiosk_terminal-*.dist-info"):
        if old != new:
            shutil.rmtree(old)
    return new


def bumped(version: str) -> str:
    parts = version.split(".")
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])


def test_versions_are_ordered_as_numbers_and_as_debian_orders_them() -> None:
    """0.10 is after 0.9 (not as text), 0.1.0 after 0.1 (as dpkg --compare-versions), and
    anything but dotted numbers is refused."""
    assert Version.parse("0.10") > Version.parse("0.9")
    assert Version.parse("1.0") > Version.parse("0.99.99")
    assert Version.parse("0.1.0") > Version.parse("0.1")
    assert Version.parse(" 0.1.2\n") == Version.parse("0.1.2")
    assert str(Version.parse("0.1.2")) == "0.1.2"
    for bad in ("", "0.1.dev1", "1.0-1", "v1", "0..1", "0.1."):
        with pytest.raises(ValueError):
            Version.parse(bad)


def test_the_running_version_is_the_one_installed_here() -> None:
    """In the development venv (an editable install) what runs is what is installed, so
    the watch sees nothing to make way for."""
    assert running_version() == Version.parse(__version__)
    assert installed_version() == running_version()


def test_the_installed_version_is_read_again_after_an_upgrade_on_disk(tmp_path: Path) -> None:
    """Each call reads the site directory as it is now: a version that replaced the old
    one is seen at once; while the upgrade is unfinished (old and new side by side, or the
    new one without its METADATA) it reads as unknown, and a removed package as not
    installed."""
    site = tmp_path / "site-packages"
    install_dist_info(site, "0.1.0")
    assert installed_version([str(site)]) == Version.parse("0.1.0")
    unpack_dist_info(site, "0.1.1")                  # the old one not removed yet
    assert installed_version([str(site)]) is None
    newer = install_dist_info(site, "0.1.1")
    assert installed_version([str(site)]) == Version.parse("0.1.1")
    (newer / "METADATA").unlink()
    assert installed_version([str(site)]) is None
    shutil.rmtree(newer)
    assert installed_version([str(site)]) is None


def test_the_first_directory_on_the_path_is_the_one_a_new_process_would_run(
        tmp_path: Path) -> None:
    """Two installs on the path: the version is the first one's, as importing would be."""
    first, second = tmp_path / "a", tmp_path / "b"
    install_dist_info(first, "0.2.0")
    install_dist_info(second, "0.3.0")
    assert installed_version([str(first), str(second)]) == Version.parse("0.2.0")


def test_the_watch_waits_for_the_attract_screen_and_remembers_what_it_saw(
        tmp_path: Path) -> None:
    """A newer version installed mid-session is noticed by a look at the disk but answers
    "exit" only once the kiosk is between citizens, without another look; an equal or
    older version never does."""
    site = tmp_path / "site-packages"
    install_dist_info(site, "0.1.0")
    at_attract = [False]
    looks: list[Version | None] = []

    def read() -> Version | None:
        looks.append(installed_version([str(site)]))
        return looks[-1]

    watch = UpgradeWatch(Version.parse("0.1.0"), between_citizens=lambda: at_attract[0],
                         read_installed=read)
    assert watch.poll() is False and watch.newer is None
    at_attract[0] = True
    assert watch.poll() is False                    # same version: nothing to do
    at_attract[0] = False
    install_dist_info(site, "0.1.1")
    assert watch.poll() is False                    # mid-session
    assert watch.newer == Version.parse("0.1.1")
    assert watch.due() is False
    at_attract[0] = True
    reads = len(looks)
    assert watch.due() is True and len(looks) == reads
    assert watch.poll() is True and len(looks) == reads   # no more reads once seen

    older = UpgradeWatch(Version.parse("0.2"), between_citizens=lambda: True,
                         read_installed=lambda: installed_version([str(site)]))
    assert older.poll() is False


def test_the_data_dir_records_each_version_that_runs_and_refuses_an_older_one(
        data_dir: Path) -> None:
    """The first run and each upgrade record the version (owner-only); a downgrade is
    refused with both languages and the status the unit does not restart, and leaves the
    record as it was."""
    assert claim_data_dir(data_dir, Version.parse("0.1.0")) is None
    record = data_dir / LAST_VERSION_FILE
    assert record.read_text() == "0.1.0\n" and record.stat().st_mode & 0o777 == 0o600
    assert claim_data_dir(data_dir, Version.parse("0.1.0")) == Version.parse("0.1.0")
    assert claim_data_dir(data_dir, Version.parse("0.2.0")) == Version.parse("0.1.0")
    assert last_version(data_dir) == Version.parse("0.2.0")

    with pytest.raises(DowngradeRefused) as refused:
        claim_data_dir(data_dir, Version.parse("0.1.9"))
    assert refused.value.exit_code == DOWNGRADE_EXIT_STATUS
    text = str(refused.value)
    assert "拒绝启动" in text and "refuses to start" in text
    assert "0.1.9" in text and "0.2.0" in text
    assert record.read_text() == "0.2.0\n"
    assert sorted(p.name for p in data_dir.iterdir()) == [LAST_VERSION_FILE]


def test_an_unreadable_record_is_replaced_rather_than_trusted(data_dir: Path) -> None:
    """A record that is not a version (a damaged file) neither refuses nor stops a start:
    the running version is written over it (the outbox keeps its own schema check)."""
    (data_dir / LAST_VERSION_FILE).write_bytes(b"\xff\xfe garbage")
    assert claim_data_dir(data_dir, Version.parse("0.1.0")) is None
    assert last_version(data_dir) == Version.parse("0.1.0")


def test_kiosk_run_refuses_a_data_dir_a_newer_version_used(data_dir: Path) -> None:
    """The real ``kiosk run`` over a data dir a newer version last used exits with the
    downgrade status before any window, saying in Chinese and English what to do, and
    opens nothing there."""
    newer = bumped(__version__)
    (data_dir / LAST_VERSION_FILE).write_text(f"{newer}\n")
    done = run_kiosk("run", "--quit-after-ready", data_dir=data_dir, timeout=120)
    assert done.returncode == DOWNGRADE_EXIT_STATUS, done.stdout + done.stderr
    assert "拒绝启动" in done.stderr and "refuses to start" in done.stderr
    assert f"Install {newer} or newer" in done.stderr
    assert "ready in" not in done.stderr
    assert sorted(p.name for p in data_dir.iterdir()) == [LAST_VERSION_FILE]
    assert (data_dir / LAST_VERSION_FILE).read_text() == f"{newer}\n"


def test_kiosk_run_records_its_version_in_a_new_data_dir(data_dir: Path) -> None:
    """The real ``kiosk run`` starts over a fresh data dir and records the version it is."""
    done = run_kiosk("run", "--quit-after-ready", data_dir=data_dir, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert last_version(data_dir) == running_version()
