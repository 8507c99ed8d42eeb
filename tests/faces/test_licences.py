"""The model file whose licence forbids commercial use is never loaded and never shipped."""

from __future__ import annotations

import fnmatch
import re
import sys
from pathlib import Path

from faces.dlib_engine import ENCODER, LANDMARKS_5, models_dir
from tests.conftest import REPO

FORBIDDEN = "shape_predictor_68_face_landmarks.dat"


def test_the_package_build_deletes_the_68_point_model_where_pip_puts_it() -> None:
    """debian/rules removes the 68-point model from the package's venv at the path where
    pip installs it (as it does in this venv), and keeps the two files the engine loads."""
    rules = (REPO / "debian" / "rules").read_text()
    root = re.search(r"DH_VIRTUALENV_INSTALL_ROOT = (\S+)", rules)
    assert root is not None
    code = "\n".join(line for line in rules.splitlines() if not line.lstrip().startswith("#"))
    removed = re.findall(r"\S+\.dat", code)
    # where the file lies in this venv, moved to the package's venv
    installed = models_dir() / FORBIDDEN
    assert installed.is_file()
    inside_venv = installed.relative_to(Path(sys.prefix))
    packaged = f"debian/gov-kiosk{root.group(1)}/gov-kiosk/{inside_venv}"
    assert any(fnmatch.fnmatch(packaged, pattern) for pattern in removed), (packaged, removed)
    assert not any(name in pattern for pattern in removed for name in (LANDMARKS_5, ENCODER))


def test_no_code_names_the_68_point_model_to_load_it() -> None:
    """Nothing in the faces package or the terminal names the 68-point model file."""
    for package in ("faces", "kiosk", "central"):
        for source in (REPO / package).rglob("*.py"):
            assert FORBIDDEN not in source.read_text(), source
