"""The face engine in its own long-lived process, and the kiosk's handle on it.

Why a process: dlib's detector and encoder hold Python's GIL for their 100–150 ms a frame,
so a thread in the GUI's process would still freeze the screen (and the camera preview)
for that long, every frame. The process loads the models once (~1 s, ~80 MB) and answers
one request at a time over a pipe (:mod:`faces.wire`); frames travel as bytes, never
through a file. Its niceness is raised so the GUI wins a contested core.

Failure is explicit: if the process dies during a request (killed, out of memory, a crash
in native code) the request raises :class:`~faces.errors.WorkerCrashed`, and if it does not
answer in time it is killed and the request raises :class:`~faces.errors.WorkerTimeout`;
either way a fresh process is started at once, so the caller can simply try again. A
request never hangs. The process ends with its parent (see :mod:`faces.worker_main`).

Explicit life: :meth:`FaceWorker.start` and :meth:`FaceWorker.close`, or a ``with`` block.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from types import TracebackType
from typing import Any

from faces.card_photo import DecoderConfig, NoDecoder, NoDecoderReason
from faces.errors import (
    DecoderFailed,
    DecoderNotLoadable,
    EngineUnavailable,
    FaceError,
    ImageUnreadable,
    PhotoGarbled,
    WorkerCrashed,
    WorkerTimeout,
)
from faces.frame import Frame
from faces.model import Box, Encoding, FaceReading, FrameJudgement, Landmarks, Verdict
from faces.wire import ProtocolError, read_message, write_message
from faces.worker_main import DEFAULT_ENGINE, decoder_arguments

log = logging.getLogger(__name__)

_ERRORS: dict[str, type[FaceError]] = {"ImageUnreadable": ImageUnreadable,
                                       "EngineUnavailable": EngineUnavailable,
                                       "DecoderNotLoadable": DecoderNotLoadable,
                                       "PhotoGarbled": PhotoGarbled}


def judgement_from_json(data: dict[str, Any]) -> FrameJudgement:
    """The inverse of :func:`faces.worker_main.judgement_json`."""
    face = data.get("face")
    reading = None
    if face is not None:
        left, top, right, bottom = face["box"]
        points = [(float(x), float(y)) for x, y in face["landmarks"]]
        encoding = tuple(float(v) for v in face["encoding"]) if face["encoding"] else None
        reading = FaceReading(Box(left, top, right, bottom), Landmarks.from_points(points),
                              encoding)
    return FrameJudgement(Verdict(data["verdict"]), int(data["faces"]), reading)


class FaceWorker:
    """A :class:`faces.engine.FaceJudge` whose engine runs in a child process."""

    def __init__(self, engine: str = DEFAULT_ENGINE, *,
                 card_decoder: DecoderConfig | None = None, timeout: float = 10.0,
                 start_timeout: float = 60.0) -> None:
        self._engine = engine
        self._card_decoder = card_decoder    # the vendor's WLT decoder, run in the process
        self._timeout = timeout              # one request, once the engine is loaded
        self._start_timeout = start_timeout  # loading the models, the first time
        self._lock = threading.Lock()        # one request at a time on the pipe
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready: dict[str, Any] | None = None
        self._next_id = 0
        self.restarts = 0

    def __enter__(self) -> FaceWorker:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The engine process's pid (None before start and after close)."""
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        """Start the engine's process; it loads its models while the caller goes on."""
        with self._lock:
            if self._proc is None:
                self._spawn()

    def _spawn(self) -> None:
        self._ready = None
        # close_fds (the default) matters: a child that inherited our pipe would keep the
        # worker's stdin open after we die, and the worker would outlive us.
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "faces.worker_main", "--engine", self._engine,
             "--parent", str(os.getpid()), *decoder_arguments(self._card_decoder)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        log.info("faces.worker.started", extra={"ctx": {"pid": self._proc.pid}})

    def close(self) -> None:
        """Stop the engine's process: end of input first, then a kill if it lingers."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        proc, self._proc, self._ready = self._proc, None, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def _restart(self) -> str:
        proc = self._proc
        code = proc.poll() if proc is not None else None
        if proc is not None and code is None:
            proc.kill()
            code = proc.wait()
        self._stop()
        self._spawn()
        self.restarts += 1
        if code is None:
            return "unknown status"
        return f"signal {-code}" if code < 0 else f"exit status {code}"

    def _await_ready(self, proc: subprocess.Popen[bytes]) -> None:
        """Wait for the process's "ready" (models loaded), once per process."""
        if self._ready is not None:
            return
        assert proc.stdout is not None
        ready, _ = read_message(proc.stdout.fileno(), time.monotonic() + self._start_timeout)
        if not ready.get("ok"):
            self._stop()
            raise EngineUnavailable(str(ready.get("message")))
        self._ready = ready

    def _exchange(self, header: dict[str, Any], payload: bytes = b"") -> dict[str, Any]:
        with self._lock:
            if self._proc is None:
                self._spawn()
            proc = self._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            self._next_id += 1
            header = {**header, "id": self._next_id}
            try:
                self._await_ready(proc)
                write_message(proc.stdin.fileno(), header, payload)
                reply, _ = read_message(proc.stdout.fileno(), time.monotonic() + self._timeout)
            except (EOFError, BrokenPipeError, ProtocolError) as exc:
                how = self._restart()
                log.warning("faces.worker.crashed", extra={"ctx": {"status": how}})
                raise WorkerCrashed(f"the face engine's process stopped ({how}) during the "
                                    "check; it has been restarted, please try again") from exc
            except TimeoutError as exc:
                self._restart()
                log.warning("faces.worker.timeout", extra={"ctx": {"timeout": self._timeout}})
                raise WorkerTimeout("the face engine did not answer in time; it has been "
                                    "restarted, please try again") from exc
            if reply.get("id") != header["id"]:
                # out of step with the process (a bug): only a fresh one can be trusted
                self._restart()
                raise WorkerCrashed("the face engine answered another request; it has been "
                                    "restarted")
        if not reply.get("ok"):
            if reply.get("error") == "DecoderFailed":
                raise DecoderFailed(str(reply.get("message")), int(reply["code"]))
            error = _ERRORS.get(str(reply.get("error")), FaceError)
            raise error(str(reply.get("message")))
        return reply

    @property
    def threshold(self) -> float:
        """The engine's similarity threshold (asks the process if it is not up yet)."""
        with self._lock:
            if self._proc is None:
                self._spawn()
            assert self._proc is not None
            try:
                self._await_ready(self._proc)
            except (EOFError, ProtocolError, TimeoutError) as exc:
                how = self._restart()
                raise WorkerCrashed(f"the face engine's process did not start ({how}); it "
                                    "has been restarted") from exc
            assert self._ready is not None
            return float(self._ready["threshold"])

    def judge(self, frame: Frame, *, encode: bool = True) -> FrameJudgement:
        """Judge a frame in the engine's process."""
        reply = self._exchange({"op": "judge", "format": "rgb", "width": frame.width,
                                "height": frame.height, "encode": encode}, frame.rgb)
        return judgement_from_json(reply)

    def judge_image(self, data: bytes, *, encode: bool = True) -> FrameJudgement:
        """Judge an image file's bytes (JPEG, PNG), decoded in the engine's process."""
        return judgement_from_json(self._exchange({"op": "judge", "format": "image",
                                                   "encode": encode}, data))

    def similarity(self, a: Encoding, b: Encoding) -> float:
        return float(self._exchange({"op": "similarity", "a": list(a), "b": list(b)})["score"])

    def judge_card_photo(self, wlt: bytes) -> FrameJudgement | NoDecoder:
        """Decode the ID card's 1024-byte WLT photo with the vendor's library and judge its
        face, both in the engine's process (the photo itself never comes back here).
        :class:`NoDecoder` when none is configured: use the platform's comparison."""
        reply = self._exchange({"op": "card_photo"}, wlt)
        if "no_decoder" in reply:
            return NoDecoder(NoDecoderReason(reply["no_decoder"]))
        return judgement_from_json(reply)
