"""The code stays lint-clean and the driver and queue packages type-check strictly."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_ruff_finds_nothing() -> None:
    """ruff (configured in pyproject.toml) reports no problem anywhere in the tree."""
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise",
                           "."], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_on_devices_and_offline_queue() -> None:
    """devices and offline_queue pass mypy --strict (as configured in pyproject.toml)."""
    proc = subprocess.run([sys.executable, "-m", "mypy", "devices", "offline_queue"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
