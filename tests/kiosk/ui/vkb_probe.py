"""Run under a real X server by test_keyboard.py: the embedded Qt Virtual Keyboard."""

from __future__ import annotations

import json
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "xcb"

from kiosk.ui.keyboard import VirtualKeyboard, prepare_env

prepare_env()
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget  # noqa: E402

app = QApplication(sys.argv[:1])
window = QWidget()
layout = QVBoxLayout(window)
edit = QLineEdit(window)
edit.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                         | Qt.InputMethodHint.ImhNoPredictiveText)
layout.addWidget(edit)
keyboard = VirtualKeyboard()
panel = keyboard.build(window)
assert panel is not None
layout.addWidget(panel)
window.resize(1280, 800)
window.show()


def wait(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return False


root_ready = wait(lambda: panel.rootObject() is not None)
window.activateWindow()
wait(window.isActiveWindow, 3.0)
QTest.mouseClick(edit, Qt.MouseButton.LeftButton)     # a tap on the field, as a citizen
shown = wait(lambda: QGuiApplication.inputMethod().isVisible())
root = panel.rootObject()
user_data = root.property("userData") if root is not None else None
learned = keyboard.user_data / "data" / "pinyin" / "usr_dict.dat"
learned.parent.mkdir(parents=True, exist_ok=True)
learned.write_bytes("张建国".encode("utf-16-le"))
keyboard.reset()
result = {"errors": [e.toString() for e in panel.errors()], "root": root_ready,
          "visible": shown, "height": panel.height(), "user_data": user_data,
          "expected_user_data": str(keyboard.user_data / "data"),
          "learned_after_reset": [str(p) for p in keyboard.learned_files()],
          "im_module": os.environ.get("QT_IM_MODULE"), "focus": edit.hasFocus(),
          "active": window.isActiveWindow()}
keyboard.close()
print(json.dumps(result))
