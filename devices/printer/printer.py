"""The receipt printer: status before and after every job, jobs that finish or fail whole.

One job (printing.md §1.9):

1. open the transport (one connection per job);
2. status before: DLE EOT 1 (2, 3 if offline) and 4. Anything but ``ok`` or
   ``paper_near_end`` refuses the job with :class:`PrinterNotReady` (or
   :class:`PrinterUnavailable` when nothing answers) *before a byte of it is sent*, so
   nothing is half printed;
3. send the job in one stream ending with ``GS r 1``; the printer answers that only after
   processing everything before it, so the reply means "done";
4. no reply in time (or the link fails): ask DLE EOT for the cause, send ``DLE ENQ 2`` so
   the printer discards what it still holds (a half slip must not finish after the paper
   is changed), and raise :class:`PrintJobFailed`. The caller reprints the *whole* slip
   later, and only while the citizen's session lasts; nothing here ever retries;
5. status after; ``paper_near_end`` is returned as an alert for the maintenance staff.

On a one-way link (a recording file, a USB printer without a read channel) the 1284 status
byte of ``LPGETSTATUS`` stands in where there is one, and completion cannot be confirmed.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from devices.printer import commands as cmd
from devices.printer.elements import Receipt
from devices.printer.encoder import Encoder
from devices.printer.errors import (
    PrinterError,
    PrinterNotReady,
    PrinterUnavailable,
    PrintJobFailed,
    call_staff_zh,
)
from devices.printer.profiles import PrinterProfile
from devices.printer.status import (
    PrinterState,
    PrinterStatus,
    is_gs_r_reply,
    lp_status,
    query_status,
)
from devices.printer.transports import Transport

log = logging.getLogger(__name__)

_ZH = {
    PrinterState.PAPER_OUT: "打印机缺纸",
    PrinterState.COVER_OPEN: "打印机盖未合上",
    PrinterState.ERROR: "打印机故障",
    PrinterState.OFFLINE: "打印机未连接",
}


@dataclass(frozen=True)
class JobResult:
    """A job that completed. ``confirmed`` is False on a one-way link (no GS r reply)."""

    before: PrinterStatus
    after: PrinterStatus
    confirmed: bool
    size: int

    @property
    def maintenance_alert(self) -> PrinterStatus | None:
        """Set when staff should act (paper nearly out) although the slip was printed."""
        if self.after.state is PrinterState.PAPER_NEAR_END:
            return self.after
        return None


class ReceiptPrinter:
    """A receipt printer on some transport, for one profile. Not thread-safe: use it from
    the one thread that owns the printer (the application's ``printer`` worker)."""

    def __init__(self, transport: Callable[[], Transport], profile: PrinterProfile, *,
                 status_timeout: float = 0.5, job_timeout: float = 10.0,
                 encoder: Encoder | None = None) -> None:
        self._new_transport = transport
        self.profile = profile
        self.status_timeout = status_timeout
        self.job_timeout = job_timeout
        self._encoder = encoder or Encoder(profile)

    # -- status -------------------------------------------------------------------------

    def status(self) -> PrinterStatus:
        """The printer's state now (``offline`` when it cannot be reached)."""
        transport = self._new_transport()
        try:
            with transport:
                return self._status(transport)
        except PrinterUnavailable as exc:
            return exc.status or PrinterStatus(PrinterState.OFFLINE, str(exc))

    def _status(self, transport: Transport) -> PrinterStatus:
        if transport.duplex:
            status = query_status(transport, self.status_timeout)
            if transport.duplex or status.state is not PrinterState.OFFLINE:
                return status
        byte = transport.lp_status()
        if byte is not None:
            return lp_status(byte)
        return PrinterStatus(PrinterState.OK, "no status channel on this link: "
                             "paper and cover cannot be checked")

    # -- jobs ---------------------------------------------------------------------------

    def print_receipt(self, receipt: Receipt) -> JobResult:
        return self.print_bytes(self._encoder.encode(receipt), receipt.name)

    def print_bytes(self, data: bytes, name: str = "job") -> JobResult:
        """Send one encoded job (``GS r 1`` is appended if missing); see the module doc."""
        if not data.endswith(cmd.END_OF_JOB):
            data += cmd.END_OF_JOB
        ctx = {"job": name, "printer": "", "bytes": len(data)}
        transport = self._new_transport()
        ctx["printer"] = transport.name
        with transport:
            before = self._status(transport)
            if not before.state.can_print:
                log.warning("printer.job.refused", extra={"ctx": {**ctx, **before.as_dict()}})
                kind = (PrinterUnavailable if before.state is PrinterState.OFFLINE
                        else PrinterNotReady)
                raise self._not_ready(kind, before, transport.name, "the job was not started")
            timeout = self.job_timeout + 2 * transport.seconds_to_send(len(data))
            try:
                transport.write(data, timeout)
                confirmed = self._wait_done(transport, timeout)
            except PrintJobFailed as exc:
                self._abandon(transport, ctx, exc.status)
                raise
            except PrinterError as exc:
                status = exc.status or PrinterStatus(PrinterState.OFFLINE, str(exc))
                self._abandon(transport, ctx, status)
                raise self._not_ready(PrintJobFailed, status, transport.name,
                                      "the job was interrupted") from exc
            try:
                after = self._status(transport)
            except PrinterUnavailable as exc:
                after = exc.status or PrinterStatus(PrinterState.OFFLINE, str(exc))
        result = JobResult(before, after, confirmed, len(data))
        log.info("printer.job.done", extra={"ctx": {**ctx, "confirmed": confirmed}})
        if result.maintenance_alert:
            log.warning("printer.paper_near_end", extra={"ctx": ctx})
        return result

    def _wait_done(self, transport: Transport, timeout: float) -> bool:
        if not transport.duplex:
            return False
        reply = transport.read_byte(time.monotonic() + timeout, is_gs_r_reply)
        if reply is None:
            status = self._status(transport)
            if status.state.can_print:
                status = PrinterStatus(PrinterState.ERROR,
                                       f"the job did not complete within {timeout:.0f} s")
            raise self._not_ready(PrintJobFailed, status, transport.name,
                                  "the job did not complete")
        return True

    def _abandon(self, transport: Transport, ctx: dict[str, object],
                 status: PrinterStatus | None) -> None:
        """Discard what the printer still holds, so a half slip never finishes later."""
        with contextlib.suppress(PrinterError):  # unreachable: nothing left to finish either
            transport.write(cmd.CLEAR_BUFFERS, 2.0)
        log.error("printer.job.failed", extra={"ctx": {**ctx, **(
            status.as_dict() if status else {"state": "unknown"})}})

    @staticmethod
    def _not_ready(kind: type[PrinterError], status: PrinterStatus, device: str,
                   what: str) -> PrinterError:
        zh = call_staff_zh(_ZH.get(status.state, "打印机故障"))
        return kind(f"printer {status.state.value}: {status.detail} ({what})", zh,
                    device=device, status=status)
