"""Run under a real X server by test_keyboard.py: pinyin typed on the embedded panel.

Taps the panel's own keys (QTest mouse clicks on the QQuickWidget at each key's centre),
n-i-h-a-o, then the first word candidate, once into an ordinary line edit and once into
one marked like every form field (``kiosk.ui.fields.SENSITIVE``). Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.ui.fields import SENSITIVE
from tests.kiosk.ui.vkb_panel import candidates, keys, tap, wait, window_with_panel

window, (plain, sensitive), keyboard, panel = window_with_panel(
    Qt.InputMethodHint.ImhNone, SENSITIVE)


def type_pinyin(edit: QLineEdit, letters: str) -> dict:
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton)       # a tap on the field
    shown = wait(lambda: QGuiApplication.inputMethod().isVisible())
    root = panel.rootObject()
    labelled = keys(panel)
    sizes.extend((k.width(), k.height()) for k in labelled.values())
    view = root.findChild(QQuickItem, "wordCandidateView")
    offered: list[QQuickItem] = []

    def listed() -> list[str]:
        offered[:] = candidates(panel)
        return [i.property("text") for i in offered]

    seen: list[tuple[float, float]] = []

    def settled() -> bool:
        # in view, and at the same place for a few polls: the list animates back to its
        # start after the previous word, and a tap during that lands beside the word
        if not listed() or offered[0].mapToItem(view, QPointF(0, 0)).x() < 0:
            return False
        at = offered[0].mapToScene(QPointF(0, 0))
        seen.append((at.x(), at.y()))
        return len(seen) >= 4 and len(set(seen[-4:])) == 1
    before = listed()
    for letter in letters:
        tap(panel, labelled[letter])
    wait(lambda: bool(listed()) and listed() != before, 5)   # the list for what was typed
    wait(settled, 5)
    first = offered[0]
    word = first.property("text")
    tap(panel, first)
    wait(lambda: bool(edit.text()), 5)
    hints = QGuiApplication.inputMethod().queryFocusObject(Qt.InputMethodQuery.ImHints, None)
    return {"shown": shown, "first_candidate": word, "text": edit.text(),
            "hints_seen": int(hints) if hints is not None else None}


sizes: list[tuple[float, float]] = []
result = {"root": panel.rootObject() is not None, "errors": [e.toString() for e in panel.errors()],
          "plain": type_pinyin(plain, "nihao"), "sensitive": type_pinyin(sensitive, "nihao"),
          "sensitive_hints": int(SENSITIVE.value),
          "smallest_key": [min(w for w, _ in sizes), min(h for _, h in sizes)]}
QApplication.processEvents()
result["learned"] = [str(p) for p in keyboard.learned_files()]
keyboard.close()
print(json.dumps(result, ensure_ascii=False))
