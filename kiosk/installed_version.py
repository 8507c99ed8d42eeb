"""Which version of the terminal runs, which one is installed on disk now, and which one
last used the data dir.

An upgrade (``apt-get install`` of a newer ``gov-kiosk``, docs/deployment.md) replaces the
files under a running kiosk without restarting it. The running app compares its own
version with the one installed, read from disk again each time (:func:`installed_version`,
a few ``stat`` calls while nothing changed), and :class:`UpgradeWatch` answers "exit now"
only between citizens (citizen mode's attract screen): the app exits with status 0 and the
unit's ``Restart=always`` starts the new version, so no session is cut off.

A downgrade is refused at start (:func:`claim_data_dir`): the data dir names the last
version that ran over it (``last-version``), and an older one must not open an outbox or
files a newer one may have migrated. It exits with
:data:`kiosk.systemd.DOWNGRADE_EXIT_STATUS`, which the unit does not restart.

Versions are dotted numbers (``0.1.2``; ``scripts/build-deb.sh`` accepts nothing else), so
Python's, Debian's and this module's order agree. Qt-free.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.systemd import DOWNGRADE_EXIT_STATUS

log = logging.getLogger(__name__)

#: the Python distribution the ``kiosk`` command belongs to (pyproject ``name``)
DISTRIBUTION = "kiosk-terminal"
#: the file in the data dir naming the last version that ran over it
LAST_VERSION_FILE = "last-version"

_DOTTED = re.compile(r"\d+(?:\.\d+)*")


@dataclass(frozen=True, order=True)
class Version:
    """A release as dotted numbers, ordered as numbers (``0.10`` after ``0.9``) and as
    Debian orders them (``0.1.0`` after ``0.1``)."""

    parts: tuple[int, ...]

    @classmethod
    def parse(cls, text: str) -> Version:
        """``"0.1.2"`` → ``Version((0, 1, 2))``; ValueError for anything else."""
        text = text.strip()
        if not _DOTTED.fullmatch(text):
            raise ValueError(f"not a version of dotted numbers: {text!r}")
        return cls(tuple(int(p) for p in text.split(".")))

    def __str__(self) -> str:
        return ".".join(str(p) for p in self.parts)


def running_version() -> Version:
    """The version of the code this process runs (read when it started)."""
    from kiosk import __version__

    return Version.parse(__version__)


def installed_version(path: Sequence[str] | None = None) -> Version | None:
    """The version of :data:`DISTRIBUTION` installed now, in the first directory of
    ``path`` that has it (default ``sys.path``: what a new process would import).

    Read from disk on each call; importlib.metadata only rescans a directory whose
    modification time changed, and a package upgrade renames the ``.dist-info`` directory.
    None when it is not installed, or while it is being replaced: dpkg (like pip) puts the
    new version's files in place before it removes the old ``.dist-info``, so two of them
    side by side, or one without its version, mean "not finished: ask again later" (a
    kiosk restarted then could import half of each version).
    """
    from importlib import metadata

    search = list(sys.path if path is None else path)
    where: Path | None = None
    versions: list[str | None] = []
    for dist in metadata.distributions(name=DISTRIBUTION, path=search):
        here = Path(str(dist.locate_file("")))
        if where is not None and here != where:
            break                                # a later directory: shadowed
        where = here
        text = dist.version                      # None without a readable METADATA
        versions.append(text if isinstance(text, str) else None)
    if len(versions) != 1 or versions[0] is None:
        return None
    try:
        return Version.parse(versions[0])
    except ValueError:
        log.warning("version.installed_unreadable", extra={"ctx": {"version": versions[0]}})
        return None


class UpgradeWatch:
    """Whether the running app should make way for a newer installed version now.

    :meth:`poll` is called from a timer (it reads the disk), :meth:`due` whenever the app
    may have come back between citizens (it does not). Once a newer version has been seen
    it is remembered, so the exit happens on the first attract screen after it, however
    long the session in progress lasts.
    """

    def __init__(self, running: Version, *, between_citizens: Callable[[], bool],
                 read_installed: Callable[[], Version | None] = installed_version) -> None:
        self.running = running
        self.between_citizens = between_citizens
        self.read_installed = read_installed
        #: the newer version found installed, once there is one
        self.newer: Version | None = None

    def poll(self) -> bool:
        """Read the installed version; True when the app should exit now."""
        if self.newer is None:
            installed = self.read_installed()
            if installed is not None and installed > self.running:
                self.newer = installed
                log.info("version.newer_installed",
                         extra={"ctx": {"running": str(self.running),
                                        "installed": str(installed)}})
        return self.due()

    def due(self) -> bool:
        """True when a newer version is installed and no citizen is being served."""
        return self.newer is not None and self.between_citizens()


class DowngradeRefused(KioskError):
    """The data dir was last used by a newer version than this one."""

    exit_code = DOWNGRADE_EXIT_STATUS

    def __init__(self, running: Version, last: Version, data_dir: Path) -> None:
        self.running, self.last = running, last
        super().__init__(
            f"终端软件 {running} 比上次使用数据目录 {data_dir} 的版本 {last} 旧，拒绝启动，"
            f"以免损坏等待发送的申请。请重新安装 {last} 或更高版本"
            "（apt-get install gov-kiosk），然后 systemctl start kiosk。\n"
            f"The terminal software {running} is older than version {last}, which last "
            f"used the data dir {data_dir}: it refuses to start so that the applications "
            f"waiting to be sent stay intact. Install {last} or newer again "
            "(apt-get install gov-kiosk), then systemctl start kiosk.")


def last_version(data_dir: Path) -> Version | None:
    """The version that last ran over ``data_dir``; None before the first run (or when
    the record is unreadable, which is logged)."""
    try:
        text = (data_dir / LAST_VERSION_FILE).read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("version.last_unreadable", extra={"ctx": {"error": type(exc).__name__}})
        return None
    try:
        return Version.parse(text)
    except ValueError:
        log.warning("version.last_unreadable", extra={"ctx": {"error": "ValueError"}})
        return None


def claim_data_dir(data_dir: Path, running: Version) -> Version | None:
    """Check that ``running`` may use ``data_dir`` and record it as the last version that
    did; returns the version recorded before (None on the first run).

    Raises :class:`DowngradeRefused` when a newer version used it last: nothing is
    written then. The record is replaced atomically (written aside, fsynced, renamed), so
    a power cut leaves the old record or the new one.
    """
    last = last_version(data_dir)
    if last is not None and last > running:
        raise DowngradeRefused(running, last, data_dir)
    if last != running:
        aside = data_dir / f".{LAST_VERSION_FILE}.tmp"
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, f"{running}\n".encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(aside, data_dir / LAST_VERSION_FILE)
        log.info("version.data_dir_claimed",
                 extra={"ctx": {"running": str(running),
                                "before": str(last) if last is not None else None}})
    return last
