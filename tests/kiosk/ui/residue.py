"""Looking everywhere a previous citizen's name or ID number could still be."""

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

from civic.identity import Identity


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
    """Where any of ``secrets`` was found: widgets, the flow, identities alive, keyboard."""
    found: list[str] = []
    for text in widget_texts():
        for secret in secrets:
            if secret and secret in text:
                found.append(f"widget text {text!r}")
    flow_dump = repr(vars(flow)) + repr(flow.values) + repr(flow.identity)
    found += [f"flow holds {s!r}" for s in secrets if s in flow_dump]
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, Identity)]
    found += [f"an Identity is still alive: {o!r}" for o in alive]
    for path in keyboard.learned_files():
        data = path.read_bytes()
        for secret in secrets:
            if secret.encode() in data or secret.encode("utf-16-le") in data:
                found.append(f"keyboard dictionary {path.name}")
    return found
