"""Finding the terminal's devices: what ``kiosk devices list`` prints and the set-up screen shows.

Shared by the command line (``kiosk/cli/devices/``) and the technician's screens, so both
see the same thing. Serial ports are probed for an ID-card reader (nothing is left open);
the configured receipt printer's port is listed but never probed, since a reader's probe
frames would be printed as garbage. The ports are probed in parallel
(``devices.idcard.portscan``). PC/SC readers are listed with what card is in them (probed
with SELECT SSSE only: no personal data is read). Printers are the configured receipt
printer (asked for its state) and A4 queue (asked of CUPS).

Probing does device I/O: call these on a worker thread, never the GUI thread, and with the
app's own device monitors paused (a port has one owner at a time).
"""

from __future__ import annotations

from typing import Any

from devices.idcard import portscan
from devices.printer import PrinterUrlError, ReceiptPrinter, get_profile, transport_for
from devices.serialurl import is_serial_url, parse_serial_url
from devices.smartcard import PcscContext, SmartCardError
from devices.smartcard.reader import SocialSecurityCardReader
from kiosk.config import Config, DevicesConfig
from kiosk.documents.cups import queue_state


def probe_port(url: str) -> dict[str, Any]:
    """What answers on one serial port as an ID-card reader (nothing is left open)."""
    return _as_entry(portscan.probe_port(url))


def _as_entry(probe: portscan.PortProbe) -> dict[str, Any]:
    if not probe.answers:
        return {"answers": False, "detail": probe.problem}
    return {"answers": True, "baudrate": probe.baudrate,
            "sam_id": str(probe.sam_id) if probe.sam_id else None}


def _system_ports() -> dict[str, dict[str, Any]]:
    from serial.tools import list_ports

    return {info.device: {"path": info.device, "description": info.description,
                          "usb_id": f"{info.vid:04x}:{info.pid:04x}" if info.vid else None}
            for info in sorted(list_ports.comports(), key=lambda p: p.device)}


def serial_ports(devices: DevicesConfig,
                 listed: portscan.PortLister | None = None) -> dict[str, Any]:
    """Serial ports (the system's, or those ``listed`` returns, and the configured ID-card
    port) and what answers on each; the ports are probed in parallel."""
    ports: dict[str, dict[str, Any]] = _system_ports() if listed is None else {
        path: {"path": path, "description": None, "usb_id": None} for path in listed()}
    printer_url = devices.receipt_printer
    printer_path = (parse_serial_url(printer_url).path
                    if printer_url and is_serial_url(printer_url) else None)
    idcard_url = devices.idcard_port
    if idcard_url and not is_serial_url(idcard_url):
        idcard_url = ""   # a network or USB reader: not a serial port to list here
    if idcard_url:
        path = parse_serial_url(idcard_url).path
        ports.setdefault(path, {"path": path, "description": "configured", "usb_id": None})
        ports[path]["configured_as"] = "idcard"
    to_probe: dict[str, str] = {}           # path -> the URL to probe it at
    for path, entry in ports.items():
        if printer_path is not None and portscan.same_port(path, printer_path):
            entry["configured_as"] = "receipt_printer"
            continue
        to_probe[path] = idcard_url if entry.get("configured_as") == "idcard" else path
    for path, probe in zip(to_probe, portscan.probe_ports(list(to_probe.values())),
                           strict=True):
        ports[path]["idcard"] = _as_entry(probe)
    return {"ports": list(ports.values())}


def pcsc_readers(allow_virtual: bool) -> dict[str, Any]:
    """pcscd, its readers, and what answers in each."""
    try:
        with PcscContext(allow_virtual=allow_virtual) as context:
            readers = [_describe(context, status) for status in context.statuses()]
    except SmartCardError as exc:
        return {"service": False, "detail": str(exc), "readers": []}
    return {"service": True, "detail": None, "readers": readers}


def _describe(context: PcscContext, status: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": status.name, "virtual": status.virtual, "allowed": status.allowed,
        "card_present": status.card_present,
        "atr": status.atr.hex(" ").upper() if status.card_present else None,
        "card": None,
    }
    if status.card_present and status.allowed:
        try:
            with context.connect(status.name) as card:
                entry["card"] = "social_security" if SocialSecurityCardReader(
                    card, reader_name=status.name).is_social_security_card() else "other"
        except SmartCardError as exc:
            entry["card"] = f"error: {exc.en}"
    elif status.virtual and not status.allowed:
        entry["card"] = "refused: virtual reader (development only; --allow-virtual)"
    return entry


def printers(devices: DevicesConfig) -> dict[str, Any]:
    """The configured receipt printer and A4 queue, and their state."""
    receipt: dict[str, Any] | None = None
    if devices.receipt_printer:
        receipt = {"url": devices.receipt_printer, "profile": devices.receipt_profile}
        try:
            printer = ReceiptPrinter(lambda: transport_for(devices.receipt_printer),
                                     get_profile(devices.receipt_profile))
            receipt.update(printer.status().as_dict())
        except (PrinterUrlError, KeyError) as exc:
            receipt.update({"state": "offline", "detail": str(exc)})
    a4: dict[str, Any] | None = None
    if devices.a4_queue:
        a4 = {"queue": devices.a4_queue, **queue_state(devices.a4_queue).as_dict()}
    return {"receipt": receipt, "a4": a4}


def discover(config: Config, *, allow_virtual: bool = False) -> dict[str, Any]:
    """Everything ``kiosk devices list`` shows, in its JSON shape."""
    return {"serial": serial_ports(config.devices), "pcsc": pcsc_readers(allow_virtual),
            "printers": printers(config.devices)}


def suggest(found: dict[str, Any], devices: DevicesConfig) -> dict[str, str]:
    """Settings a technician can accept from a discovery: the first port that answers as an
    ID-card reader and the first usable PC/SC reader, for those not configured yet."""
    proposal: dict[str, str] = {}
    ports = found.get("serial", {}).get("ports", [])
    if not devices.idcard_port:
        answering = [p["path"] for p in ports if (p.get("idcard") or {}).get("answers")]
        if answering:
            proposal["devices.idcard_port"] = answering[0]
    readers = [r["name"] for r in found.get("pcsc", {}).get("readers", []) if r.get("allowed")]
    if readers and not devices.smartcard_reader:
        proposal["devices.smartcard_reader"] = readers[0]
    return proposal
