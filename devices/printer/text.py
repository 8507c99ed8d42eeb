"""Text on a receipt: display width, wrapping, and GBK with full-width substitutes.

A Han character or full-width form takes two columns (East-Asian width W or F), ASCII one.
Characters that GBK cannot encode are first replaced by a full-width equivalent where one
exists (``¥`` → ``￥``); a line that still holds one (a rare name character such as 䶮) is
printed as a raster image by the encoder instead.
"""

from __future__ import annotations

import unicodedata

# Half-width or Latin-1 signs GBK lacks, and their full-width forms that it has.
FULLWIDTH_SUBSTITUTES = {
    "¥": "￥", "¢": "￠", "£": "￡", "¬": "￢", "¦": "￤", "¯": "￣", "€": "EUR",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}

# Closing punctuation that Chinese typesetting never puts at the start of a line.
NO_LINE_START = frozenset("，。、；：？！）》」』”’%,.;:?!)]")


def char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def substitute(text: str) -> str:
    """Replace characters GBK lacks by full-width (or plain) equivalents where they exist."""
    return "".join(FULLWIDTH_SUBSTITUTES.get(c, c) for c in text)


def gbk_encodable(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` display columns.

    Explicit newlines are kept. Chinese breaks anywhere; a run of ASCII breaks at its last
    space when there is one, so URLs and numbers stay whole where they fit.
    """
    if columns < 2:
        raise ValueError("at least two columns are needed")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, width = "", 0
        for char in paragraph:
            w = char_width(char)
            if width + w > columns:
                cut = current.rfind(" ")
                if cut > 0 and current[cut + 1:].isascii():
                    lines.append(current[:cut])
                    current = current[cut + 1:]
                elif char in NO_LINE_START and len(current) > 1:
                    # 。，etc. never start a line: take the last character along with them.
                    lines.append(current[:-1])
                    current = current[-1]
                else:
                    lines.append(current)
                    current = ""
                width = display_width(current)
            current += char
            width += w
        lines.append(current)
    return lines


def fit_row(label: str, value: str, columns: int) -> list[str]:
    """A label and a right-aligned value on one line, or wrapped when they do not fit."""
    gap = columns - display_width(label) - display_width(value)
    if gap >= 1:
        return [label + " " * gap + value]
    lines = wrap(label, columns)
    for part in wrap(value, columns):
        lines.append(" " * (columns - display_width(part)) + part)
    return lines
