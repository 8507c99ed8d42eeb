"""The engine's process: ``python -m faces.worker_main [--engine module:Class]
[--decoder-library PATH --decoder-function NAME --decoder-signature S --decoder-output L]``.

Loads the engine once, says ``ready``, then answers requests on stdin/stdout
(:mod:`faces.wire`) until stdin closes — which is also how it dies with its parent: when the
kiosk's process ends for any reason, the pipe's last writer is gone and the next read sees
end-of-file. A watchdog thread also exits when the parent's pid changes (re-parented), for
the case where the parent dies while a frame is being encoded.

The reader vendor's card-photo decoder (:mod:`faces.card_photo`) is loaded here too, on the
first card photo: a closed native library that crashes then takes down this process (the
kiosk sees :class:`~faces.errors.WorkerCrashed` and gets a fresh one), not the screen's, and
the decoded photo never leaves this process — only its judgement and encoding do.

Frames arrive as bytes and stay in memory; nothing is written to disk or logged.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from faces.card_photo import (
    DecoderConfig,
    DecoderSignature,
    NoDecoder,
    PhotoDecoder,
    PhotoLayout,
    open_decoder,
)
from faces.engine import FaceEngine, judge_frame
from faces.errors import DecoderFailed, EngineUnavailable, FaceError
from faces.frame import Frame, frame_from_image
from faces.model import FrameJudgement
from faces.wire import read_message, write_message

DEFAULT_ENGINE = "faces.dlib_engine:DlibEngine"
# Below the GUI's priority: on two cores the screen must win when both want a core.
NICENESS = 5


def load_engine(spec: str) -> FaceEngine:
    """Build the engine named ``module:Class`` (a vendor's engine is named the same way)."""
    module_name, _, class_name = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise EngineUnavailable(f"the face engine {spec!r} is not installed ({exc})") from exc
    engine: FaceEngine = factory()
    return engine


def judgement_json(judgement: FrameJudgement) -> dict[str, Any]:
    """A judgement as the wire carries it."""
    out: dict[str, Any] = {"verdict": judgement.verdict.value, "faces": judgement.faces}
    if judgement.face is not None:
        box = judgement.face.box
        out["face"] = {"box": [box.left, box.top, box.right, box.bottom],
                       "landmarks": [list(p) for p in judgement.face.landmarks.as_points()],
                       "encoding": (list(judgement.face.encoding)
                                    if judgement.face.encoding is not None else None)}
    return out


def _frame(header: dict[str, Any], payload: bytes) -> Frame:
    if header.get("format") == "image":
        return frame_from_image(payload)
    return Frame(int(header["width"]), int(header["height"]), payload)


class Server:
    """Answers one request at a time with the engine and, on demand, the card decoder."""

    def __init__(self, engine: FaceEngine, decoder: DecoderConfig | None) -> None:
        self._engine = engine
        self._decoder_config = decoder
        self._decoder: PhotoDecoder | None = None

    def _card_photo(self, wlt: bytes) -> dict[str, Any]:
        if self._decoder is None:
            # Opened on first use (not at start) so that a missing library is reported
            # for the card photo and never stops the face checks the platform compares.
            self._decoder = open_decoder(self._decoder_config)
        photo = self._decoder.decode(wlt)
        if isinstance(photo, NoDecoder):
            return {"ok": True, "no_decoder": photo.reason.value}
        return {"ok": True, **judgement_json(judge_frame(self._engine, photo.frame()))}

    def answer(self, header: dict[str, Any], payload: bytes) -> dict[str, Any]:
        op = header.get("op")
        try:
            if op == "judge":
                judgement = judge_frame(self._engine, _frame(header, payload),
                                        encode=bool(header.get("encode", True)))
                return {"ok": True, **judgement_json(judgement)}
            if op == "similarity":
                return {"ok": True, "score": self._engine.similarity(tuple(header["a"]),
                                                                     tuple(header["b"]))}
            if op == "card_photo":
                return self._card_photo(payload)
            return {"ok": False, "error": "bad_request", "message": f"unknown op {op!r}"}
        except DecoderFailed as exc:
            return {"ok": False, "error": type(exc).__name__, "message": str(exc),
                    "code": exc.code}
        except FaceError as exc:
            return {"ok": False, "error": type(exc).__name__, "message": str(exc)}
        except (KeyError, TypeError, ValueError) as exc:
            return {"ok": False, "error": "bad_request", "message": f"malformed request ({exc})"}


def decoder_arguments(config: DecoderConfig | None) -> list[str]:
    """The command-line arguments that hand ``config`` to this process."""
    if config is None:
        return []
    return ["--decoder-library", str(config.library), "--decoder-function", config.function,
            "--decoder-signature", config.signature.value,
            "--decoder-output", config.output.value]


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m faces.worker_main")
    parser.add_argument("--engine", default=DEFAULT_ENGINE)
    parser.add_argument("--parent", type=int, default=os.getppid())
    parser.add_argument("--decoder-library", type=Path)
    parser.add_argument("--decoder-function")
    parser.add_argument("--decoder-signature", type=DecoderSignature,
                        default=DecoderSignature.UNPACK)
    parser.add_argument("--decoder-output", type=PhotoLayout, default=PhotoLayout.BMP)
    args = parser.parse_args(argv)
    decoder = None if args.decoder_library is None else DecoderConfig(
        args.decoder_library, args.decoder_function or "", args.decoder_signature,
        args.decoder_output)
    # The protocol owns the original stdout; anything a library prints goes to stderr.
    replies = os.dup(1)
    os.dup2(2, 1)
    requests = sys.stdin.fileno()
    if os.getppid() != args.parent:     # the parent died before we got here
        return 0
    threading.Thread(target=_watch_parent, args=(args.parent,), daemon=True,
                     name="faces-parent-watch").start()
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    try:
        engine = load_engine(args.engine)
    except FaceError as exc:
        write_message(replies, {"op": "ready", "ok": False, "error": type(exc).__name__,
                                "message": str(exc)})
        return 1
    server = Server(engine, decoder)
    write_message(replies, {"op": "ready", "ok": True, "threshold": engine.threshold,
                            "min_face": engine.min_face, "pid": os.getpid()})
    while True:
        try:
            header, payload = read_message(requests)
        except EOFError:
            return 0
        reply = server.answer(header, payload)
        reply["id"] = header.get("id")
        try:
            write_message(replies, reply)
        except BrokenPipeError:         # the parent is gone: nobody is waiting for it
            return 0


if __name__ == "__main__":
    sys.exit(main())
