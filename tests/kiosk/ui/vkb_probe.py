"""Run under a real X server by test_keyboard.py: the embedded Qt Virtual Keyboard."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from tests.kiosk.ui.vkb_panel import wait, window_with_panel

window, (edit,), keyboard, panel = window_with_panel(Qt.InputMethodHint.ImhSensitiveData
                                                     | Qt.InputMethodHint.ImhNoPredictiveText)
QTest.mouseClick(edit, Qt.MouseButton.LeftButton)     # a tap on the field, as a citizen
shown = wait(lambda: QGuiApplication.inputMethod().isVisible())
root = panel.rootObject()
user_data = root.property("userData") if root is not None else None
learned = keyboard.user_data / "data" / "pinyin" / "usr_dict.dat"
learned.parent.mkdir(parents=True, exist_ok=True)
learned.write_bytes("张建国".encode("utf-16-le"))
keyboard.reset()
result = {"errors": [e.toString() for e in panel.errors()], "root": root is not None,
          "visible": shown, "height": panel.height(), "user_data": user_data,
          "expected_user_data": str(keyboard.user_data / "data"),
          "learned_after_reset": [str(p) for p in keyboard.learned_files()],
          "im_module": os.environ.get("QT_IM_MODULE"), "focus": edit.hasFocus(),
          "active": window.isActiveWindow()}
keyboard.close()
print(json.dumps(result))
