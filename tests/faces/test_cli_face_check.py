"""`kiosk identity face-check` tells one person from another, as ../shared/specs/cli.md says,
in a process where Qt cannot even be imported."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from faces import scoring
from faces.dlib_engine import DlibEngine
from faces.frame import Frame
from tests.conftest import REPO
from tests.faces import imagery

_NO_QT = textwrap.dedent("""
    import importlib.abc, sys
    class NoQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"PySide6", "shiboken6"}:
                raise ImportError("Qt is not available here")
            return None
    sys.meta_path.insert(0, NoQt())
    from kiosk.cli.main import main
    sys.exit(main(sys.argv[1:]))
""")


def face_check(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    """Run the command without Qt and without a display; (exit code, JSON, stderr)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    proc = subprocess.run([sys.executable, "-c", _NO_QT, "--data-dir", str(tmp_path / "data"),
                           "identity", "face-check", *args, "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    out = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc.returncode, out, proc.stderr


def _save(folder: Path, name: str, frame: Frame) -> str:
    # Sample portraits only (public domain), in the test's own temporary directory.
    path = folder / f"{name}.jpg"
    path.write_bytes(imagery.jpeg_bytes(frame, 95))
    return str(path)


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory, portraits: dict[str, Frame],
           engine: DlibEngine) -> dict[str, dict[str, str]]:
    """Per person: the original, its altered copies and its 102 × 126 card-photo crop."""
    folder = tmp_path_factory.mktemp("portraits")
    out: dict[str, dict[str, str]] = {}
    for person, frame in portraits.items():
        box = engine.detect(frame)[0]
        files = {"original": _save(folder, f"{person}-original", frame),
                 "card_photo": _save(folder, f"{person}-card", imagery.card_photo(
                     frame, (box.left, box.top, box.right, box.bottom)))}
        for name, variant in imagery.variants(frame).items():
            files[name] = _save(folder, f"{person}-{name}", variant)
        out[person] = files
    return out


def test_same_person_matches_and_different_people_do_not(
        tmp_path: Path, images: dict[str, dict[str, str]]) -> None:
    """Each portrait (and its card-photo crop) as reference matches every altered copy of
    itself; against every copy of every other person it never matches. Counts printed."""
    same: list[float] = []
    different: list[float] = []
    for person, files in images.items():
        for reference in ("original", "card_photo"):
            lives = [path for name, path in files.items() if name != reference]
            code, out, err = face_check(tmp_path, "--reference", files[reference],
                                        *itertools.chain.from_iterable(("--live", p)
                                                                       for p in lives))
            assert code == 0, err
            assert out["faces"] == [1] * (1 + len(lives))
            assert all(s >= out["threshold"] for s in out["scores"]), (person, reference, out)
            assert out["match"] is True and out["score"] == max(out["scores"])
            same += out["scores"]
    for (a, files_a), (b, files_b) in itertools.permutations(images.items(), 2):
        for reference in ("original", "card_photo"):
            lives = list(files_b.values())
            code, out, err = face_check(tmp_path, "--reference", files_a[reference],
                                        *itertools.chain.from_iterable(("--live", p)
                                                                       for p in lives))
            assert code == 0, err
            assert out["match"] is False, (a, b, reference, out)
            assert all(s < out["threshold"] for s in out["scores"])
            different += out["scores"]
    assert out["threshold"] == scoring.THRESHOLD
    worst_same = scoring.distance_of(min(same))
    best_different = scoring.distance_of(max(different))
    print(f"\nface-check over {len(images)} people: same person {len(same)} pairs, "
          f"{sum(s >= scoring.THRESHOLD for s in same)} matched, distance "
          f"max {worst_same:.3f}; different people {len(different)} pairs, "
          f"{sum(s >= scoring.THRESHOLD for s in different)} matched, distance min "
          f"{best_different:.3f}; threshold {scoring.THRESHOLD} (distance "
          f"{scoring.MATCH_DISTANCE})")
    assert len(images) >= 2 and len(same) >= 60 and len(different) >= 60
    assert worst_same < scoring.MATCH_DISTANCE < best_different


def test_images_without_one_clear_face_exit_2_with_the_reason(
        tmp_path: Path, portraits: dict[str, Frame], engine: DlibEngine) -> None:
    """A blank reference is no_face, a collage live image several_faces, a far-away face
    too_small: exit 2, naming the image."""
    first, second = list(portraits.values())[:2]
    reference = _save(tmp_path, "ref", first)
    blank = _save(tmp_path, "blank", Frame(640, 480, bytes([200]) * 640 * 480 * 3))
    collage = _save(tmp_path, "collage", imagery.side_by_side(first, second))
    tiny = _save(tmp_path, "tiny", imagery.shrunk_into(second,
                                                       45 / engine.detect(second)[0].size))
    code, out, _ = face_check(tmp_path, "--reference", blank, "--live", reference)
    assert (code, out["reason"], out["image"]) == (2, "no_face", blank)
    code, out, _ = face_check(tmp_path, "--reference", reference, "--live", reference,
                              "--live", collage)
    assert (code, out["reason"], out["image"], out["faces"]) == (2, "several_faces", collage,
                                                                  [1, 1, 2])
    code, out, err = face_check(tmp_path, "--reference", reference, "--live", tiny)
    assert (code, out["reason"], out["image"]) == (2, "too_small", tiny)
    assert "too small" in err
    assert "match" not in out


def test_bad_input_exits_1(tmp_path: Path, portraits: dict[str, Frame]) -> None:
    """A file that is not an image, a missing file, or no --live at all: exit 1."""
    reference = _save(tmp_path, "ref", next(iter(portraits.values())))
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    code, _, err = face_check(tmp_path, "--reference", reference, "--live", str(text))
    assert code == 1 and "notes.txt" in err and "image" in err
    code, _, err = face_check(tmp_path, "--reference", str(tmp_path / "gone.jpg"),
                              "--live", reference)
    assert code == 1 and "gone.jpg" in err
    code, _, _ = face_check(tmp_path, "--reference", reference)
    assert code == 1
