"""The on-screen keyboard: Qt Virtual Keyboard (pinyin) embedded in the main window.

Set up per ../shared/reference/kiosk.md §3: ``QT_IM_MODULE=qtvirtualkeyboard`` and
``QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1`` before the QApplication exists (:func:`prepare_env`),
then an ``InputPanel`` in a ``QQuickWidget`` at the bottom of the window. The pinyin engine
learns words into a user dictionary on disk: it is pointed at a private temporary directory
and :meth:`VirtualKeyboard.reset` empties it (and calls ``userDataReset()``) on every wipe,
so names typed by one citizen are never suggested to the next.

Size: the panel takes room in the window only while a field wants text, and then as much as
its :class:`KeySize` needs — bigger in elder mode (:meth:`VirtualKeyboard.set_elder`). The
default style sizes everything from the panel's width (a 1920-px panel would be 664 px high);
two of its design numbers, set from the QML below, make the label size and the height of the
keys our choice instead. (No style of our own: the default one is built into Qt and cannot be
extended by a style directory without copying it.)
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# Qt, QtQuick, tempfile and shutil are imported where used: this module is loaded before the first
# screen, the panel only after it (kiosk.app.citizen.KioskApp.build_keyboard).

QML = """
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

InputPanel {
    id: panel
    width: parent ? parent.width : 1280
    property string userData: VirtualKeyboardSettings.userDataPath
    // kiosk.ui.keyboard.KeySize: the style's pixels per design pixel, and the keys' height.
    // The default style makes its keyboard keyboardDesignHeight * width / keyboardDesignWidth
    // high and scales its drawing by width / keyboardDesignWidth.
    property real keyScale: 0.5
    property real keysHeight: 398
    Binding {
        when: panel.keyboard.style !== null
        target: panel.keyboard.style
        property: "keyboardDesignWidth"
        value: Math.max(panel.width, 1) / panel.keyScale
    }
    Binding {
        when: panel.keyboard.style !== null
        target: panel.keyboard.style
        property: "keyboardDesignHeight"
        value: panel.keysHeight / panel.keyScale
    }
    // the language name on the space bar fades to half opacity after a second: 3:1 against
    // its key, under the 4.5:1 every text on the kiosk keeps
    Connections {
        target: panel.keyboard.style
        function onInputLocaleIndicatorOpacityChanged() {
            panel.keyboard.style.inputLocaleIndicatorOpacity = 1.0
        }
    }
    function resetUserData() { VirtualKeyboardSettings.userDataReset() }
    Component.onCompleted: {
        VirtualKeyboardSettings.locale = "zh_CN"
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.userDataPath = "%USERDATA%"
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = true
    }
}
"""

#: rows of keys in every layout the panel offers here (pinyin, English, symbols, digits)
ROWS = 4
#: the default style's own numbers, in its design pixels (Styles/Builtin/default/style.qml):
#: the word-candidate bar above the keys, the margin above and below them
CANDIDATE_BAR, KEYS_MARGIN = 85, 6
#: no row of keys lower than this, however little room the window has (kiosk.md §4)
MIN_ROW_PX = 60


class KeySize:
    """How big the panel draws its keys. ``scale``: the default style's pixels per design
    pixel (key labels 60·scale px, word candidates 44·scale px in a bar 85·scale px high);
    ``row_px``: the height of a row of keys, which is every key's touch target."""

    # a plain class: a dataclass costs ~1.4 ms to define, and this module loads before the
    # first screen (bench/startup.py)
    __slots__ = ("row_px", "scale")

    def __init__(self, scale: float, row_px: int) -> None:
        self.scale, self.row_px = scale, row_px

    def __repr__(self) -> str:
        return f"KeySize(scale={self.scale}, row_px={self.row_px})"

    @property
    def keys_px(self) -> int:
        return ROWS * self.row_px + 2 * round(KEYS_MARGIN * self.scale)

    @property
    def panel_px(self) -> int:
        """The panel's height: the keys and the word-candidate bar above them."""
        return self.keys_px + math.ceil(CANDIDATE_BAR * self.scale)

    def fitted(self, spare_px: int) -> KeySize:
        """This size, its rows lowered to fit ``spare_px`` (never below :data:`MIN_ROW_PX`)."""
        if self.panel_px <= spare_px:
            return self
        rest = self.panel_px - ROWS * self.row_px
        return KeySize(self.scale, max(MIN_ROW_PX, (spare_px - rest) // ROWS))


#: normal mode: what the default style draws on a 1280-px window (labels 30 px ≈ 22 pt)
NORMAL = KeySize(scale=0.5, row_px=98)
#: elder mode: rows of 112 px (28 mm on the kiosk's 21.5" 1920×1080 panel), labels 43 px
#: (32 pt), word candidates 32 px (24 pt) in a 62-px bar
ELDER = KeySize(scale=0.72, row_px=112)


def prepare_env(environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    """Select the embedded virtual keyboard; call before creating the QApplication.

    Qt reads ``QT_IM_MODULE`` once, when the QApplication initialises its platform plugin,
    and loads the keyboard's input-context plugin then (~8 ms before the first frame, with
    the QtQuick libraries it links): Qt has no public way to choose an input method later.
    """
    environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"


def enabled() -> bool:
    return os.environ.get("QT_IM_MODULE") == "qtvirtualkeyboard"


class VirtualKeyboard:
    """Owns the keyboard's user-data directory; builds the panel when the module is on."""

    def __init__(self) -> None:
        self._user_data: Path | None = None
        self.panel: QWidget | None = None
        self.elder = False
        #: the size the panel was last drawn at
        self.size = NORMAL
        self._following = False                 # the input method's visibility

    @property
    def user_data(self) -> Path:
        """The private directory the pinyin engine learns into (made on first use)."""
        if self._user_data is None:
            import tempfile

            self._user_data = Path(tempfile.mkdtemp(prefix="kiosk-vkb-"))
        return self._user_data

    def build(self, parent: QWidget) -> QWidget | None:
        """The panel, hidden until a field wants text (then it takes its room in the layout)."""
        if not enabled():
            return None
        from PySide6.QtCore import Qt, QUrl
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtQuickWidgets import QQuickWidget
        from PySide6.QtWidgets import QSizePolicy

        view = QQuickWidget(parent)
        view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # taps on keys keep the field's focus
        # hidden, it would stay 0 px wide until first shown: a style scaled to nothing fails
        # to draw its icons
        view.resize(parent.width(), self.size.panel_px)
        qml = self.user_data / "panel.qml"
        qml.write_text(QML.replace("%USERDATA%", str(self.user_data / "data")),
                       encoding="utf-8")
        view.setSource(QUrl.fromLocalFile(str(qml)))
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        view.setFixedHeight(self.size.panel_px)
        view.hide()
        self.panel = view
        QGuiApplication.inputMethod().visibleChanged.connect(self._follow_input_method)
        self._following = True
        return view

    def set_elder(self, elder: bool) -> None:
        """Elder mode's keys or normal mode's: at once if the panel is showing, else the next
        time it shows."""
        self.elder = elder
        if self.panel is not None and self.panel.isVisible():
            self._fit()

    def _follow_input_method(self) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtGui import QGuiApplication

        panel = self.panel
        if panel is None:
            return
        if QGuiApplication.inputMethod().isVisible():
            self._fit()
            panel.show()
            QTimer.singleShot(0, reveal_focus)
        else:
            panel.hide()

    def _fit(self) -> None:
        """Size the keys for the mode and for the room the window can give."""
        panel = self.panel
        root = panel.rootObject() if panel is not None else None  # type: ignore[attr-defined]
        if panel is None or root is None:
            return
        window = panel.window()
        # a screen may have stretched the window past the screen for a moment (the window
        # grows to its pages' minimum and never shrinks back by itself): the screen is the room
        handle = window.windowHandle()          # (MainWindow.screen() is something else)
        screen = handle.screen() if handle is not None else None
        room = min(window.height(), screen.availableGeometry().height() if screen else 1 << 16)
        spare = room - window.minimumSizeHint().height()
        if panel.isVisible():                       # its height is in that minimum
            spare += panel.height()
        self.size = (ELDER if self.elder else NORMAL).fitted(spare)
        root.setProperty("keyScale", self.size.scale)
        root.setProperty("keysHeight", self.size.keys_px)
        panel.setFixedHeight(self.size.panel_px)

    def reset(self) -> None:
        """Forget every learned word (the wipe calls this)."""
        if self._user_data is None:             # never built, never learned anything
            return
        if self.panel is not None:
            root = self.panel.rootObject()  # type: ignore[attr-defined]
            if root is not None:
                from PySide6.QtCore import QMetaObject

                QMetaObject.invokeMethod(root, "resetUserData")
        import shutil

        data = self.user_data / "data"
        if data.exists():
            shutil.rmtree(data, ignore_errors=True)
        data.mkdir(mode=0o700, exist_ok=True)

    def learned_files(self) -> list[Path]:
        data = self.user_data / "data"
        return [p for p in data.rglob("*") if p.is_file()] if data.exists() else []

    def close(self) -> None:
        if self._following:
            from PySide6.QtGui import QGuiApplication

            QGuiApplication.inputMethod().visibleChanged.disconnect(self._follow_input_method)
            self._following = False
        if self._user_data is not None:
            import shutil

            shutil.rmtree(self._user_data, ignore_errors=True)


def reveal_focus() -> None:
    """Scroll the field being typed into back into sight: the panel took its room from the
    screen above it, whose scroll area may have hidden the field."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QScrollArea

    focus = QApplication.focusWidget()
    if focus is None:
        return
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)   # the new geometry
    area = focus.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if area is None:
        return
    row, parent = focus, focus.parentWidget()   # the field's row in the scrolled body, with
    while parent is not None and parent is not area.widget():    # its label
        row, parent = parent, parent.parentWidget()
    area.ensureWidgetVisible(row, 0, 24)
    area.ensureWidgetVisible(focus, 0, 24)  # the field itself wins if the row is too tall
