"""Chinese text must be drawn with Simplified Chinese glyph shapes."""

from __future__ import annotations

from PySide6.QtGui import QFont

# Noto Sans CJK holds SC, TC, JP and KR shapes; naming the SC family avoids Japanese forms.
PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                      "Source Han Sans SC")


def ui_font(point_size: int = 16) -> QFont:
    # setFamilies() lets Qt fall back along the list when it draws; asking the font
    # database which families exist first would scan every installed font at start-up.
    font = QFont()
    font.setFamilies(list(PREFERRED_FAMILIES))
    font.setPointSize(point_size)
    return font
