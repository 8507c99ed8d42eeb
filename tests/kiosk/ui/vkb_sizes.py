"""Run under a real X server by test_keyboard.py: the embedded panel's keys, normal and elder.

A 1280×800 window with a field above the panel. The field is tapped in normal mode, the
mode is switched to elder while the panel is up (as the top bar's button does), then the
field is left (the panel goes) and tapped again in elder mode. Each time, n-i-h-a-o is typed
so word candidates show, and what was drawn is measured: the keys' touch targets, their
labels' font size, the candidates' bar and font, the contrast of every labelled key and
candidate read from the rendered pixels, and whether the panel or the field is cut off.
Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QFont, QGuiApplication, QImage
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.ui.fields import SENSITIVE
from kiosk.ui.theme import contrast_ratio
from tests.kiosk.ui.vkb_panel import candidates, items, keys, tap, wait, window_with_panel

window, (edit,), keyboard, panel = window_with_panel(SENSITIVE)


def rect_of(item: QQuickItem) -> QRect:
    at = item.mapToScene(QPointF(0, 0))
    return QRect(round(at.x()), round(at.y()), round(item.width()), round(item.height()))


def contrast(image: QImage, area: QRect) -> float:
    """Background (the commonest colour) against the colour farthest from it."""
    counts: Counter[tuple[int, int, int]] = Counter()
    area = area.intersected(image.rect())
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            c = image.pixelColor(x, y)
            counts[(c.red(), c.green(), c.blue())] += 1
    background = counts.most_common(1)[0][0]
    ink = max((c for c, n in counts.items() if n >= 3),
              key=lambda c: contrast_ratio(c, background))
    return round(contrast_ratio(ink, background), 2)


def font_px(item: QQuickItem, text: str) -> float:
    """The pixel size of the text item drawing ``text``: ``item`` or one inside it."""
    drawn = [i for i in (item, *items(item))
             if i.property("text") == text and isinstance(i.property("font"), QFont)]
    return min(i.property("font").pixelSize() for i in drawn)


def settled() -> list[tuple[float, float]]:
    """Wait for the keys to stop moving (the panel slides in, its rows are laid out at the
    next frame) and return their sizes."""
    seen: list[list[tuple[float, float]]] = []

    def still() -> bool:
        seen.append(sorted((k.width(), k.height()) for k in keys(panel).values()))
        return len(seen) >= 5 and all(s == seen[-1] for s in seen[-5:])
    wait(still, 10)
    return seen[-1]


def measure() -> dict:
    for letter in "nihao":
        tap(panel, keys(panel)[letter])
    wait(lambda: bool(candidates(panel)), 5)
    sizes = settled()
    image = panel.grabFramebuffer()
    labelled = keys(panel)
    letters = [k for label, k in labelled.items() if label.isalpha() and label.isascii()]
    offered = [c for c in candidates(panel) if rect_of(c).right() < panel.width()]
    view = panel.rootObject().findChild(QQuickItem, "wordCandidateView")
    dpi = QGuiApplication.primaryScreen().logicalDotsPerInchY()
    top = panel.mapTo(window, panel.rect().topLeft()).y()
    field = edit.mapTo(window, edit.rect().bottomLeft()).y()
    result = {
        "size": [keyboard.size.scale, keyboard.size.row_px],
        "smallest_key": [min(w for w, _ in sizes), min(h for _, h in sizes)],
        "label_pt": round(min(font_px(k, k.property("text")) for k in letters) * 72 / dpi, 1),
        "candidate_bar": view.height(),
        "candidate_pt": round(min(font_px(c, c.property("text")) for c in offered) * 72 / dpi,
                              1),
        "key_contrast": min(contrast(image, rect_of(k)) for k in labelled.values()),
        "candidate_contrast": min(contrast(image, rect_of(c)) for c in offered),
        "panel": [panel.height(), panel.rootObject().implicitHeight()],
        "window": [window.height(), top + panel.height()],
        "field_above_panel": field <= top and not edit.visibleRegion().isEmpty(),
    }
    edit.clear()
    return result


QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
shown = wait(lambda: QGuiApplication.inputMethod().isVisible() and panel.isVisible())
result = {"root": panel.rootObject() is not None, "shown": shown,
          "errors": [e.toString() for e in panel.errors()], "normal": measure()}
keyboard.set_elder(True)                      # the top bar's button, the panel still up
result["elder_switched"] = measure()
edit.clearFocus()
QGuiApplication.inputMethod().hide()
result["hidden"] = wait(lambda: not panel.isVisible(), 5)
QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
wait(lambda: panel.isVisible())
result["elder"] = measure()
keyboard.close()
print(json.dumps(result, ensure_ascii=False))
