"""What a technician can do, each action audited: the services behind the technician screens.

Device actions (discovery, reading a card, printing a test slip, printer status) do device
I/O: run them on a worker thread with the app's own device monitors paused. Nothing here
shows or records personal data: a test card read returns the masked number and name only.

Every public method goes through :meth:`TechnicianConsole._run`, the one boundary that
audits the outcome and turns known lower-level errors into :class:`ActionFailed`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from civic.pii import mask_name, redact_text
from civic.pin import hash_pin
from devices.errors import DeviceError
from devices.printer import ReceiptPrinter, get_profile, transport_for
from kiosk import __version__
from kiosk import config as kiosk_config
from kiosk.documents.cups import queue_state
from kiosk.errors import KioskError
from kiosk.logs import LOG_DIR, LOG_FILE
from kiosk.systemd import LEAVE_KIOSK_EXIT_STATUS, Notifier
from kiosk.technician import discovery
from kiosk.technician.audit import AuditLog
from kiosk.technician.errors import ActionFailed
from offline_queue import Outbox, State, credentials
from offline_queue.errors import OutboxError
from offline_queue.location import resume_after_enrolment

log = logging.getLogger(__name__)
T = TypeVar("T")


class TechnicianConsole:
    """``TechnicianConsole(data_dir, "T07", audit, outbox=outbox)`` after the gate let T07 in."""

    def __init__(self, data_dir: Path, technician: str, audit: AuditLog, *,
                 outbox: Outbox | None = None, allow_virtual: bool = False,
                 notifier: Notifier | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.data_dir, self.technician, self.audit = Path(data_dir), technician, audit
        self.outbox, self.allow_virtual = outbox, allow_virtual
        self.notifier = notifier or Notifier(None)
        self.today = today

    # -- the one boundary ------------------------------------------------------------------
    def _run(self, action: str, detail: dict[str, Any], work: Callable[[], T],
             summary: Callable[[T], dict[str, Any]] = lambda _: {}) -> T:
        try:
            result = work()
        except (DeviceError, KioskError) as exc:
            en, zh = getattr(exc, "en", str(exc)), getattr(exc, "zh", "")
            self.audit.record(self.technician, action, "failed",
                              {**detail, "error": type(exc).__name__, "message": en})
            raise ActionFailed(action, en, zh) from exc
        except OutboxError as exc:
            self.audit.record(self.technician, action, "failed",
                              {**detail, "error": type(exc).__name__, "message": str(exc)})
            raise ActionFailed(action, str(exc)) from exc
        except OSError as exc:
            self.audit.record(self.technician, action, "failed",
                              {**detail, "error": type(exc).__name__, "message": exc.strerror})
            raise ActionFailed(action, f"{action} failed: {exc.strerror}",
                               "操作失败（系统错误）") from exc
        except Exception:
            self.audit.record(self.technician, action, "bug", detail)
            log.exception("technician.bug", extra={"ctx": {"action": action}})
            raise
        self.audit.record(self.technician, action, "ok", {**detail, **summary(result)})
        return result

    def config(self) -> kiosk_config.Config:
        return kiosk_config.load(self.data_dir)

    # -- devices -----------------------------------------------------------------------------
    def discover(self) -> dict[str, Any]:
        """Serial ports, PC/SC readers and printers, with what answers (``devices list``)."""
        return self._run("devices.discover", {},
                         lambda: discovery.discover(self.config(),
                                                    allow_virtual=self.allow_virtual),
                         lambda found: {"ports": len(found["serial"]["ports"]),
                                        "readers": len(found["pcsc"]["readers"])})

    def suggestions(self, found: dict[str, Any]) -> dict[str, str]:
        return discovery.suggest(found, self.config().devices)

    def test_idcard(self, url: str | None = None, timeout_s: float = 10.0) -> dict[str, Any]:
        """Wait for a card on the reader and read it; only masked fields come back."""
        from devices.idcard import connect

        target = url or self.config().devices.idcard_port

        def read() -> dict[str, Any]:
            if not target:
                raise ActionFailed("devices.test_idcard", "No ID-card reader port is set; "
                                   "choose one first.", "尚未设置身份证阅读器端口。")
            with connect(target) as reader:
                deadline = time.monotonic() + timeout_s
                while not reader.find_card():
                    if time.monotonic() > deadline:
                        return {"read": False, "baudrate": reader.baudrate}
                    time.sleep(0.3)     # the reader's own polling pace, as the monitor
                card = reader.read_found_card()
                return {"read": True, "baudrate": reader.baudrate,
                        "card_type": str(card.card_type),
                        "id_number": redact_text(card.id_number), "name": mask_name(card.name)}
        return self._run("devices.test_idcard", {"port": target}, read,
                         lambda r: {"read": r["read"]})

    def test_smartcard(self, reader: str | None = None,
                       timeout_s: float = 10.0) -> dict[str, Any]:
        """Read a social-security card's public data; masked fields only."""
        from devices.smartcard import PcscContext, read_card

        name = reader or self.config().devices.smartcard_reader or None

        def read() -> dict[str, Any]:
            with PcscContext(allow_virtual=self.allow_virtual) as context:
                card = read_card(context, name, timeout_s)
            return {"read": True, "protected": card.protected_message is not None,
                    "name": mask_name(card.name or "")}
        return self._run("devices.test_smartcard", {"reader": name}, read)

    def _printer(self, url: str | None) -> tuple[str, ReceiptPrinter]:
        devices = self.config().devices
        target = url or devices.receipt_printer
        if not target:
            raise ActionFailed("devices.printer", "No receipt printer is set; enter its URL "
                               "first.", "尚未设置凭条打印机。")
        return target, ReceiptPrinter(lambda: transport_for(target),
                                      get_profile(devices.receipt_profile))

    def printer_status(self, url: str | None = None) -> dict[str, str]:
        target, printer = self._printer(url)
        return self._run("devices.printer_status", {"printer": target},
                         lambda: printer.status().as_dict(), lambda s: {"state": s["state"]})

    def print_test_slip(self, url: str | None = None) -> dict[str, Any]:
        from kiosk.cli.devices.printer import test_receipt

        target, printer = self._printer(url)

        def job() -> dict[str, Any]:
            result = printer.print_receipt(test_receipt(printer.profile))
            alert = result.maintenance_alert.detail if result.maintenance_alert else None
            return {"confirmed": result.confirmed, "bytes": result.size, "alert": alert}
        return self._run("devices.print_test_slip", {"printer": target}, job,
                         lambda r: {"confirmed": r["confirmed"]})

    def a4_status(self, queue: str | None = None) -> dict[str, object]:
        name = queue or self.config().devices.a4_queue
        return self._run("devices.a4_status", {"queue": name},
                         lambda: queue_state(name).as_dict() if name else
                         {"state": "not_configured"}, lambda s: {"state": s["state"]})

    # -- platform and configuration ------------------------------------------------------------
    def enroll(self, platform_url: str, code: str, kind: str) -> dict[str, str]:
        """Enrol with a one-time code (``offline_queue.credentials``); the code is not logged."""
        def work() -> dict[str, str]:
            cfg = self.config()
            problem = kiosk_config.platform_url_problem(platform_url)
            if problem:
                raise ActionFailed("platform.enroll", f"refusing {platform_url}: {problem}",
                                   "平台地址不符合要求（须为 https://）。")
            creds = credentials.enroll(
                self.data_dir, platform_url, code, kind, hostname=socket.gethostname(),
                app_version=__version__, site={"region_code": cfg.terminal.site_region_code,
                                               "name": cfg.terminal.site_name},
                client_settings=cfg.platform.client_settings())
            kiosk_config.set_value(self.data_dir, "platform.url", creds.platform_url)
            # a queue paused by the old token sends again (the running engine takes the
            # new credentials up itself: offline_queue.sync, credentials_dir)
            resume_after_enrolment(self.data_dir, self.outbox)
            return {"device_id": creds.device_id, "kind": creds.kind,
                    "platform_url": creds.platform_url}
        return self._run("platform.enroll", {"platform_url": platform_url, "kind": kind}, work,
                         lambda r: {"device_id": r["device_id"]})

    def platform_extensions(self) -> dict[str, list[str]]:
        """Which December 2026 extensions the enrolled platform names in its health answer
        (``offered``) and which it lacks (``missing``): this terminal works without those
        features, and the platform page says which and what that means."""
        def work() -> dict[str, list[str]]:
            from civic.extensions import Extension
            from offline_queue.platform import PlatformClient

            creds = credentials.load(self.data_dir)
            with PlatformClient.build(creds, self.config().platform.client_settings()) \
                    as client:
                offered = client.extensions()
            return {"offered": [str(e) for e in Extension if e in offered],
                    "missing": [str(e) for e in Extension if e not in offered]}
        return self._run("platform.extensions", {}, work, lambda r: {"missing": r["missing"]})

    def settings(self) -> dict[str, dict[str, Any]]:
        """Every setting's value (secrets shown as "(set)"), for the editing screen."""
        return kiosk_config.as_dict(self.config())

    def set_setting(self, key: str, raw: str) -> Any:
        """Validate (``kiosk.config.coerce``) and store one setting; secrets are refused."""
        def work() -> Any:
            if kiosk_config.setting_info(key).secret:
                raise ActionFailed("config.set", f"{key} is set through its own action",
                                   "该设置须通过专门功能修改。")
            return kiosk_config.set_value(self.data_dir, key, raw)
        return self._run("config.set", {"key": key, "value": raw}, work)

    def set_technician_pin(self, pin: str) -> None:
        def work() -> None:
            if not (pin.isdigit() and 6 <= len(pin) <= 12):
                raise ActionFailed("config.technician_pin", "The PIN must be 6 to 12 digits.",
                                   "密码须为6至12位数字。")
            path = self.data_dir / kiosk_config.CONFIG_FILE
            current = kiosk_config.read_toml(path)
            current.setdefault("security", {})["technician_pin_hash"] = hash_pin(pin)
            kiosk_config.write_toml(path, current)
        self._run("config.technician_pin", {}, work)

    # -- queue and logs ------------------------------------------------------------------------
    def queue_overview(self) -> dict[str, Any]:
        """Counts and dead items by id, status and the fields named: no personal data."""
        def work() -> dict[str, Any]:
            if self.outbox is None:
                raise ActionFailed("queue.overview", "The queue is not open.", "队列未打开。")
            dead = []
            for item in self.outbox.items(State.DEAD, open_only=True):
                reasons = item.get("reasons") or {}
                dead.append({"submission_id": item["submission_id"],
                             "http_status": item["http_status"],
                             "code": reasons.get("code"),
                             "fields": sorted((reasons.get("fields") or {}).keys()),
                             "enqueued_at": item["enqueued_at"]})
            return {"counts": self.outbox.stats(), "dead": dead}
        return self._run("queue.overview", {}, work, lambda r: {"dead": len(r["dead"])})

    def _log_files(self) -> list[Path]:
        logs = self.data_dir / LOG_DIR
        files = sorted(logs.glob(LOG_FILE + ".*"), reverse=True)   # oldest rotation first
        return [*files, logs / LOG_FILE]

    def read_log(self, lines: int = 200) -> list[str]:
        """The last ``lines`` log lines, redacted again (defence in depth)."""
        def work() -> list[str]:
            path = self.data_dir / LOG_DIR / LOG_FILE
            if not path.exists():
                return []
            text = path.read_text(errors="replace").splitlines()[-lines:]
            return [redact_text(line) for line in text]
        return self._run("logs.view", {"lines": lines}, work, lambda r: {"shown": len(r)})

    def export_logs(self, destination: Path) -> Path:
        """Write the logs and the audit trail, redacted, as one .gz file in ``destination``
        (a USB stick's mount point); returns its path."""
        def work() -> Path:
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            target = Path(destination) / f"kiosk-logs-{socket.gethostname()}-{stamp}.txt.gz"
            sources = [p for p in self._log_files() if p.exists()] + \
                [p for p in (self.audit.path,) if p.exists()]
            with gzip.open(target, "wt", encoding="utf-8") as out:
                for path in sources:
                    out.write(f"==> {path.name} <==\n")
                    for line in path.read_text(errors="replace").splitlines():
                        out.write(redact_text(line) + "\n")
            os.chmod(target, 0o600)
            return target
        return self._run("logs.export", {"destination": str(destination)}, work,
                         lambda p: {"file": p.name})

    # -- leaving -------------------------------------------------------------------------------
    def leave(self, why: str) -> None:
        """The technician left technician mode (``button`` or ``inactivity``): audited, so
        the log shows when the terminal went back to serving citizens."""
        self.audit.record(self.technician, "technician.exit", "ok", {"why": why})

    def leave_kiosk_mode(self) -> int:
        """Audit, tell systemd, and give the exit status that keeps the unit stopped."""
        def work() -> int:
            self.notifier.stopping("technician left kiosk mode")
            return LEAVE_KIOSK_EXIT_STATUS
        return self._run("kiosk.leave", {}, work)
