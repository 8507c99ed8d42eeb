"""Chinese text must be drawn with Simplified Chinese glyph shapes."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

# Noto Sans CJK holds SC, TC, JP and KR shapes; naming the SC family avoids Japanese forms.
PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                      "Source Han Sans SC")


def ui_font(point_size: int = 16) -> QFont:
    available = set(QFontDatabase.families())
    family = next((f for f in PREFERRED_FAMILIES if f in available), None)
    font = QFont(family) if family else QFont()
    font.setPointSize(point_size)
    return font
