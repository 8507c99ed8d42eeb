"""``kiosk identity face-check``: compare live face images with a reference image here, as
the terminal compares a live face with the ID card's photo (docs/identity.md).

Runs the face engine in this process (a command draws no screen, so the engine's hold on
the GIL freezes nothing) and needs no display. Images are read into memory only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_FAILURE, EXIT_NOTHING, EXIT_OK, EXIT_USAGE, emit, json_option


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("identity", parents=[parent], help="person-to-card checks",
                           description="Checks that the person at the terminal is the card's "
                                       "holder.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "face-check", parents=[parent], help="compare live face images with a reference",
        description="Compare each live image's face with the reference image's face, with "
                    "the terminal's engine and threshold. Exit 0 when compared (match or not), "
                    "2 when an image holds no single clear face or it is too small, 1 on bad "
                    "input, 3 when the face engine is not installed.")
    check.add_argument("--reference", type=Path, required=True, metavar="IMG",
                       help="the reference face (e.g. an ID card's photo), JPEG or PNG")
    check.add_argument("--live", type=Path, action="append", required=True, metavar="IMG",
                       help="a live face image; repeat for several")
    json_option(check)
    check.set_defaults(func=_face_check)


def _face_check(args: argparse.Namespace) -> int:
    from faces.dlib_engine import DlibEngine
    from faces.engine import LocalJudge
    from faces.errors import EngineUnavailable, ImageUnreadable
    from faces.frame import frame_from_image
    from faces.model import Verdict

    paths: list[Path] = [args.reference, *args.live]
    frames = []
    for path in paths:
        try:
            frames.append(frame_from_image(path.read_bytes()))
        except OSError as exc:
            print(f"kiosk: cannot read {path}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        except ImageUnreadable as exc:
            print(f"kiosk: {path}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    try:
        judge = LocalJudge(DlibEngine())
    except EngineUnavailable as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    judgements = [judge.judge(frame) for frame in frames]
    result: dict[str, Any] = {"faces": [j.faces for j in judgements]}
    for path, judgement in zip(paths, judgements, strict=True):
        if judgement.verdict is not Verdict.OK:
            result.update(reason=judgement.verdict.value, image=str(path))
            emit(result, args.json)
            print(f"kiosk: {path}: {_REASONS[judgement.verdict.value]}", file=sys.stderr)
            return EXIT_NOTHING
    reference = judgements[0].face
    assert reference is not None and reference.encoding is not None
    scores = []
    for judgement in judgements[1:]:
        assert judgement.face is not None and judgement.face.encoding is not None
        scores.append(round(judge.similarity(reference.encoding, judgement.face.encoding), 4))
    best = max(scores)
    result.update(scores=scores, score=best, match=best >= judge.threshold,
                  threshold=judge.threshold)
    emit(result, args.json)
    return EXIT_OK


_REASONS = {"no_face": "no face found", "several_faces": "more than one face",
            "too_small": "the face is too small to judge (closer, or a larger image)"}
