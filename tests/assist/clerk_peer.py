"""A hall clerk for tests: an aiortc peer that answers the terminal's offer, and the clerk's
calls to the sandbox (sign in, the queue, accept, answer, hang up).

:class:`ClerkPeer` runs on a thread of its own with its own loop (as the terminal's engine
does), sends a test pattern and silence, echoes chat (``echo: <text>``) and records what it
receives. :class:`SandboxClerk` is the clerk's console's HTTP side. Run as a module it is a
clerk in a process of its own (``python -m tests.assist.clerk_peer URL NUMBER PIN``): it
takes the first call, answers it and prints one JSON line per step, until the call ends or
it is killed (the "far end went away" test kills it).
"""

from __future__ import annotations

import asyncio
import fractions
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import av
import httpx
import numpy as np
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import AudioStreamTrack
from aiortc.rtcconfiguration import RTCIceTransportPolicy

from assist.frames import TestPattern
from civic.assist import Bye, CallMessage, Chat, IceServer, decode, encode
from civic.errors import CallMessageInvalid


class PatternTrack(MediaStreamTrack):
    """The clerk's camera: a test pattern at 15 frames/s."""

    kind = "video"

    def __init__(self) -> None:
        super().__init__()
        self._pattern = TestPattern(640, 480)
        self._count = 0
        self._started: float | None = None

    async def recv(self) -> av.VideoFrame:
        if self._started is None:
            self._started = time.monotonic()
        else:
            self._count += 1
            delay = self._started + self._count / 15 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        picture = self._pattern.latest()
        frame = av.VideoFrame.from_ndarray(
            np.frombuffer(picture.rgb, np.uint8).reshape(480, 640, 3), format="rgb24")
        frame.pts, frame.time_base = self._count * 6000, fractions.Fraction(1, 90000)
        return frame


class ClerkPeer:
    """The clerk's browser, in aiortc: answers one offer, echoes chat, records the rest."""

    def __init__(self, *, echo: bool = True, ice_servers: tuple[IceServer, ...] = (),
                 relay_only: bool = False) -> None:
        """``relay_only``: the clerk offers relayed candidates only (a TURN server among
        ``ice_servers``), so the media must pass through the relay."""
        self.echo = echo
        self._configuration = RTCConfiguration(
            iceServers=[RTCIceServer(urls=list(s.urls), username=s.username,
                                     credential=s.credential) for s in ice_servers],
            iceTransportPolicy=RTCIceTransportPolicy.RELAY if relay_only
            else RTCIceTransportPolicy.ALL)
        self.frames_received = 0
        self.audio_frames = 0
        self.messages: list[CallMessage] = []
        self.invalid_messages = 0
        self.first_frame_at: float | None = None
        self.connection_states: list[str] = []
        self._loop = asyncio.new_event_loop()
        # named, so a test tells the clerk's encoder threads from the terminal's
        self._executor = ThreadPoolExecutor(thread_name_prefix="clerk-executor")
        self._loop.set_default_executor(self._executor)
        self._pc: RTCPeerConnection | None = None
        self._channel: RTCDataChannel | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._channel_open = threading.Event()
        self._thread = threading.Thread(target=self._loop.run_forever, name="clerk-peer",
                                        daemon=True)
        self._thread.start()

    # -- from any thread ---------------------------------------------------------------------
    def answer(self, offer_sdp: str, timeout: float = 30.0) -> str:
        """The answer SDP (complete ICE) to ``offer_sdp``."""
        return asyncio.run_coroutine_threadsafe(self._answer(offer_sdp),
                                                self._loop).result(timeout)

    def own_threads(self) -> set[threading.Thread]:
        """The clerk's own threads (its loop, its receivers' decoders), so a test can tell
        them from the terminal's."""
        threads = {self._thread} | {t for t in threading.enumerate()
                                    if t.name.startswith("clerk-executor")}
        for transceiver in self._pc.getTransceivers() if self._pc is not None else []:
            decoder = getattr(transceiver.receiver, "_RTCRtpReceiver__decoder_thread", None)
            if decoder is not None:
                threads.add(decoder)
        return threads

    def wait_channel(self, timeout: float = 15.0) -> bool:
        return self._channel_open.wait(timeout)

    def send(self, message: CallMessage) -> None:
        self._loop.call_soon_threadsafe(self._send, encode(message))

    def send_raw(self, text: str) -> None:
        """Something the API does not define (the terminal must drop it and go on)."""
        self._loop.call_soon_threadsafe(self._send, text)

    def close(self) -> None:
        """Close the connection (after a bye, or abruptly) and stop the thread."""
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(15)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._executor.shutdown(wait=True)
        if not self._loop.is_closed():
            self._loop.close()

    def hang_up(self) -> None:
        self.send(Bye())
        time.sleep(0.3)
        self.close()

    # -- on the clerk's loop -------------------------------------------------------------------
    async def _answer(self, offer_sdp: str) -> str:
        pc = self._pc = RTCPeerConnection(self._configuration)
        pc.on("datachannel", self._datachannel)
        pc.on("track", lambda track: self._tasks.append(
            asyncio.ensure_future(self._consume(track))))
        pc.on("connectionstatechange", lambda: self.connection_states.append(
            pc.connectionState))
        await pc.setRemoteDescription(RTCSessionDescription(offer_sdp, "offer"))
        # after the offer, addTrack takes the transceivers it made (sendrecv)
        pc.addTrack(PatternTrack())
        pc.addTrack(AudioStreamTrack())
        await pc.setLocalDescription(await pc.createAnswer())
        return str(pc.localDescription.sdp)

    def _datachannel(self, channel: RTCDataChannel) -> None:
        self._channel = channel
        channel.on("message", self._message)
        if channel.readyState == "open":
            self._channel_open.set()
        channel.on("open", self._channel_open.set)

    def _message(self, data: str | bytes) -> None:
        try:
            message = decode(data)
        except CallMessageInvalid:
            self.invalid_messages += 1
            return
        self.messages.append(message)
        if self.echo and isinstance(message, Chat):
            self._send(encode(Chat(f"echo: {message.text}")))

    def _send(self, text: str) -> None:
        if self._channel is not None and self._channel.readyState == "open":
            self._channel.send(text)

    async def _consume(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except Exception:       # MediaStreamError when the call ends
                return
            if isinstance(frame, av.VideoFrame):
                self.frames_received += 1
                self.first_frame_at = self.first_frame_at or time.monotonic()
            else:
                self.audio_frames += 1

    async def _close(self) -> None:
        if self._pc is not None:
            for transceiver in self._pc.getTransceivers():
                if transceiver.sender.track is not None:
                    transceiver.sender.track.stop()
            await self._pc.close()
        # and aiortc's own (a connect task the hang-up overtook), so none is left pending
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)


class SandboxClerk:
    """The clerk's console's calls to the sandbox."""

    def __init__(self, url: str, number: str, pin: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=40)
        answer = self.http.post("/v1/clerks/sign-in", json={"clerk_number": number,
                                                            "pin": pin})
        answer.raise_for_status()
        self.display_name = answer.json()["display_name"]
        self.http.headers["Authorization"] = f"Bearer {answer.json()['clerk_token']}"

    def close(self) -> None:
        self.http.close()

    def queue(self) -> list[dict[str, Any]]:
        answer = self.http.get("/v1/assist/queue")
        answer.raise_for_status()
        calls: list[dict[str, Any]] = answer.json()["calls"]
        return calls

    def take_next(self, timeout: float = 30.0) -> tuple[str, str]:
        """Accept the first waiting call: its id and the terminal's offer SDP."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.queue():
                answer = self.http.post(f"/v1/assist/calls/{call['call_id']}/accept")
                if answer.status_code == 200:
                    return call["call_id"], answer.json()["offer"]["sdp"]
            time.sleep(0.1)
        raise TimeoutError("no call came within the time")

    def answer(self, call_id: str, sdp: str) -> None:
        self.http.post(f"/v1/assist/calls/{call_id}/answer",
                       json={"answer": {"type": "answer", "sdp": sdp}}).raise_for_status()

    def hang_up(self, call_id: str) -> None:
        self.http.delete(f"/v1/assist/calls/{call_id}")

    def status(self, call_id: str, wait_s: int = 0) -> dict[str, Any]:
        answer = self.http.get(f"/v1/assist/calls/{call_id}", params={"wait": wait_s})
        answer.raise_for_status()
        doc: dict[str, Any] = answer.json()
        return doc


def _say(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def main(argv: list[str]) -> int:
    """A clerk in its own process: take the first call, answer, echo, until it ends."""
    url, number, pin = argv
    clerk = SandboxClerk(url, number, pin)
    _say(step="signed_in")
    call_id, offer = clerk.take_next(timeout=60)
    peer = ClerkPeer()
    clerk.answer(call_id, peer.answer(offer))
    _say(step="answered", call_id=call_id)
    while clerk.status(call_id, wait_s=5)["status"] != "ended":
        _say(step="in_call", frames_received=peer.frames_received)
    peer.close()
    clerk.close()
    _say(step="ended", frames_received=peer.frames_received)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
