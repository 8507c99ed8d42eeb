"""Per-model printer profiles, kept as data in ``profiles.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

CUT_MODES = ("partial", "full", "none")


@dataclass(frozen=True)
class PrinterProfile:
    """What the encoder needs to know about one printer model."""

    name: str
    description: str
    paper_mm: int
    dots: int
    columns: int
    native_qr: bool
    cut: str
    band_rows: int
    qr_module: int
    chinese: str
    feed_lines: int

    def __post_init__(self) -> None:
        if self.cut not in CUT_MODES:
            raise ValueError(f"profile {self.name}: cut must be one of {CUT_MODES}")
        if self.chinese != "gbk":
            raise ValueError(f"profile {self.name}: only the gbk Chinese font is supported")
        if not (1 <= self.qr_module <= 16 and 1 <= self.band_rows <= 2047):
            raise ValueError(f"profile {self.name}: qr_module 1-16, band_rows 1-2047")
        if self.dots % 8:
            raise ValueError(f"profile {self.name}: dots must be a multiple of 8")

    @property
    def cjk_columns(self) -> int:
        return self.columns // 2


def _load_all() -> dict[str, PrinterProfile]:
    text = resources.files(__package__).joinpath("profiles.toml").read_text("utf-8")
    raw: dict[str, dict[str, Any]] = tomllib.loads(text)
    return {name: PrinterProfile(name=name, **fields) for name, fields in raw.items()}


def profile_names() -> list[str]:
    return sorted(_load_all())


def get_profile(name: str) -> PrinterProfile:
    """The profile called ``name``; ``KeyError`` names the known ones."""
    profiles = _load_all()
    if name not in profiles:
        raise KeyError(f"unknown printer profile {name!r}; known: {', '.join(sorted(profiles))}")
    return profiles[name]
