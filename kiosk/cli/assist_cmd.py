"""``kiosk assist dial``: a video call to a clerk from the command line, for technicians and
tests (docs/cli.md).

Places a call through the enrolled platform with a test pattern or the configured face
camera (read through PyAV: no Qt, no display), streams for ``--seconds`` once connected,
sends ``--message`` as a chat message, hangs up, and reports what flowed. The call runs on
the engine's own thread (:class:`assist.engine.CallEngine`); this command only waits for
its events.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kiosk.cli.common import (
    EXIT_FAILURE,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
    data_dir_of,
    emit,
    finite_float,
    json_option,
    say,
)

if TYPE_CHECKING:
    from assist.events import CallEvent
    from assist.frames import VideoSource
    from assist.stats import CallStats
    from civic.assist import CallMessage, EndReason

#: how long the engine may take to hang up and close after the call (a DELETE with its
#: short time-out, the peer connection, a long poll returning)
CLOSE_S: Final = 30.0
V4L2_NAMES: Final = Path("/sys/class/video4linux")


class DialInputError(Exception):
    """Bad input: exit 1."""


class DialFailed(Exception):
    """The platform or the media failed before a call could be made: exit 3."""


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("assist", parents=[parent], help="video help from a clerk",
                           description="Video calls from this terminal to a hall clerk.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    dial = actions.add_parser(
        "dial", parents=[parent], help="call a clerk and report what flowed",
        description="Place a video call to a clerk through the enrolled platform, stream for "
                    "S seconds once connected, send TEXT as a chat message if given, hang "
                    "up. Exit 0 when connected, 2 when nobody answered within --wait, 1 on "
                    "bad input, 3 when the platform or the media failed.")
    dial.add_argument("--source", choices=("test-pattern", "camera"), default="test-pattern",
                      help="what to send: a moving test pattern, or the configured face "
                           "camera (devices.face_camera) read through PyAV")
    dial.add_argument("--seconds", type=finite_float, default=5.0, metavar="S",
                      help="how long to stream once connected (default 5)")
    dial.add_argument("--wait", type=finite_float, default=60.0, metavar="S",
                      help="how long to wait for a clerk to answer (default 60)")
    dial.add_argument("--message", metavar="TEXT", help="a chat message to send once connected")
    json_option(dial)
    dial.set_defaults(func=_dial)


def _dial(args: argparse.Namespace) -> int:
    if args.seconds < 0 or args.wait <= 0:
        print("kiosk: --seconds must be 0 or more and --wait more than 0", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _call(args)
    except DialInputError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DialFailed as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_FAILURE


def _call(args: argparse.Namespace) -> int:
    from assist.engine import CallEngine
    from assist.errors import SignallingError
    from civic.assist import Chat, EndReason
    from kiosk import config
    from kiosk.assist_link import PlatformSignalling
    from offline_queue import credentials
    from offline_queue.errors import OutboxError
    from offline_queue.platform import PlatformClient

    data_dir = data_dir_of(args)
    settings = config.load(data_dir)
    try:
        creds = credentials.load(data_dir)
    except OutboxError as exc:       # not enrolled, a key readable by others
        raise DialFailed(str(exc)) from exc
    source = _source(args.source, settings.devices.face_camera)
    events: queue.Queue[CallEvent] = queue.Queue()
    with PlatformClient.build(creds, settings.platform.client_settings()) as client:
        signalling = PlatformSignalling(client)
        try:
            assist = signalling.config()
        except SignallingError as exc:
            source.close()
            raise DialFailed(str(exc)) from exc
        if not assist.available:
            say(f"no clerk is on duty now ({assist.hours.en or assist.hours.zh}); calling "
                "anyway")
        engine = CallEngine(signalling, source, events.put)
        engine.start("zh", None, None, assist.ice_servers)
        reason = _follow(engine, events, args, Chat(args.message) if args.message else None)
        if not engine.join(CLOSE_S):
            say(f"the call's thread did not end within {CLOSE_S:g} s")
    stats = engine.stats()
    emit(_result(stats, reason), args.json, _words(stats, reason))
    if stats.connected:
        return EXIT_OK
    if not stats.answered and reason in (EndReason.HUNG_UP, EndReason.NO_CLERKS,
                                         EndReason.NO_ANSWER):
        return EXIT_NOTHING
    return EXIT_FAILURE


def _follow(engine: Any, events: queue.Queue[CallEvent], args: argparse.Namespace,
            message: CallMessage | None) -> EndReason:
    """Wait for the call's events until it ends; hang up when nobody answered in time or
    the streaming time is over. The reason it ended."""
    from assist.events import Answered, Connected, Ended, Waiting

    answer_by = time.monotonic() + args.wait
    stream_until: float | None = None
    hung_up = False
    while True:
        now = time.monotonic()
        deadline = stream_until if stream_until is not None else answer_by
        if not hung_up and now >= deadline:
            if stream_until is None:
                say(f"nobody answered within {args.wait:g} s; hanging up")
            engine.hang_up()
            hung_up = True
        try:
            event = events.get(timeout=0.2 if hung_up else max(0.01, min(0.2, deadline - now)))
        except queue.Empty:
            continue
        if isinstance(event, Waiting):
            say(f"waiting for a clerk (position {event.queue_position})"
                if event.queue_position else "a clerk took the call and is answering")
        elif isinstance(event, Answered):
            say(f"answered by {event.clerk_name or 'a clerk'}")
        elif isinstance(event, Connected):
            say(f"connected; streaming for {args.seconds:g} s")
            stream_until = time.monotonic() + args.seconds
            if message is not None:
                engine.send(message)
        elif isinstance(event, Ended):
            say(f"call ended ({event.reason.value})")
            return event.reason


def _source(kind: str, face_camera: str) -> VideoSource:
    from assist.errors import MediaUnavailable
    from assist.frames import CameraFrames, TestPattern

    if kind == "test-pattern":
        return TestPattern()
    device = camera_device(face_camera)
    try:
        return CameraFrames(device)
    except MediaUnavailable as exc:
        raise DialFailed(str(exc)) from exc


def camera_device(configured: str, names: Path = V4L2_NAMES) -> str:
    """The V4L2 device the face camera setting names: a ``/dev/...`` path as it is, a
    description (what Qt shows) looked up in ``/sys/class/video4linux/*/name``, or, with
    nothing configured, the first camera. A configured camera that is not connected is an
    error, never replaced by another (the other one may point at the document tray)."""
    if configured.startswith("/dev/"):
        return configured
    found = sorted(names.glob("video*")) if names.is_dir() else []
    if not configured:
        if not found:
            raise DialFailed("no camera is connected (devices.face_camera is not set)")
        return f"/dev/{found[0].name}"
    for entry in found:
        try:
            if (entry / "name").read_text(encoding="utf-8").strip() == configured:
                return f"/dev/{entry.name}"
        except OSError:
            continue
    raise DialFailed(f"the face camera {configured!r} (devices.face_camera) is not connected")


def message_doc(message: CallMessage) -> dict[str, Any]:
    """A received message as JSON for the report; a snapshot by its size, not its bytes."""
    from civic.assist import Snapshot, encode

    if isinstance(message, Snapshot):
        return {"type": "snapshot", "media_type": message.media_type,
                "bytes": len(message.data)}
    doc: dict[str, Any] = json.loads(encode(message))
    return doc


def _result(stats: CallStats, reason: EndReason) -> dict[str, Any]:
    first = stats.answer_to_first_frame_s
    return {"answered": stats.answered, "connected": stats.connected,
            "frames_sent": stats.frames_sent, "frames_received": stats.frames_received,
            "messages_received": [message_doc(m) for m in stats.messages_received
                                  if m.kind.value != "bye"],
            "ended": reason.value, "call_id": stats.call_id,
            "answer_to_first_frame_ms": None if first is None else round(first * 1000)}


def _words(stats: CallStats, reason: EndReason) -> str:
    got = len([m for m in stats.messages_received if m.kind.value != "bye"])
    if not stats.answered:
        head = "nobody answered"
    elif not stats.connected:
        head = "answered, but the media never connected"
    else:
        head = "connected"
    return (f"{head}; ended: {reason.value}; sent {stats.frames_sent} frames, received "
            f"{stats.frames_received} frames and {got} message(s)")
