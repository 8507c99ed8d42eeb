"""systemd's notify protocol (``sd_notify``) and a watchdog pinger, without a dependency.

The service manager passes ``NOTIFY_SOCKET`` (a filesystem path, or ``@name`` for an
abstract socket) to a ``Type=notify`` service; the service sends newline-separated
``KEY=VALUE`` lines in one datagram: ``READY=1`` once the first screen is interactive,
``STATUS=...`` for ``systemctl status``, ``WATCHDOG=1`` at least every ``WatchdogSec``, and
``STOPPING=1`` on the way out. With ``WatchdogSec`` set, systemd also passes
``WATCHDOG_USEC`` (and ``WATCHDOG_PID``: a process that is not that PID must not ping,
unless the launcher unset it, as ``deploy/kiosk-client.sh`` does for the app under cage).

The watchdog is pinged from the **GUI thread** (:meth:`WatchdogPinger.tick` from a
``QTimer``), so a frozen event loop stops the pings and systemd restarts the app. Outside
systemd every call is a cheap no-op.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

#: ``kiosk run`` exits with this status when a technician leaves kiosk mode;
#: ``deploy/kiosk.service`` names it in ``RestartPreventExitStatus`` so systemd does not
#: start the kiosk again until asked (chosen outside sysexits.h's 64-78).
LEAVE_KIOSK_EXIT_STATUS = 79
#: ``kiosk run`` exits with this status (sysexits.h's EX_CONFIG) when the configuration is
#: invalid or unreadable: a restart cannot fix a file, and with ``Restart=always`` the unit's
#: start limit would end in a reboot loop, so ``deploy/kiosk.service`` names it too
CONFIG_EXIT_STATUS = 78
#: ``kiosk run`` exits with this status (sysexits.h's EX_DATAERR) when the queue of
#: applications cannot be read as it is (a lost key, a damaged database): a restart cannot
#: repair it and must not replace it, so ``deploy/kiosk.service`` names it too; a
#: technician restores the data dir or runs ``kiosk queue reset --i-understand``
QUEUE_REFUSED_EXIT_STATUS = 65
#: ``kiosk run`` exits with this status when the installed version is older than the one
#: that last used the data dir (a downgrade, :mod:`kiosk.installed_version`): its outbox and
#: files may be in a newer form, and a restart cannot change that, so
#: ``deploy/kiosk.service`` names it too (outside sysexits.h's 64-78, like 79)
DOWNGRADE_EXIT_STATUS = 80
#: ``kiosk run`` exits with this status on the attract screen once a newer version is
#: installed: a clean exit, which ``Restart=always`` answers by starting the new version
UPGRADE_EXIT_STATUS = 0


def socket_address(value: str | None) -> str | bytes | None:
    """``NOTIFY_SOCKET`` as an address for ``sendto``: abstract ``@name`` → ``b"\\0name"``."""
    if not value:
        return None
    if value.startswith("@"):
        return b"\0" + value[1:].encode()
    if value.startswith("/"):
        return value
    return None                                 # vsock and other schemes: not supported


class Notifier:
    """Sends notify messages to the service manager; disabled without ``NOTIFY_SOCKET``."""

    def __init__(self, address: str | bytes | None) -> None:
        self.address = address

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Notifier:
        environ = os.environ if environ is None else environ
        return cls(socket_address(environ.get("NOTIFY_SOCKET")))

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, **fields: str | int) -> bool:
        """One datagram of ``KEY=VALUE`` lines; False when disabled or not delivered.

        A failure is logged, never raised: the kiosk keeps serving without systemd.
        """
        if self.address is None:
            return False
        text = "\n".join(f"{key}={str(value).replace(chr(10), ' ')}"
                         for key, value in fields.items())
        # imported here: socket takes ~5 ms to import, and `kiosk run` imports this module
        # before its first frame but sends nothing until then (bench/startup.py)
        import socket

        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(text.encode(), self.address)
        except OSError as exc:
            log.warning("systemd.notify_failed", extra={"ctx": {"error": exc.strerror,
                                                                 "fields": sorted(fields)}})
            return False
        return True

    def ready(self, status: str | None = None) -> bool:
        fields: dict[str, str | int] = {"READY": 1}
        if status:
            fields["STATUS"] = status
        return self.send(**fields)

    def status(self, text: str) -> bool:
        return self.send(STATUS=text)

    def watchdog(self) -> bool:
        return self.send(WATCHDOG=1)

    def stopping(self, status: str | None = None) -> bool:
        fields: dict[str, str | int] = {"STOPPING": 1}
        if status:
            fields["STATUS"] = status
        return self.send(**fields)


def watchdog_interval_s(environ: Mapping[str, str] | None = None,
                        pid: int | None = None) -> float | None:
    """How often to ping: half of ``WATCHDOG_USEC`` (as systemd advises); None when off.

    None too when ``WATCHDOG_PID`` names another process: the pings are not ours to send.
    """
    environ = os.environ if environ is None else environ
    usec = environ.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    owner = environ.get("WATCHDOG_PID", "")
    if owner and owner != str(os.getpid() if pid is None else pid):
        return None
    return int(usec) / 2 / 1_000_000


class WatchdogPinger:
    """Call :meth:`tick` from a ``QTimer`` every :attr:`timer_interval_ms` on the GUI thread.

    A tick pings when ``interval_s`` has passed since the last ping and ``healthy()``
    says the app is well (a wedged sync or a broken outbox can withhold the ping, so
    systemd restarts the app rather than leaving it showing a dead screen).
    """

    def __init__(self, notifier: Notifier, interval_s: float, *,
                 healthy: Callable[[], bool] = lambda: True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if interval_s <= 0:
            raise ValueError("the watchdog interval must be positive")
        self.notifier, self.interval_s = notifier, interval_s
        self._healthy, self._clock = healthy, clock
        self._last: float | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *,
                 healthy: Callable[[], bool] = lambda: True,
                 clock: Callable[[], float] = time.monotonic) -> WatchdogPinger | None:
        """A pinger when systemd asked for one, else None (no timer to start)."""
        interval = watchdog_interval_s(environ)
        if interval is None:
            return None
        notifier = Notifier.from_env(environ)
        if not notifier.enabled:
            return None
        return cls(notifier, interval, healthy=healthy, clock=clock)

    @property
    def timer_interval_ms(self) -> int:
        """The QTimer's interval: a quarter of the watchdog time-out, at least 100 ms."""
        return max(100, int(self.interval_s * 1000 / 2))

    def tick(self) -> bool:
        """Ping if due and healthy; True when a ping was sent."""
        now = self._clock()
        if self._last is not None and now - self._last < self.interval_s:
            return False
        if not self._healthy():
            log.error("systemd.watchdog_withheld", extra={"ctx": {}})
            return False
        if self.notifier.watchdog():
            self._last = now
            return True
        return False
