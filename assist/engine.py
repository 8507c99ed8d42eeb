"""The call engine: one video call to a clerk on a thread of its own.

:class:`CallEngine` runs the call (:mod:`assist.webrtc`) on the thread ``assist-call``
with its own asyncio loop, as the issue and the verified facts ask: aiortc's loop must
never be the GUI's, and a blocking signalling call (a long poll) must never hold the
loop, so those run on the engine's own executor. The threads of one call:

* ``assist-call``: the loop (aiortc's peer connection, ICE, DTLS, SCTP, the observer);
* ``assist-signalling_N`` (at most 2): the long poll, placing and hanging up;
* ``assist-media_N``: the loop's default executor, where aiortc encodes each frame;
* ``video-decoder``, ``audio-decoder``: aiortc's decoders, one per remote track;
* ``media-player``: aiortc's reader of a configured microphone, when it opens; a
  :class:`~assist.frames.CameraFrames` source's ``assist-camera``.

Every entry point but the constructor is thread-safe. The observer receives the events of
:mod:`assist.events` on the engine's thread, exactly one :class:`~assist.events.Ended`
last; by then the loop, the peer connection, the tracks (and their decoder and microphone
threads) and the video source it was given are closed, and so are the signalling threads
unless a long poll is stuck on a dead line: Ended waits for that at most
:data:`SIGNALLING_GRACE_S`, and :meth:`CallEngine.join` returns only once every thread the
call made has gone.

Nothing of aiortc or PyAV is imported here: :mod:`assist.webrtc` is imported on the call's
thread when the call starts, so a terminal that never calls pays nothing at start-up, and
one where the stack cannot be imported ends the call as ``MEDIA_FAILED``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from assist.events import CallEvent, Ended
from assist.frames import VideoSource
from assist.signalling import Signalling
from assist.stats import CallStats, Tally
from civic.assist import Bye, CallMessage, EndReason, IceServer, encode

if TYPE_CHECKING:       # types only: aiortc, and asyncio itself, load when a call starts
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from assist.webrtc import Call

log = logging.getLogger(__name__)

THREAD_NAME: Final = "assist-call"
#: how long the end of a call waits for a signalling call still in flight before it says
#: Ended: a long poll returns at once when the platform sees the hang-up, but one stuck on
#: a dead line returns only at its read time-out, and the citizen must not wait for that
SIGNALLING_GRACE_S: Final = 1.0


class CallEngine:
    """One call (an engine is not reused): :meth:`start`, then :meth:`send`, :meth:`hang_up`,
    :meth:`join`, :meth:`stats` from any thread.

    ``video`` is read by the call's video track and closed when the call ends (the engine
    owns it from :meth:`start`). ``microphone`` is an ALSA device read through PyAV (None: a
    silent track). No media or message for ``media_timeout_s`` while connected ends the call
    as ``NETWORK_LOST``. ``fps`` is the rate local video is sent at."""

    def __init__(self, signalling: Signalling, video: VideoSource,
                 observer: Callable[[CallEvent], None], *, microphone: str | None = None,
                 media_timeout_s: float = 10.0, fps: int = 15) -> None:
        if fps < 1 or fps > 30 or media_timeout_s <= 0:
            raise ValueError("fps must be 1–30 and media_timeout_s positive")
        self._signalling, self._video, self._observer = signalling, video, observer
        self._microphone, self._media_timeout_s, self._fps = microphone, media_timeout_s, fps
        self._tally = Tally()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._call: Call | None = None         # lives on the loop; reached through it
        self._hang_up = threading.Event()

    def start(self, language: str, item_code: str | None, session_id: str | None,
              ice_servers: tuple[IceServer, ...]) -> None:
        """Place the call on the engine's thread; returns at once."""
        with self._lock:
            if self._thread is not None:
                raise RuntimeError("a CallEngine places one call; make another")
            self._thread = threading.Thread(
                target=self._run, name=THREAD_NAME, daemon=True,
                args=(language, item_code, session_id, tuple(ice_servers)))
        self._thread.start()

    def send(self, message: CallMessage) -> None:
        """Send ``message`` to the clerk if the call's channel is open (else it is dropped
        and logged). A snapshot over the size a message may carry raises
        :class:`civic.errors.CallMessageInvalid` here, in the caller's thread (scale it with
        :func:`assist.snapshots.fit_jpeg`); :class:`~civic.assist.Bye` is :meth:`hang_up`."""
        if isinstance(message, Bye):
            self.hang_up()
            return
        text = encode(message)
        if not self._on_loop(lambda call: call.send_text(text, message.kind.value)):
            log.info("assist.message_dropped", extra={"ctx": {"kind": message.kind.value,
                                                              "why": "no call"}})

    def hang_up(self) -> None:
        """End the call (``HUNG_UP``): bye on the channel, the platform told, the media
        closed. Returns at once; idempotent; before :meth:`start` the call is never placed."""
        self._hang_up.set()
        self._on_loop(lambda call: call.finish(EndReason.HUNG_UP))

    def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for the call's thread to end; True when it has (or never
        started). From the observer (the call's own thread) it returns False at once."""
        thread = self._thread
        if thread is None:
            return True
        if thread is threading.current_thread():
            return False    # asked by the observer, on the call's own thread: never wait
        thread.join(timeout)
        return not thread.is_alive()

    def stats(self) -> CallStats:
        return self._tally.snapshot()

    # -- the call's thread -----------------------------------------------------------------
    def _on_loop(self, action: Callable[[Call], Any]) -> bool:
        """Run ``action`` on the running call, on its loop; False when there is none."""
        with self._lock:
            loop, call = self._loop, self._call
            if loop is None or call is None:
                return False
            try:
                loop.call_soon_threadsafe(action, call)
            except RuntimeError:        # the loop closed between the check and the call
                return False
        return True

    def _run(self, language: str, item_code: str | None, session_id: str | None,
             ice_servers: tuple[IceServer, ...]) -> None:
        reason = EndReason.MEDIA_FAILED
        workers: list[threading.Thread] = []
        try:
            reason = self._run_call(language, item_code, session_id, ice_servers, workers)
        except Exception:
            # a bug (the world's failures end the call with a reason inside): keep the
            # traceback, and still end the call as the observer was promised
            log.exception("assist.engine_failed")
        finally:
            deadline = time.monotonic() + SIGNALLING_GRACE_S
            for worker in workers:
                worker.join(max(0.0, deadline - time.monotonic()))
            lingering = sum(worker.is_alive() for worker in workers)
            if lingering:
                log.info("assist.signalling_lingers", extra={"ctx": {"threads": lingering}})
            self._tally.ended(reason)
            self._emit(Ended(reason))
            # join() returns only once these are gone too (a dead line's read time-out)
            for worker in workers:
                worker.join()

    def _run_call(self, language: str, item_code: str | None, session_id: str | None,
                  ice_servers: tuple[IceServer, ...], workers: list[threading.Thread]
                  ) -> EndReason:
        try:
            if self._hang_up.is_set():
                return EndReason.HUNG_UP
            try:
                from assist import webrtc
            except ImportError as exc:
                log.error("assist.media_unavailable", extra={"ctx": {"error": str(exc)}})
                return EndReason.MEDIA_FAILED
            import asyncio
            from concurrent.futures import ThreadPoolExecutor

            loop = asyncio.new_event_loop()
            # aiortc encodes on the loop's default executor: named, so a thread count (the
            # soak's) tells the call's threads from anyone else's
            loop.set_default_executor(ThreadPoolExecutor(thread_name_prefix="assist-media"))
            # the initializer records each worker, so the end of the call can wait for them
            executor = ThreadPoolExecutor(
                max_workers=2, thread_name_prefix="assist-signalling",
                initializer=lambda: workers.append(threading.current_thread()))
            try:
                call = webrtc.Call(loop=loop, executor=executor, signalling=self._signalling,
                                   video=self._video, report=self._emit, tally=self._tally,
                                   microphone=self._microphone,
                                   media_timeout_s=self._media_timeout_s, fps=self._fps)
                with self._lock:
                    self._loop, self._call = loop, call
                if self._hang_up.is_set():       # hung up while the stack was loading
                    call.finish(EndReason.HUNG_UP)
                return loop.run_until_complete(
                    call.run(language, item_code, session_id, ice_servers))
            finally:
                with self._lock:
                    self._loop = self._call = None
                self._close_loop(loop, executor)
        finally:
            self._video.close()

    @staticmethod
    def _close_loop(loop: asyncio.AbstractEventLoop, executor: ThreadPoolExecutor) -> None:
        """Leave no task, executor thread or loop behind: a kiosk makes many calls a day."""
        import asyncio

        # in rounds: a task cancelled mid-way may start another (aiortc's setRemoteDescription
        # starts its connect task), which must not be left pending on a closed loop
        for _ in range(5):
            pending = asyncio.all_tasks(loop)
            if not pending:
                break
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        # a long poll still in flight returns when the platform sees the hang-up (at once)
        # or at its read time-out on a dead line: _run waits for it, a little before Ended
        # and the rest after (assist.webrtc keeps those polls short)
        executor.shutdown(wait=False, cancel_futures=True)
        loop.close()

    def _emit(self, event: CallEvent) -> None:
        try:
            self._observer(event)
        except Exception:
            # the observer's bug must not take the media down with it
            log.exception("assist.observer_failed",
                          extra={"ctx": {"event": type(event).__name__}})
