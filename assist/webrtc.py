"""One call over aiortc, run on the engine's asyncio loop (``assist.engine`` imports this
module on the call's thread, so aiortc and PyAV load only when a call starts).

The sequence is the platform API's: a peer connection with the platform's ICE servers (an
empty list, never aiortc's default public STUN server), the ``assist`` data channel made
before the offer (the clerk's side receives it), local video and audio, ICE gathered
completely (no trickle: ``setLocalDescription`` returns when gathering is done), the offer
posted, the status long-polled until a clerk answers, then followed while connected to see
the clerk or the platform end the call.

Whatever ends the call first (:meth:`Call.finish`) names the reason; the tear-down then
says bye on the channel if it can, hangs the call up on the platform (best effort, short
time-out), stops the tracks and closes the peer connection. SDP, frames, sound and message
contents are never logged: they hold addresses, a face, a voice, personal words.
"""

from __future__ import annotations

import asyncio
import fractions
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, Final, TypeVar

import av
import numpy as np
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError

from assist.errors import SignallingError
from assist.events import Answered, CallEvent, Connected, RemoteAudio, RemoteFrame, Waiting
from assist.events import Received as ReceivedEvent
from assist.frames import RgbFrame, VideoSource
from assist.signalling import Signalling
from assist.stats import Tally
from civic.assist import (
    CHANNEL_LABEL,
    MAX_WAIT_S,
    Bye,
    CallMessage,
    CallPhase,
    CallStatus,
    EndReason,
    IceServer,
    decode,
    encode,
)
from civic.errors import CallMessageInvalid

log = logging.getLogger(__name__)
T = TypeVar("T")

#: long-poll length while the call waits for a clerk: a hang-up wakes it on the platform
#: at once, and a dead line keeps its thread at most this + 10 s (the read time-out)
WAITING_POLL_S: Final = 10
#: while connected the poll only watches for the far end ending the call: shorter, so a
#: poll stuck on a dead line delays the end of the call by little
CONNECTED_POLL_S: Final = 5
#: consecutive signalling failures (no answer at all) that end the call as NETWORK_LOST
SIGNALLING_FAILURES: Final = 3
#: how long a bye may take to leave before the connection closes under it
BYE_FLUSH_S: Final = 0.5
#: how long the tear-down waits for a POST still in flight, to hang up what it placed
PLACING_GRACE_S: Final = 5.0
VIDEO_CLOCK: Final = 90_000


class SourceTrack(MediaStreamTrack):
    """The citizen's video: the source's newest frame ``fps`` times a second (black while it
    has none), stamped on the 90 kHz RTP clock."""

    kind = "video"

    def __init__(self, source: VideoSource, fps: int, tally: Tally) -> None:
        super().__init__()
        self._source, self._fps, self._tally = source, fps, tally
        self._started: float | None = None
        self._count = 0
        self._black: av.VideoFrame | None = None

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._started is None:
            self._started = time.monotonic()
        else:
            self._count += 1
            # on a schedule, not "sleep 1/fps": a slow encoder catches up instead of drifting
            delay = self._started + self._count / self._fps - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        picture = self._source.latest()
        if picture is None:
            if self._black is None:
                self._black = av.VideoFrame.from_ndarray(
                    np.zeros((480, 640, 3), dtype=np.uint8), format="rgb24")
            frame = self._black
        else:
            pixels = np.frombuffer(picture.rgb, dtype=np.uint8).reshape(
                picture.height, picture.width, 3)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
        frame.pts = self._count * (VIDEO_CLOCK // self._fps)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        self._tally.frame_sent()
        return frame


class Call:
    """The call's state on its loop. Built on the loop's thread; :meth:`finish` and
    :meth:`send_text` are called there too (the engine schedules them thread-safely)."""

    def __init__(self, *, loop: asyncio.AbstractEventLoop, executor: Executor,
                 signalling: Signalling, video: VideoSource,
                 report: Callable[[CallEvent], None], tally: Tally,
                 microphone: str | None, media_timeout_s: float, fps: int) -> None:
        self._loop, self._executor, self._signalling = loop, executor, signalling
        self._video, self._report, self._tally = video, report, tally
        self._microphone, self._media_timeout_s, self._fps = microphone, media_timeout_s, fps
        self._ended: asyncio.Future[EndReason] = loop.create_future()
        self._pc: RTCPeerConnection | None = None
        self._channel: RTCDataChannel | None = None
        self._tracks: list[MediaStreamTrack] = []
        self._player: Any = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._placing: asyncio.Future[Any] | None = None
        self._call_id: str | None = None
        self._platform_ended = False        # the platform said it ended: nothing to DELETE
        self._answered_at: float | None = None
        self._connected = False
        self._last_traffic = time.monotonic()
        self._position: int | None = None

    # -- what ends the call ----------------------------------------------------------------
    def finish(self, reason: EndReason) -> None:
        """End the call for ``reason``, unless something ended it already (the first wins)."""
        if not self._ended.done():
            log.info("assist.ending", extra={"ctx": {"call_id": self._call_id,
                                                     "reason": reason.value}})
            self._ended.set_result(reason)

    def send_text(self, text: str, kind: str) -> None:
        """Send one encoded message if the channel is open; otherwise it is dropped (logged
        by kind only: the text is the citizen's)."""
        channel = self._channel
        if channel is None or channel.readyState != "open" or self._ended.done():
            log.info("assist.message_dropped", extra={"ctx": {"call_id": self._call_id,
                                                              "kind": kind}})
            return
        channel.send(text)

    # -- the call --------------------------------------------------------------------------
    async def run(self, language: str, item_code: str | None, session_id: str | None,
                  ice_servers: tuple[IceServer, ...]) -> EndReason:
        try:
            self._spawn(self._place(language, item_code, session_id, ice_servers))
            self._spawn(self._watch())
            reason = await self._ended
        finally:
            reason = self._ended.result() if self._ended.done() else EndReason.MEDIA_FAILED
            await self._tear_down(reason)
        return reason

    async def _place(self, language: str, item_code: str | None, session_id: str | None,
                     ice_servers: tuple[IceServer, ...]) -> None:
        pc = self._pc = RTCPeerConnection(RTCConfiguration(iceServers=[
            RTCIceServer(urls=list(s.urls), username=s.username, credential=s.credential)
            for s in ice_servers]))
        pc.on("connectionstatechange", self._state_changed)
        pc.on("track", self._track_arrived)
        # before the offer, so that the offer carries the SCTP section the clerk answers
        self._channel = pc.createDataChannel(CHANNEL_LABEL)
        self._channel.on("message", self._message)
        self._channel.on("open", self._maybe_connected)
        video = SourceTrack(self._video, self._fps, self._tally)
        audio = self._audio_track()
        self._tracks += [video, audio]
        pc.addTrack(video)
        pc.addTrack(audio)
        await pc.setLocalDescription(await pc.createOffer())    # gathers every candidate
        offer = pc.localDescription.sdp
        self._placing = self._loop.run_in_executor(self._executor, functools.partial(
            self._signalling.place, offer, language, item_code, session_id))
        try:
            placed = await asyncio.shield(self._placing)
        except SignallingError as exc:
            log.info("assist.not_placed", extra={"ctx": {"reason": exc.reason.value}})
            self.finish(exc.reason)
            return
        self._call_id = placed.call_id
        self._tally.placed(placed.call_id)
        log.info("assist.placed", extra={"ctx": {"call_id": placed.call_id,
                                                 "queue_position": placed.queue_position}})
        self._waiting(placed.queue_position)
        await self._follow(placed.call_id)

    def _audio_track(self) -> MediaStreamTrack:
        """The microphone through PyAV (ALSA), or silence: a call without a working
        microphone still helps (the clerk sees the citizen and they can chat)."""
        if self._microphone:
            from aiortc.contrib.media import MediaPlayer

            try:
                self._player = MediaPlayer(self._microphone, format="alsa")
            except (av.FFmpegError, OSError) as exc:
                log.warning("assist.microphone_unavailable",
                            extra={"ctx": {"device": self._microphone,
                                           "error": type(exc).__name__}})
            else:
                if self._player.audio is not None:
                    return self._player.audio       # type: ignore[no-any-return]
        return AudioStreamTrack()

    async def _follow(self, call_id: str) -> None:
        """Long-poll the call's status until it ends: the answer, then the far end's end."""
        failures = 0
        while not self._ended.done():
            wait = CONNECTED_POLL_S if self._answered_at is not None else WAITING_POLL_S
            try:
                status = await self._blocking(self._signalling.status, call_id,
                                              min(wait, MAX_WAIT_S))
            except SignallingError as exc:
                failures += 1
                if exc.reason is not EndReason.NETWORK_LOST or failures >= SIGNALLING_FAILURES:
                    self.finish(exc.reason)
                    return
                await asyncio.sleep(failures)       # a blip: 1 s, then 2 s
                continue
            failures = 0
            await self._status(status)

    async def _status(self, status: CallStatus) -> None:
        if status.phase is CallPhase.ENDED:
            self._platform_ended = True
            self.finish(status.ended_reason or EndReason.PLATFORM_FAILED)
        elif status.phase is CallPhase.WAITING:
            if status.queue_position is not None:
                self._waiting(status.queue_position)
        elif self._answered_at is None:
            await self._answered(status)

    def _waiting(self, position: int) -> None:
        if position != self._position:
            self._position = position
            self._report(Waiting(position))

    async def _answered(self, status: CallStatus) -> None:
        self._answered_at = time.monotonic()
        self._tally.answered()
        assert self._pc is not None
        if not status.answer_sdp:
            log.warning("assist.answer_missing", extra={"ctx": {"call_id": self._call_id}})
            self.finish(EndReason.PLATFORM_FAILED)
            return
        try:
            await self._pc.setRemoteDescription(RTCSessionDescription(status.answer_sdp,
                                                                      "answer"))
        except (ValueError, av.FFmpegError) as exc:
            # an answer aiortc cannot use (no common codec, a malformed SDP)
            log.warning("assist.answer_unusable", extra={"ctx": {"call_id": self._call_id,
                                                                 "error": type(exc).__name__}})
            self.finish(EndReason.MEDIA_FAILED)
            return
        log.info("assist.answered", extra={"ctx": {"call_id": self._call_id}})
        self._report(Answered(status.clerk_name or ""))

    async def _watch(self) -> None:
        """No media nor message for ``media_timeout_s`` while connected (or no connection
        that long after the answer) is a lost network: ICE's own consent checks take ~30 s
        to notice, far too long to leave a citizen before a frozen picture."""
        while not self._ended.done():
            await asyncio.sleep(0.25)
            now = time.monotonic()
            if self._connected:
                silent = now - self._last_traffic
            elif self._answered_at is not None:
                silent = now - self._answered_at
            else:
                continue
            if silent > self._media_timeout_s:
                log.info("assist.media_silent", extra={"ctx": {"call_id": self._call_id,
                                                               "seconds": round(silent, 1)}})
                self.finish(EndReason.NETWORK_LOST)

    # -- what the peer connection reports ------------------------------------------------
    def _state_changed(self) -> None:
        assert self._pc is not None
        state = self._pc.connectionState
        if state == "connected":
            self._maybe_connected()
        elif state in ("failed", "closed"):
            self.finish(EndReason.NETWORK_LOST)

    def _maybe_connected(self) -> None:
        """Connected once the media's transport is up *and* the channel is open (it opens
        just after): a caller may send a message as soon as it hears ``Connected``."""
        pc, channel = self._pc, self._channel
        if self._connected or self._ended.done() or pc is None or channel is None \
                or pc.connectionState != "connected" or channel.readyState != "open":
            return
        self._connected = True
        self._last_traffic = time.monotonic()
        self._tally.connected()
        log.info("assist.connected", extra={"ctx": {"call_id": self._call_id}})
        self._report(Connected())

    def _track_arrived(self, track: MediaStreamTrack) -> None:
        self._spawn(self._consume(track))

    async def _consume(self, track: MediaStreamTrack) -> None:
        resampler: av.AudioResampler | None = None
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self._last_traffic = time.monotonic()
            if isinstance(frame, av.VideoFrame):
                rgb = frame.to_ndarray(format="rgb24")
                self._tally.frame_received()
                self._report(RemoteFrame(RgbFrame(rgb.shape[1], rgb.shape[0], rgb.tobytes())))
            elif isinstance(frame, av.AudioFrame):
                if frame.format.name != "s16":
                    resampler = resampler or av.AudioResampler(
                        format="s16", layout=frame.layout.name, rate=frame.sample_rate)
                    frames = resampler.resample(frame)
                else:
                    frames = [frame]
                for piece in frames:
                    self._report(RemoteAudio(piece.to_ndarray().tobytes(), piece.sample_rate,
                                             len(piece.layout.channels)))

    def _message(self, data: str | bytes) -> None:
        self._last_traffic = time.monotonic()
        try:
            message: CallMessage = decode(data)
        except CallMessageInvalid as exc:
            # the far end is not trusted: drop what the API does not define, go on
            log.info("assist.message_invalid", extra={"ctx": {"call_id": self._call_id,
                                                              "why": str(exc)[:80]}})
            return
        self._tally.message(message)
        if isinstance(message, Bye):
            self.finish(EndReason.CLERK_HUNG_UP)
            return
        log.info("assist.message", extra={"ctx": {"call_id": self._call_id,
                                                  "kind": message.kind.value}})
        self._report(ReceivedEvent(message))

    # -- helpers -----------------------------------------------------------------------------
    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        error = None if task.cancelled() else task.exception()
        if error is not None:
            # a bug in this module, not the world failing: keep the traceback, end the call
            log.error("assist.task_failed", exc_info=error)
            self.finish(EndReason.MEDIA_FAILED)

    async def _blocking(self, fn: Callable[..., T], *args: Any) -> T:
        """A blocking signalling call on the engine's executor, never on the loop."""
        return await self._loop.run_in_executor(self._executor, functools.partial(fn, *args))

    async def _tear_down(self, reason: EndReason) -> None:
        self._tally.ended(reason)
        for task in list(self._tasks):
            task.cancel()
        if reason is EndReason.HUNG_UP:
            await self._say_bye()
        if self._call_id is None and self._placing is not None and not self._placing.done():
            # hung up while the POST was in flight: wait for its call id, to hang it up
            await asyncio.wait({self._placing}, timeout=PLACING_GRACE_S)
            if self._placing.done() and not self._placing.cancelled() \
                    and self._placing.exception() is None:
                self._call_id = self._placing.result().call_id
        if self._call_id is not None and not self._platform_ended:
            # not awaited: on a dead line it takes its whole time-out, and the media need not
            # wait for it (the engine gives it a moment before Ended, and join() waits)
            self._executor.submit(self._hang_up_quietly, self._call_id)
        for track in self._tracks:
            track.stop()    # the microphone's MediaPlayer thread ends with its track
        if self._pc is not None:
            await self._pc.close()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=2.0)
        log.info("assist.ended", extra={"ctx": {"call_id": self._call_id,
                                                "reason": reason.value}})

    async def _say_bye(self) -> None:
        channel = self._channel
        if channel is None or channel.readyState != "open":
            return
        channel.send(encode(Bye()))
        deadline = time.monotonic() + BYE_FLUSH_S
        while channel.bufferedAmount > 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.05)      # the SCTP chunk leaves on the next transmit

    def _hang_up_quietly(self, call_id: str) -> None:
        try:
            self._signalling.hang_up(call_id)
        except SignallingError as exc:
            # best effort: the platform ends a call nobody follows on its own
            log.info("assist.hang_up_failed", extra={"ctx": {"call_id": call_id,
                                                             "reason": exc.reason.value}})
