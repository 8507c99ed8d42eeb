"""The on-screen keyboard: Qt Virtual Keyboard (pinyin) embedded in the main window.

Set up per ../shared/reference/kiosk.md §3: ``QT_IM_MODULE=qtvirtualkeyboard`` and
``QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1`` before the QApplication exists (:func:`prepare_env`),
then an ``InputPanel`` in a ``QQuickWidget`` at the bottom of the window. The pinyin engine
learns words into a user dictionary on disk: it is pointed at a private temporary directory
and :meth:`VirtualKeyboard.reset` empties it (and calls ``userDataReset()``) on every wipe,
so names typed by one citizen are never suggested to the next.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# Qt, QtQuick, tempfile and shutil are imported where used: this module is loaded before the first
# screen, the panel only after it (kiosk.app.KioskApp.build_keyboard).

QML = """
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

InputPanel {
    id: panel
    width: parent ? parent.width : 1280
    property string userData: VirtualKeyboardSettings.userDataPath
    function resetUserData() { VirtualKeyboardSettings.userDataReset() }
    Component.onCompleted: {
        VirtualKeyboardSettings.locale = "zh_CN"
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.userDataPath = "%USERDATA%"
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = true
    }
}
"""


def prepare_env(environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    """Select the embedded virtual keyboard; call before creating the QApplication."""
    environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"


def enabled() -> bool:
    return os.environ.get("QT_IM_MODULE") == "qtvirtualkeyboard"


class VirtualKeyboard:
    """Owns the keyboard's user-data directory; builds the panel when the module is on."""

    def __init__(self) -> None:
        self._user_data: Path | None = None
        self.panel: QWidget | None = None

    @property
    def user_data(self) -> Path:
        """The private directory the pinyin engine learns into (made on first use)."""
        if self._user_data is None:
            import tempfile

            self._user_data = Path(tempfile.mkdtemp(prefix="kiosk-vkb-"))
        return self._user_data

    def build(self, parent: QWidget) -> QWidget | None:
        if not enabled():
            return None
        from PySide6.QtCore import Qt, QUrl
        from PySide6.QtQuickWidgets import QQuickWidget
        from PySide6.QtWidgets import QSizePolicy

        view = QQuickWidget(parent)
        view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # taps on keys keep the field's focus
        qml = self.user_data / "panel.qml"
        qml.write_text(QML.replace("%USERDATA%", str(self.user_data / "data")),
                       encoding="utf-8")
        view.setSource(QUrl.fromLocalFile(str(qml)))
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        view.setFixedHeight(420)
        self.panel = view
        return view

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
        if self._user_data is not None:
            import shutil

            shutil.rmtree(self._user_data, ignore_errors=True)
