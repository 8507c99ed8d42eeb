"""The code stays lint-clean and type-checks: strictly in the domain, driver and queue packages."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def test_ruff_finds_nothing() -> None:
    """ruff (configured in pyproject.toml) reports no problem anywhere in the tree."""
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise",
                           "."], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


PACKAGES = ["assist", "central", "civic", "devices", "faces", "kiosk", "offline_queue"]


def test_mypy_as_configured() -> None:
    """Every package passes mypy as pyproject.toml configures it: strict on civic, devices,
    faces and offline_queue, mypy's default rules elsewhere."""
    proc = subprocess.run([sys.executable, "-m", "mypy", *PACKAGES], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_default_rules() -> None:
    """Every package passes mypy's default rules, without the project's configuration (in
    a cache of its own, so that neither run invalidates the other's)."""
    proc = subprocess.run([sys.executable, "-m", "mypy", "--config-file", os.devnull,
                           "--ignore-missing-imports", "--python-version", "3.11",
                           "--cache-dir", str(REPO / ".mypy_cache" / "default-rules"),
                           *PACKAGES], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
