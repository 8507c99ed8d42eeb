"""What every mode's window is framed with: one column without margins, the top bar, and
the kiosk's hidden tap area.

The citizen kiosk, the agent's and the technician's windows differ in what their bars
hold (a hidden corner, the signed-in agent, tabs) but are built alike; they are built
here once. Enums are set by name (``kiosk.ui.qt_names``): the kiosk's window is built
before the first frame, when Qt's enums are not made yet.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget


def column(widget: QWidget) -> QVBoxLayout:
    """``widget``'s layout: one column, edge to edge (bar, pages, status bar)."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    return layout


def top_bar(parent: QWidget) -> tuple[QWidget, QHBoxLayout, QLabel]:
    """The bar at the top (styled as ``#topbar``), its row and its title, empty: the
    window adds its buttons to the row."""
    bar = QWidget(parent)           # a plain QWidget: its style sheet background is drawn
    bar.setObjectName("topbar")
    row = QHBoxLayout(bar)
    row.setContentsMargins(16, 8, 16, 8)
    title = QLabel(bar)
    title.setObjectName("big")
    return bar, row, title


class TapArea(QWidget):
    """A place that counts taps and shows nothing (the kiosk's hidden technician corner): not
    a button, so neither a screen reader nor the keypad finds a control there."""

    def __init__(self, on_tap: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_tap = on_tap

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.rect().contains(event.position().toPoint()):
            self._on_tap()


def add_all(layout: QLayout, *widgets: QWidget) -> None:
    for widget in widgets:
        layout.addWidget(widget)
