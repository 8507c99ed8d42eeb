"""The layering rules of docs/architecture.md, checked rather than hoped for."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO

# Everything in kiosk is Qt-free except the screens, the composition root and the demo.
QT_PARTS_OF_KIOSK = ["kiosk.ui", "kiosk.app", "kiosk.demo",
                     "kiosk.documents.layout", "kiosk.documents.pdf"]  # A4 layout with Qt

_BLOCK_QT = textwrap.dedent("""
    import importlib, importlib.abc, pkgutil, sys

    class NoQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}:
                raise ImportError(f"Qt is not available here: {name}")
            return None

    sys.meta_path.insert(0, NoQt())
    for package in ["seeds", "civic", "devices", "offline_queue", "central", "faces",
                    "assist"]:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            importlib.import_module(info.name)
    qt_parts = tuple(sys.argv[1:])
    import kiosk
    for info in pkgutil.walk_packages(kiosk.__path__, "kiosk."):
        if not (info.name in qt_parts or info.name.startswith(tuple(p + "." for p in qt_parts))):
            importlib.import_module(info.name)
    assert not any(m.split(".")[0] == "PySide6" for m in sys.modules)
    print("ok")
""")


def test_lower_layers_and_qt_free_kiosk_import_without_qt() -> None:
    """seeds, civic, devices, offline_queue, central, faces, assist and all of kiosk but its
    screens import without PySide6."""
    proc = subprocess.run([sys.executable, "-c", _BLOCK_QT, *QT_PARTS_OF_KIOSK], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_import_contracts_hold() -> None:
    """import-linter's contracts in pyproject.toml (which package may import which) are kept."""
    lint = REPO / ".venv" / "bin" / "lint-imports"
    exe = str(lint) if lint.exists() else "lint-imports"
    proc = subprocess.run([exe, "--no-cache"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: " in proc.stdout and " broken" not in proc.stdout.replace("0 broken", "")
