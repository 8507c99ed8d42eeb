"""Where the terminal keeps its state."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR_NAME = "gov-kiosk"


def default_data_dir() -> Path:
    """The platform's user data directory (XDG on Linux), unless KIOSK_DATA_DIR says otherwise."""
    if env := os.environ.get("KIOSK_DATA_DIR"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (owner-only) if needed; the data dir holds keys and personal data."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
