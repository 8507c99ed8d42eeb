"""Looking everywhere a previous citizen's name or ID number, their card session's id, their
certified record, a frame of their face, or what the platform said they can apply for or
booked ("For you", an appointment) could still be."""

from __future__ import annotations

import gc
from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

from civic.ahead import Appointment, Eligible, EligibleItem
from civic.identity import Identity
from civic.records import Record
from faces.frame import Frame
from kiosk.flows.face_capture import LivenessCapture
from kiosk.flows.face_check import FaceCapture
from kiosk.flows.services import SessionResult
from offline_queue.platform import CardSession


def widget_texts() -> list[str]:
    """Every text any live widget holds, shown or not."""
    out: list[str] = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            out.append(widget.text())
        if isinstance(widget, QLineEdit):
            out.append(widget.placeholderText())
        if isinstance(widget, QTextEdit | QPlainTextEdit):
            out.append(widget.toPlainText())
        if isinstance(widget, QComboBox):
            out += [widget.itemText(i) for i in range(widget.count())]
        out.append(widget.toolTip())
        out.append(widget.accessibleName())
        out.append(widget.windowTitle())
    return out


def residue(secrets: list[str], flow: Any, keyboard: Any) -> list[str]:
    """Where any of ``secrets`` was found: widgets, the flow, identities alive, keyboard; and
    whether the card session's id outlived the session (pass it in ``secrets`` too, so no
    widget or flow attribute shows it)."""
    found: list[str] = []
    for text in widget_texts():
        for secret in secrets:
            if secret and secret in text:
                found.append(f"widget text {text!r}")
    flow_dump = repr(vars(flow)) + repr(flow.values) + repr(flow.identity)
    found += [f"flow holds {s!r}" for s in secrets if s in flow_dump]
    # The platform's card session id is no personal data, but it must not outlive the
    # citizen's session either: the flow forgets it, and no answer that carried it lives on.
    if getattr(flow, "_card_session_id", None) is not None:
        found.append("the flow still holds its card session id")
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, Identity)]
    found += [f"an Identity is still alive: {o!r}" for o in alive]
    carriers = [o for o in gc.get_objects() if isinstance(o, SessionResult | CardSession)
                and o.session_id]
    found += [f"a card session id is still held by a {type(o).__name__}" for o in carriers]
    # A certified record (query_print) lives in the flow until the wipe, never after.
    if getattr(flow, "record", None) is not None:
        found.append("the flow still holds a certified record")
    found += [f"a certified record is still alive: {o!r}" for o in gc.get_objects()
              if isinstance(o, Record)]
    found += face_residue(flow)
    found += ahead_residue(flow)
    for path in keyboard.learned_files():
        data = path.read_bytes()
        for secret in secrets:
            if secret.encode() in data or secret.encode("utf-16-le") in data:
                found.append(f"keyboard dictionary {path.name}")
    return found


def face_residue(flow: Any) -> list[str]:
    """Where a frame of the face check could outlive it: a frame or a capture alive in
    memory, a capture still holding its best frame, the check's guide still showing one,
    the flow still holding the check."""
    from kiosk.ui.face_drawing import GuideView

    found: list[str] = []
    gc.collect()
    found += [f"a face frame is still alive ({o.width}×{o.height})" for o in gc.get_objects()
              if isinstance(o, Frame)]
    found += ["a captured face is still alive" for o in gc.get_objects()
              if isinstance(o, FaceCapture)]
    found += [f"{o!r} still holds a frame" for o in gc.get_objects()
              if isinstance(o, LivenessCapture) and o.holds_frame]
    found += ["the face guide still shows a frame" for w in QApplication.allWidgets()
              if isinstance(w, GuideView) and w.has_frame()]
    if getattr(flow, "identity_check", None) is not None:
        found.append("the flow still holds the identity check")
    return found


def ahead_residue(flow: Any) -> list[str]:
    """Where "For you" or a booking could outlive the session: the flow's list, halls or
    appointment, or the platform's answers alive in memory."""
    found: list[str] = []
    if getattr(flow, "for_you", ()):
        found.append("the flow still holds 'For you'")
    for name in ("appointment", "hall", "slot"):
        if getattr(flow, name, None) is not None:
            found.append(f"the flow still holds its {name}")
    if getattr(flow, "slip_preview", b""):
        found.append("the flow still holds the appointment slip's picture")
    gc.collect()
    found += [f"a {type(o).__name__} is still alive" for o in gc.get_objects()
              if isinstance(o, Eligible | EligibleItem | Appointment)]
    return found

