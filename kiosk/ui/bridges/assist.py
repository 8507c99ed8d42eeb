"""Video help's media and platform for the screens: ``kiosk.flows.assist.Dialler`` over the
call engine (``assist.engine.CallEngine``: aiortc on its own thread and asyncio loop).

::

    FrameSource (the face camera | the demo's synthetic camera), on the GUI thread
        │ frame(QImage) ── the citizen's own picture, small in the panel
        ▼ at most ``fps`` a second, scaled to 640 wide
    PushedFrames ──▶ "assist-call" thread: CallEngine ──▶ WebRTC ──▶ the clerk
                                              │ events (engine thread)
        RemoteFrame: the newest kept, one paint queued at a time ──▶ remote(QImage)
        RemoteAudio: played by QAudioSink where there is an output device
        everything else ──▶ the desk, queued onto the GUI thread

Nothing here imports aiortc: the engine does, when a call starts (start-up time). The
``assist`` worker thread asks ``GET /v1/assist/config`` and joins a finished engine, so the
GUI thread never waits on the network or on a thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from civic.assist import AssistConfig, CallMessage
from kiosk.flows.assist import CallHandle, CallRequest
from kiosk.ui.bridges.invoker import GuiInvoker, Worker

if TYPE_CHECKING:
    from assist.engine import CallEngine
    from assist.events import CallEvent, RemoteAudio
    from assist.frames import PushedFrames, RgbFrame
    from assist.signalling import Signalling
    from kiosk.ui.call_audio import CallAudio
    from kiosk.ui.face_frames import FrameSource
    from offline_queue.platform import PlatformClient

log = logging.getLogger(__name__)

#: frames a second sent to the clerk (the engine's video track reads at this rate)
SEND_FPS = 15


def rgb_frame(image: QImage) -> RgbFrame:
    """A Qt frame as the engine's :class:`assist.frames.RgbFrame`, 640 wide at most."""
    from assist.frames import RgbFrame
    from kiosk.ui.face_frames import frame_of

    frame = frame_of(image)                       # the face pipeline's conversion
    return RgbFrame(frame.width, frame.height, frame.rgb)


def qimage(frame: RgbFrame) -> QImage:
    return QImage(frame.rgb, frame.width, frame.height, frame.width * 3,
                  QImage.Format.Format_RGB888).copy()


class CallMedia(QObject):
    """What the panel draws: the clerk's frames and the citizen's own."""

    remote = Signal(QImage)
    own = Signal(QImage)


class QtCall:
    """One call: the engine, its frame source and the hand-over of its events. Implements
    ``kiosk.flows.assist.CallHandle``."""

    def __init__(self, bridge: AssistBridge, engine: CallEngine, source: FrameSource,
                 pushed: PushedFrames, on_event: Callable[[CallEvent], None]) -> None:
        self._bridge, self.engine, self._source, self._pushed = bridge, engine, source, pushed
        self._on_event = on_event
        self._lock = threading.Lock()
        self._pending: RgbFrame | None = None     # the newest remote frame not yet drawn
        self._last_push = 0.0
        self._ended = False
        self._audio: CallAudio | None = None       # built on the first slice of sound
        source.frame.connect(self._own_frame)

    # -- the citizen's own frames (GUI thread) -----------------------------------------------
    def _own_frame(self, image: QImage) -> None:
        self._bridge.media.own.emit(image)
        now = time.monotonic()
        if now - self._last_push >= 1 / SEND_FPS:
            self._last_push = now
            self._pushed.push(rgb_frame(image))

    # -- the engine's events (engine thread) ------------------------------------------------
    def observe(self, event: CallEvent) -> None:
        from assist.events import Ended, RemoteAudio, RemoteFrame

        if isinstance(event, RemoteFrame):
            with self._lock:
                queued, self._pending = self._pending is not None, event.frame
            if not queued:                          # one paint in flight at most
                self._bridge.invoker.post(self._draw_remote)
        elif isinstance(event, RemoteAudio):
            self._bridge.invoker.post(lambda: self._play(event))
        else:
            self._bridge.invoker.post(lambda: self._deliver(event))
            if isinstance(event, Ended):
                self._bridge.finished(self)

    def _draw_remote(self) -> None:
        with self._lock:
            frame, self._pending = self._pending, None
        if frame is not None and not self._ended:
            self._bridge.media.remote.emit(qimage(frame))

    def _play(self, audio: RemoteAudio) -> None:
        from kiosk.ui.call_audio import CallAudio

        if self._ended:
            return
        if self._audio is None or self._audio.format != (audio.sample_rate, audio.channels):
            if self._audio is not None:
                self._audio.stop()
            self._audio = CallAudio(audio.sample_rate, audio.channels)
        self._audio.write(audio.pcm)

    def _deliver(self, event: CallEvent) -> None:
        from assist.events import Ended

        if isinstance(event, Ended):
            self._stop_source()
        self._on_event(event)

    def _stop_source(self) -> None:
        if not self._ended:
            self._ended = True
            self._source.frame.disconnect(self._own_frame)
            self._source.stop()
            self._source.deleteLater()
            self._pushed.close()
            if self._audio is not None:
                self._audio.stop()
                self._audio = None
            with self._lock:
                self._pending = None

    # -- CallHandle ------------------------------------------------------------------------
    def send(self, message: CallMessage) -> None:
        self.engine.send(message)

    def hang_up(self) -> None:
        self.engine.hang_up()


class AssistBridge:
    """``AssistBridge(invoker, client, frames=...)``: ``frames()`` makes the camera's frame
    source for a call; ``microphone`` is the ALSA capture device (empty: a silent track)."""

    def __init__(self, invoker: GuiInvoker, client: PlatformClient | None, *,
                 frames: Callable[[], FrameSource], microphone: str = "") -> None:
        self.invoker, self._client = invoker, client
        self._frames, self._microphone = frames, microphone
        self._worker = Worker("assist", invoker)
        self.media = CallMedia()
        self._config: AssistConfig | None = None
        self._calls: list[QtCall] = []
        #: whether the platform names the "assist" extension (None: not known yet)
        self._offered: bool | None = None

    def _signalling(self) -> Signalling:
        from kiosk.assist_link import PlatformSignalling

        assert self._client is not None
        return PlatformSignalling(self._client)

    # -- Dialler ------------------------------------------------------------------------------
    def check(self, done: Callable[[AssistConfig | None], None]) -> None:
        if self._client is None:                 # not enrolled: nobody to call
            self._worker.submit(lambda: None, done)
            return
        self._worker.submit(self._ask_config, lambda config: self._checked(config, done))

    def _ask_config(self) -> AssistConfig | None:
        from assist.errors import SignallingError
        from civic.extensions import Extension
        from offline_queue.errors import PlatformError

        if self._offered is None:          # asked once the platform answers, then kept
            assert self._client is not None
            try:
                self._offered = Extension.ASSIST in self._client.extensions()
            except PlatformError as exc:
                log.info("assist.health_unavailable", extra={"ctx": {"error": type(exc).__name__}})
                return None
            if not self._offered:          # an older platform: no button (the technician's
                log.warning("assist.not_offered", extra={"ctx": {}})   # page says why)
        if not self._offered:
            return None
        try:
            return self._signalling().config()
        except SignallingError as exc:
            log.info("assist.config_unavailable", extra={"ctx": {"reason": str(exc.reason)}})
            return None

    def _checked(self, config: AssistConfig | None,
                 done: Callable[[AssistConfig | None], None]) -> None:
        self._config = config
        done(config)

    def dial(self, request: CallRequest, on_event: Callable[[CallEvent], None]) -> CallHandle:
        from assist.engine import CallEngine
        from assist.frames import PushedFrames

        source = self._frames()
        pushed = PushedFrames()
        holder: list[QtCall] = []
        engine = CallEngine(self._signalling(), pushed, lambda event: holder[0].observe(event),
                            microphone=self._microphone or None, fps=SEND_FPS)
        call = QtCall(self, engine, source, pushed, on_event)
        holder.append(call)
        self._calls.append(call)
        source.start()
        ice = self._config.ice_servers if self._config is not None else ()
        engine.start(request.language, request.item_code, request.session_id, ice)
        return call

    # -- after a call ----------------------------------------------------------------------------
    def finished(self, call: QtCall) -> None:
        """(engine thread) The call ended: its thread is joined on the worker, never on the
        GUI thread."""
        self._worker.submit(lambda: call.engine.join(10.0),
                            lambda joined: self._forget(call, joined))

    def _forget(self, call: QtCall, joined: bool) -> None:
        if not joined:
            log.warning("assist.engine_not_joined", extra={"ctx": {}})
        if call in self._calls:
            self._calls.remove(call)

    @property
    def calls_alive(self) -> int:
        return len(self._calls)

    def close(self) -> None:
        for call in list(self._calls):
            call.hang_up()
        for call in list(self._calls):
            call.engine.join(5.0)
        self._calls.clear()
        self._worker.close()
