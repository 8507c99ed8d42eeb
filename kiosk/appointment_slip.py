"""The appointment slip (issue 19): hall, address, day and time, ticket, and a QR code of
the platform's verify URL, laid out once for paper and screen like every slip
(``kiosk.receipts``: the screen shows the emulator's decoding of the very bytes printed).

No personal data is printed: the booking names the resident only on the platform's side,
and the slip is what a clerk scans to find it.
"""

from __future__ import annotations

from dataclasses import dataclass

from civic.ahead import Appointment, Hall, hall_time
from devices.printer import Align, Feed, Paragraph, QrCode, Receipt, Row, Separator
from devices.printer.elements import Element
from kiosk.flows.messages import tr
from kiosk.flows.messages_ahead import WEEKDAYS


@dataclass(frozen=True)
class AppointmentSlip:
    """What an appointment slip says, in the session's language."""

    appointment: Appointment
    hall: Hall
    item_name: str
    official_item_name: str = ""       # the Chinese name, under an English one
    site_name: str = ""
    language: str = "zh"


def appointment_slip(info: AppointmentSlip) -> Receipt:
    """The slip as a printer document (``devices.printer``)."""
    lang, booked = info.language, info.appointment

    def t(key: str) -> str:
        return tr(key, lang)

    start, end = hall_time(booked.slot_start), hall_time(booked.slot_end)
    elements: list[Element] = [
        Paragraph(t("appt.title"), align=Align.CENTER, bold=True, width=2, height=2)]
    if lang != "zh":                   # the official title, for staff at any counter
        elements.append(Paragraph(tr("appt.title", "zh"), align=Align.CENTER))
    if info.site_name:
        elements.append(Paragraph(info.site_name, align=Align.CENTER))
    elements += [Separator(), Row(t("appt.ticket"), booked.ticket, bold=True),
                 Row(t("appt.item"), info.item_name)]
    if info.official_item_name and info.official_item_name != info.item_name:
        elements.append(Paragraph(info.official_item_name, align=Align.RIGHT))
    elements += [
        Row(t("appt.hall"), info.hall.name.get(lang)),
        Paragraph(f"{t('appt.address')}: {info.hall.address.get(lang)}"),
        Row(t("appt.date"), f"{start:%Y-%m-%d} {WEEKDAYS[lang][start.weekday()]}"),
        Row(t("appt.time"), f"{start:%H:%M}-{end:%H:%M}"),
        Separator(),
        Paragraph(t("appt.bring")),
        Feed(1), QrCode(booked.verify_url), Paragraph(t("appt.scan"), align=Align.CENTER),
        Feed(1), Paragraph(t("appt.keep"), align=Align.CENTER)]
    return Receipt(tuple(elements), name="appointment-slip")
