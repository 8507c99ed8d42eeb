"""What every agent and technician page shares: language, theme sizes, widget helpers.

Pages take their texts from a small catalogue (``texts.py`` of their package: zh first,
then en, by key) and the current language from a callable; ``refresh()`` redraws every
text, ``clear()`` drops whatever may show personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civic.text import Text
from kiosk.ui.widgets import text_label, touch_button

Texts = Mapping[str, tuple[str, str]]


def translate(texts: Texts, key: str, language: str, **values: object) -> str:
    zh, en = texts[key]
    text = en if language == "en" else zh
    return text.format(**values) if values else text


def set_role(label: QLabel, role: str) -> None:
    """Change a label's style role (``error``, ``good``, ``notice``...) and re-polish it."""
    if label.objectName() != role:
        label.setObjectName(role)
        label.style().unpolish(label)
        label.style().polish(label)


class PageWidget(QWidget):
    texts: ClassVar[Texts] = {}
    name = "page"

    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.setObjectName(f"page_{self.name}")
        self.root = QVBoxLayout(self)
        self.root.setContentsMargins(32, 20, 32, 20)
        self.root.setSpacing(14)

    def t(self, key: str, **values: object) -> str:
        return translate(self.texts, key, self.language(), **values)

    def words(self, text: Text | None) -> str:
        return text.get(self.language()) if text is not None else ""

    def refresh(self) -> None:
        """Redraw every text in the current language."""

    def clear(self) -> None:
        """Empty every widget that may show personal data."""

    # -- helpers -------------------------------------------------------------------------
    def label(self, role: str = "", *, wrap: bool = True) -> QLabel:
        return text_label(self, role, wrap=wrap)

    def button(self, on_click: Callable[[], None], *, primary: bool = False,
               name: str = "") -> QPushButton:
        return touch_button(self, on_click, primary=primary, name=name)

    def edit(self, name: str, *, secret: bool = False, digits: bool = False) -> QLineEdit:
        widget = QLineEdit(self)
        # ``name`` is for tests only; assistive technology reads the label whose buddy the
        # field is (QLabel.setBuddy), in the page's language
        widget.setProperty("role", name)
        hints = Qt.InputMethodHint.ImhNoPredictiveText
        if secret:
            widget.setEchoMode(QLineEdit.EchoMode.Password)
            hints |= Qt.InputMethodHint.ImhSensitiveData
        if digits:
            hints |= Qt.InputMethodHint.ImhDigitsOnly
        widget.setInputMethodHints(hints)
        return widget

    def row(self, *widgets: QWidget, stretch_first: bool = False) -> QHBoxLayout:
        layout = QHBoxLayout()
        layout.setSpacing(12)
        if stretch_first:
            layout.addStretch(1)
        for widget in widgets:
            layout.addWidget(widget)
        return layout

    def scroll_list(self) -> tuple[QScrollArea, QVBoxLayout]:
        """A vertically scrolling column for lists that can grow (residents, queue items)."""
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(area)
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(10)
        area.setWidget(inner)
        return area, column
