"""Small widgets the screens share: a wrapping touch button, an image view, a numeric pad."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.flows.messages import tr
from kiosk.ui.accessible import describe, keyboard_reachable
from kiosk.ui.qt_names import set_by_name

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

# text_label() and touch_button() build the attract screen, before the first frame: they set
# Qt's enums by name, and the rest imports Qt where it is used (kiosk.ui.qt_names).


def text_label(parent: QWidget, role: str = "", *, wrap: bool = True,
               align: Qt.AlignmentFlag | None = None) -> QLabel:
    """A label that reads but cannot be selected (a touch screen has no use for it); ``role``
    is its object name, which the theme's style sheet sizes."""
    widget = QLabel(parent)
    if role:
        widget.setObjectName(role)
    widget.setWordWrap(wrap)
    if align is not None:
        widget.setAlignment(align)
    set_by_name(widget, "textInteractionFlags", "NoTextInteraction")
    return widget


def touch_button(parent: QWidget, on_click: Callable[[], None], *, primary: bool = False,
                 name: str = "") -> QPushButton:
    """A button that a tap does not focus (it would steal focus from the field being typed
    into) but Tab does (a keypad reaches it); ``name`` is its ``role``, which tests find it
    by and :func:`kiosk.ui.accessible.label_controls` describes it by — never its
    accessible name, which is its text in the session's language."""
    widget = QPushButton(parent)
    keyboard_reachable(widget)
    if primary:
        widget.setObjectName("primary")
    if name:
        widget.setProperty("role", name)
    widget.clicked.connect(lambda _checked=False: on_click())
    return widget


class ChoiceButton(QPushButton):
    """A big touch target whose (long, bilingual) text wraps instead of being clipped."""

    def __init__(self, text: str, on_click: Callable[[], None], *, key: str = "",
                 min_height: int = 64, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        keyboard_reachable(self)
        self.key = key
        self.setProperty("key", key)
        describe(self, text)          # the caption is a child label, not the text
        self.caption = QLabel(text, self)
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.caption.setStyleSheet("background: transparent; color: inherit;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.caption)
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.clicked.connect(lambda _c=False: on_click())

    def label_text(self) -> str:
        return self.caption.text()


class ImageView(QLabel):
    """Shows PNG bytes scaled to fit, keeping the aspect ratio."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pixmap = QPixmap()
        self.setMinimumSize(200, 200)

    def set_png(self, data: bytes) -> None:
        self._pixmap = QPixmap()
        if data:
            self._pixmap.loadFromData(data)        # PNG, or a JPEG (a call's snapshot)
        self._rescale()

    def clear_image(self) -> None:
        self._pixmap = QPixmap()
        self.clear()

    def has_image(self) -> bool:
        return not self._pixmap.isNull()

    def resizeEvent(self, event: object) -> None:
        self._rescale()

    def _rescale(self) -> None:
        from PySide6.QtCore import Qt

        if self._pixmap.isNull():
            self.clear()
            return
        self.setPixmap(self._pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))


class NumericPad(QWidget):
    """Digits for phone, ID and bank numbers: types into the line edit it is given."""

    KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "⌫")

    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:

        super().__init__(parent)
        self.setObjectName("numpad")
        self._target: QLineEdit | None = None
        self._language = language
        grid = QGridLayout(self)
        grid.setSpacing(10)
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(self.KEYS):
            button = QPushButton(key, self)
            button.setProperty("role", "pad_key")
            button.clicked.connect(lambda _c=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        self.ok = QPushButton(self)
        self.ok.setObjectName("primary")
        self.ok.setProperty("role", "pad_ok")
        keyboard_reachable(self.ok, *self.keys.values())
        self.ok.clicked.connect(lambda _c=False: self.done())
        grid.addWidget(self.ok, 4, 0, 1, 3)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.ok.setText(tr("keypad.ok", self._language()))

    def attach(self, target: QLineEdit | None, allow_x: bool = False,
               allow_dash: bool = False) -> None:
        self._target = target
        self.keys["X"].setText("-" if allow_dash else "X")
        self.keys["X"].setEnabled(allow_x or allow_dash)
        self.setVisible(target is not None)

    def press(self, key: str) -> None:
        if self._target is None:
            return
        if key == "⌫":
            self._target.backspace()
        else:
            self._target.insert(self.keys[key].text() if key == "X" else key)

    def done(self) -> None:
        if self._target is not None:
            self._target.editingFinished.emit()
        self.attach(None)


class CurrentPageStack(QStackedWidget):
    """A stack that asks for the room its page in sight needs, not for the largest of all
    its pages' (QStackedWidget's): the kiosk's on-screen keyboard gets what the current
    screen leaves, and a long consent text or the catalog grid does not make an agent's
    laptop window taller while another screen is up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        # A height for a width would be the largest *preferred* height of all the pages, and
        # the window's layout takes it as the stack's minimum: the keyboard would not fit.
        return False
