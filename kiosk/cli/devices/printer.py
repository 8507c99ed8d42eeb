"""``kiosk devices printer``: a receipt printer's status, and a test receipt.

``status`` prints ``{"state", "detail"}`` (docs/cli.md) and exits 0 when the printer can
print (``ok``, ``paper_near_end``) and 3 when it cannot, so scripts can test it. ``test``
prints Chinese text, a QR code and a cut, with the same driver the kiosk uses: status
before, the job, ``GS r 1`` completion, status after.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from devices.printer import (
    Align,
    Paragraph,
    PrinterError,
    PrinterProfile,
    PrinterUrlError,
    QrCode,
    Receipt,
    ReceiptPrinter,
    Row,
    Separator,
    get_profile,
    profile_names,
    transport_for,
)
from kiosk import config as kiosk_config
from kiosk.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, data_dir_of, emit, json_option
from kiosk.errors import ConfigError, KioskError


class PrinterCommandError(KioskError):
    """A printer failure with the exit code docs/cli.md gives it."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = actions.add_parser("printer", parents=[parent], help="receipt printers (ESC/POS)")
    sub = group.add_subparsers(dest="printer_action", required=True, metavar="ACTION")
    status = sub.add_parser(
        "status", parents=[parent], help="the printer's paper and error state",
        description="Ask a receipt printer for its state (DLE EOT). Exit 0 when it can print, "
                    "3 when it cannot (paper out, cover open, error, offline).")
    _printer_options(status)
    json_option(status)
    status.set_defaults(func=_status)
    test = sub.add_parser("test", parents=[parent], help="print a test receipt",
                          description="Print a test receipt: Chinese text, a QR code, a cut.")
    _printer_options(test)
    test.set_defaults(func=_test)


def _printer_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--printer", required=True, metavar="URL",
                     help="serial:///dev/ttyUSB0?baud=115200, tcp://HOST:9100, "
                          "file:///dev/usb/lp0, or a device path")
    cmd.add_argument("--profile", choices=profile_names(), default=None,
                     help="printer model (default: devices.receipt_profile, else generic-80)")


def _profile(args: argparse.Namespace) -> PrinterProfile:
    name = args.profile
    if name is None:
        try:
            name = kiosk_config.load(data_dir_of(args)).devices.receipt_profile
        except ConfigError:
            name = "generic-80"
    try:
        return get_profile(name)
    except KeyError as exc:
        raise PrinterCommandError(str(exc.args[0]), EXIT_USAGE) from exc


def _printer(args: argparse.Namespace) -> ReceiptPrinter:
    try:
        transport_for(args.printer)                 # validate the URL before anything else
    except PrinterUrlError as exc:
        raise PrinterCommandError(str(exc), EXIT_USAGE) from exc
    return ReceiptPrinter(lambda: transport_for(args.printer), _profile(args))


def _status(args: argparse.Namespace) -> int:
    status = _printer(args).status()
    human = status.state.value + (f": {status.detail}" if status.detail else "")
    emit(status.as_dict(), args.json, human)
    return EXIT_OK if status.state.can_print else EXIT_FAILURE


def test_receipt(profile: PrinterProfile, when: dt.datetime | None = None) -> Receipt:
    """The test slip: sizes, Chinese and ASCII, a row, a QR code (and the cut)."""
    when = when or dt.datetime.now()
    return Receipt((
        Paragraph("打印测试", align=Align.CENTER, bold=True, width=2, height=2),
        Paragraph("Printer test", align=Align.CENTER),
        Separator(),
        Paragraph("中文：政务服务自助终端"),
        Row("纸宽 / paper", f"{profile.paper_mm} mm, {profile.columns} cols"),
        Row("型号 / profile", profile.name),
        Row("时间 / time", when.strftime("%Y-%m-%d %H:%M:%S")),
        Row("金额 / amount", "¥0.00"),
        Separator(),
        QrCode("https://example.gov.cn/kiosk/printer-test"),
        Paragraph("扫码测试 / scan test", align=Align.CENTER),
    ), name="printer-test")


def _test(args: argparse.Namespace) -> int:
    printer = _printer(args)
    try:
        result = printer.print_receipt(test_receipt(printer.profile))
    except PrinterError as exc:
        raise PrinterCommandError(f"test receipt not printed: {exc} / {exc.zh}") from exc
    done = "printed and confirmed by the printer" if result.confirmed else \
        "sent (this link cannot confirm completion)"
    alert = f"; note: {result.maintenance_alert.detail}" if result.maintenance_alert else ""
    emit({}, False, f"test receipt {done} ({result.size} bytes){alert}")
    return EXIT_OK


def printers_section(args: argparse.Namespace) -> dict[str, Any]:
    """``kiosk devices list``: the configured receipt printer and A4 queue, and their state."""
    from kiosk.technician.discovery import printers

    try:
        devices = kiosk_config.load(data_dir_of(args)).devices
    except ConfigError as exc:
        return {"detail": f"configuration cannot be read: {exc}"}
    return printers(devices)
