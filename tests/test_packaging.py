"""An operator's install (docs/deployment.md): ``pip install .`` into a fresh venv, not
editable, then the ``kiosk`` command run from a directory that has nothing to do with the
checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

# What a clean clone does not have: environments, caches, build output. A stale build/lib
# left in the source tree would be packed into the wheel and could hide a missing file.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", ".data", "__pycache__", "*.egg-info", ".*_cache",
    ".hypothesis", ".schemathesis", "out")

_WHERE = """
import json, os, sys, kiosk, seeds
print(json.dumps({"kiosk": kiosk.__file__, "seeds": str(seeds.seeds_dir()),
                  "cwd": os.getcwd(), "path": sys.path}))
"""


def _run(cmd: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd="/tmp",
                          timeout=timeout)


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def venv(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "venv"
    yield path
    shutil.rmtree(path, ignore_errors=True)     # close to 1 GB; pytest keeps old tmp dirs


def test_a_non_editable_install_runs_from_any_directory(tmp_path: Path, venv: Path) -> None:
    """After `pip install .` (not editable) into a new venv, `kiosk catalog check` and
    `kiosk run --quit-after-ready` succeed from /tmp, using the installed catalog."""
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=_NOT_SOURCE, symlinks=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    install = _run([str(venv / "bin" / "pip"), "install", "-q", str(source)], env, 1200)
    assert install.returncode == 0, install.stdout + install.stderr

    where = _run([str(venv / "bin" / "python"), "-c", _WHERE], env, 60)
    assert where.returncode == 0, where.stderr
    found = json.loads(where.stdout)
    site = Path(found["kiosk"]).resolve().parent.parent
    assert site.is_relative_to(venv.resolve()) and site.name == "site-packages", found
    assert Path(found["seeds"]).resolve() == site / "seeds"
    assert found["cwd"] == "/tmp"
    for entry in found["path"]:     # neither the checkout nor its copy is importable
        assert not entry or not Path(entry).resolve().is_relative_to(source.resolve())
        assert not entry or Path(entry).resolve() != REPO.resolve()

    # every seed file is shipped, and the generator (tools/) is not
    shipped = _files(site / "seeds")
    wanted = {f for f in _files(source / "seeds") if not f.startswith("tools/")}
    assert wanted <= shipped, sorted(wanted - shipped)
    assert not any(f.startswith("tools/") for f in shipped)

    # the clerk's console is central's package data, served from the install (central.console)
    console = _files(site / "central" / "console")
    assert {"index.html", "console.js", "console.css"} <= console, sorted(console)

    check = _run([str(venv / "bin" / "kiosk"), "catalog", "check"], env, 120)
    assert check.returncode == 0, check.stdout + check.stderr
    checked = check.stdout.strip().removeprefix("catalog ok: ")
    assert Path(checked).resolve() == site / "seeds", check.stdout

    data_dir = tmp_path / "data"
    started = _run([str(venv / "bin" / "kiosk"), "run", "--quit-after-ready",
                    "--data-dir", str(data_dir)], {**env, "QT_QPA_PLATFORM": "offscreen"}, 180)
    assert started.returncode == 0, started.stdout + started.stderr
    assert "ready in" in started.stdout + started.stderr
