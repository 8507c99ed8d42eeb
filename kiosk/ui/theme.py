"""Normal and elder mode (长辈版): sizes and colours, declared once, as one style sheet.

Numbers from ../shared/reference/kiosk.md §4: contrast at least 4.5:1 everywhere (every
pair below is checked by a test that measures the rendered widgets); elder-mode body text
at least 20 pt and touch targets at least 60 px — we aim for 80 px, about 20 mm on a 21.5"
1920×1080 panel (0.248 mm per pixel); one column and fewer choices per screen. Normal mode
keeps the same colours at a smaller scale (targets still 64 px).
"""

from __future__ import annotations

from typing import NamedTuple

INK = "#1a1a1a"          # body text on white: 17.4:1
MUTED = "#4a4a4a"        # secondary text on white: 8.9:1
PAPER = "#ffffff"
PRIMARY = "#0b3d91"      # white on this: 10.6:1
PRIMARY_SOFT = "#e6edf8"  # PRIMARY text on this: 9.2:1
ERROR = "#a4001d"        # on white: 8.1:1
ERROR_SOFT = "#fdecee"
OK = "#1b5e20"           # on its soft background: 6.6:1
OK_SOFT = "#e8f5e9"
WARN = "#7a4a00"         # on its soft background: 6.9:1
WARN_SOFT = "#fff4e0"
BAR = "#f2f4f7"          # status bar background (INK on it: 15.8:1)
FOCUS = "#ffdd00"        # what has keypad focus: INK on it 14.6:1, its INK ring 17.4:1 on
                         # white; unlike any other colour here, so it is seen in both modes


# a named tuple, not a frozen dataclass: the first screen waits for this module, and a
# dataclass takes ~2 ms to define (bench/startup.py)
class Theme(NamedTuple):
    """The sizes of one mode, normal or elder."""

    name: str
    body_pt: int
    title_pt: int
    small_pt: int
    target_px: int           # minimum height (and width) of anything touchable
    gap_px: int              # space between touch targets (>= 2.5 mm)
    columns: int             # choice grids
    per_page: int            # choices shown at once
    focus_px: int = 4        # the focus ring's width (at most 6: it takes the padding's
                             # room, so a focused button keeps its size and its text)

    @property
    def elder(self) -> bool:
        return self.name == "elder"


NORMAL = Theme("normal", body_pt=16, title_pt=26, small_pt=14, target_px=64, gap_px=12,
               columns=3, per_page=9)
ELDER = Theme("elder", body_pt=22, title_pt=34, small_pt=20, target_px=88, gap_px=16,
              columns=1, per_page=4, focus_px=6)


def theme_for(elder: bool) -> Theme:
    return ELDER if elder else NORMAL


def stylesheet(t: Theme) -> str:
    """The one style sheet of the main window for a theme (object names select roles)."""
    return f"""
    QWidget {{ background: {PAPER}; color: {INK}; font-size: {t.body_pt}pt; }}
    QLabel#title {{ font-size: {t.title_pt}pt; font-weight: bold; color: {PRIMARY}; }}
    QLabel#subtitle, QLabel#muted {{ color: {MUTED}; font-size: {t.small_pt}pt; }}
    QLabel#error {{ color: {ERROR}; background: {ERROR_SOFT}; padding: 4px 8px; }}
    QLabel#notice {{ color: {WARN}; background: {WARN_SOFT}; padding: 8px 12px; }}
    QLabel#good {{ color: {OK}; background: {OK_SOFT}; padding: 8px 12px; }}
    QLabel#tag {{ color: {OK}; background: {OK_SOFT}; font-size: {t.small_pt}pt;
                  padding: 2px 8px; }}
    QLabel#big {{ font-size: {t.title_pt}pt; font-weight: bold; }}
    QPushButton {{ min-height: {t.target_px}px; min-width: {t.target_px}px;
                   padding: 4px 20px; border-radius: 10px;
                   background: {PRIMARY_SOFT}; color: {PRIMARY}; border: 2px solid {PRIMARY}; }}
    QPushButton#primary {{ background: {PRIMARY}; color: {PAPER}; font-weight: bold; }}
    QPushButton#danger {{ background: {ERROR}; color: {PAPER}; font-weight: bold; }}
    QFrame#callpanel {{ background: {PAPER}; border-left: 3px solid {PRIMARY}; }}
    QPushButton:disabled {{ background: {BAR}; color: {MUTED}; border-color: {MUTED}; }}
    QPushButton:checked, QPushButton:checked:disabled {{ background: {PRIMARY};
                                                      color: {PAPER}; }}
    QLineEdit, QComboBox {{ min-height: {t.target_px}px; padding: 0 12px;
                            border: 2px solid {MUTED}; border-radius: 8px;
                            background: {PAPER}; color: {INK}; }}
    QLineEdit[invalid="true"] {{ border: 3px solid {ERROR}; }}
    QPushButton:focus, QPushButton:checked:focus, QPushButton#primary:focus,
    QPushButton#danger:focus {{
        background: {FOCUS}; color: {INK}; border: {t.focus_px}px solid {INK};
        outline: none; padding: {4 - (t.focus_px - 2)}px {20 - (t.focus_px - 2)}px; }}
    QLineEdit:focus, QComboBox:focus {{ border: {t.focus_px}px solid {INK};
                                        background: {PAPER}; }}
    QWidget#topbar QPushButton:focus {{ background: {FOCUS}; color: {INK}; }}
    QLineEdit:read-only {{ background: {BAR}; }}
    QComboBox QAbstractItemView {{ min-height: {t.target_px}px; background: {PAPER};
                                  color: {INK}; selection-background-color: {PRIMARY};
                                  selection-color: {PAPER}; }}
    QWidget#statusbar, QWidget#statusbar QLabel {{ background: {BAR}; color: {INK};
                                                 font-size: {t.small_pt}pt; }}
    QWidget#topbar, QWidget#topbar QLabel {{ background: {PRIMARY}; color: {PAPER}; }}
    QWidget#topbar QPushButton {{ background: {PAPER}; color: {PRIMARY}; }}
    QWidget#overlay {{ background: rgba(0, 0, 0, 150); }}
    QFrame#card {{ background: {PAPER}; border: 3px solid {PRIMARY}; border-radius: 16px; }}
    QScrollBar:vertical {{ width: {t.target_px // 2}px; }}
    """


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2.x contrast ratio of two sRGB colours (1..21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
