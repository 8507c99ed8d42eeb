"""kiosk.lazy: a declared module runs at its first use, and is then an ordinary module."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.lazy import lazy


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    """A package on sys.path whose parts record when they run (in ``RUNS``)."""
    root = tmp_path / "lazypkg"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "lazyruns.py").write_text("RUNS = []\n")
    (root / "__init__.py").write_text("import lazyruns\nlazyruns.RUNS.append('pkg')\n")
    (root / "sub" / "__init__.py").write_text("import lazyruns\nlazyruns.RUNS.append('sub')\n")
    (root / "sub" / "leaf.py").write_text(
        "import lazyruns\nlazyruns.RUNS.append('leaf')\nVALUE = 42\n\n"
        "def fail():\n    raise ValueError('from the leaf')\n")
    sys.path.insert(0, str(tmp_path))
    yield root
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n.split(".")[0] in ("lazypkg", "lazyruns")]:
        del sys.modules[name]


def runs() -> list[str]:
    import lazyruns  # type: ignore[import-not-found]

    return list(lazyruns.RUNS)


def test_the_module_runs_at_its_first_use_after_its_packages(package: Path) -> None:
    leaf = lazy("lazypkg.sub.leaf")
    assert runs() == ["pkg", "sub"], "the packages are imported as an import would"
    assert leaf.VALUE == 42
    assert runs() == ["pkg", "sub", "leaf"]
    assert leaf.VALUE == 42 and runs() == ["pkg", "sub", "leaf"], "it ran once"


def test_the_module_is_the_one_an_import_gives_and_its_package_holds_it(
        package: Path) -> None:
    leaf = lazy("lazypkg.sub.leaf")
    import lazypkg.sub.leaf  # type: ignore[import-not-found]

    assert lazypkg.sub.leaf is leaf and leaf.VALUE == 42
    from lazypkg.sub import leaf as again  # type: ignore[import-not-found]

    assert again is leaf and lazy("lazypkg.sub.leaf") is leaf


def test_a_module_already_imported_is_returned_as_it_is() -> None:
    import json

    assert lazy("json") is json


def test_a_misspelt_module_fails_at_declaration(package: Path) -> None:
    with pytest.raises(ModuleNotFoundError):
        lazy("lazypkg.sub.nosuch")
    with pytest.raises(ModuleNotFoundError):
        lazy("no_such_top_level_module_here")
    assert "leaf" not in runs()


def test_tracebacks_still_show_the_source_line(package: Path) -> None:
    leaf = lazy("lazypkg.sub.leaf")
    with pytest.raises(ValueError) as caught:
        leaf.fail()
    text = "".join(traceback.format_exception(caught.value))
    assert "raise ValueError('from the leaf')" in text
