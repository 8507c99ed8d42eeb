"""Video help from a clerk: the wire shapes both sides of a call agree on.

The platform API ("Video help from a clerk") relays a call's signalling and hands out ICE
servers; the media and the messages during the call flow peer to peer over WebRTC. This
module holds what the terminal, the sandbox and the command line must read alike: the
phases and end reasons of a call, the platform's answers as typed values
(:func:`config_of`, :func:`placed_of`, :func:`status_of`) and the JSON objects sent on the
``assist`` data channel (:func:`encode` / :func:`decode`).

Pure: no socket, thread or clock. A malformed answer or message raises
:class:`~civic.errors.CallMessageInvalid`, never a ``KeyError`` deep in a caller.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Final

from civic.errors import CallMessageInvalid
from civic.text import Text

#: the data channel the terminal opens before its offer (platform-api.md)
CHANNEL_LABEL: Final = "assist"
#: at most this much base64 in one snapshot message; the terminal scales its picture to fit
MAX_SNAPSHOT_BASE64: Final = 192 * 1024
#: a chat message longer than this is cut (a clerk types sentences, not documents)
MAX_CHAT_CHARS: Final = 500
#: the longest long poll the platform allows (``GET /v1/assist/calls/{id}?wait=S``)
MAX_WAIT_S: Final = 25


class CallPhase(StrEnum):
    """``status`` of a call as the platform reports it."""

    WAITING = "waiting"
    ANSWERED = "answered"
    ENDED = "ended"


class EndReason(StrEnum):
    """Why a call ended: the platform's ``ended_reason`` values first, then the ones only
    the terminal can see (the platform never sends those)."""

    HUNG_UP = "hung_up"                 # this side hung up
    CLERK_HUNG_UP = "clerk_hung_up"
    REPLACED = "replaced"               # a newer call from the same device ended this one
    TIMEOUT = "timeout"
    NO_ANSWER = "no_answer"             # nobody answered within the platform's 10 minutes
    # seen by the terminal only
    NO_CLERKS = "no_clerks"             # 503 no_clerks: nobody on duty when placing it
    NETWORK_LOST = "network_lost"       # media or signalling stopped arriving
    MEDIA_FAILED = "media_failed"       # the WebRTC stack failed here (no codec, no camera …)
    PLATFORM_FAILED = "platform_failed" # the platform refused or answered nonsense
    SESSION_ENDED = "session_ended"     # the citizen's session ended (card out, idle, wipe)

    @property
    def by_platform(self) -> bool:
        return self in _PLATFORM_REASONS


_PLATFORM_REASONS = frozenset({EndReason.HUNG_UP, EndReason.CLERK_HUNG_UP, EndReason.REPLACED,
                               EndReason.TIMEOUT, EndReason.NO_ANSWER})


@dataclass(frozen=True)
class IceServer:
    """One STUN/TURN server, as ``RTCIceServer`` takes it."""

    urls: tuple[str, ...]
    username: str | None = None
    credential: str | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"urls": list(self.urls)}
        if self.username is not None:
            doc["username"] = self.username
        if self.credential is not None:
            doc["credential"] = self.credential
        return doc


@dataclass(frozen=True)
class AssistConfig:
    """``GET /v1/assist/config``: whether a clerk is on duty, the hours to show otherwise."""

    available: bool
    hours: Text
    waiting: int
    ice_servers: tuple[IceServer, ...] = ()


@dataclass(frozen=True)
class PlacedCall:
    """``POST /v1/assist/calls`` → 201."""

    call_id: str
    queue_position: int


@dataclass(frozen=True)
class CallStatus:
    """``GET /v1/assist/calls/{id}``: the long poll's answer."""

    call_id: str
    phase: CallPhase
    queue_position: int | None = None
    answer_sdp: str | None = field(default=None, repr=False)   # holds addresses: never logged
    clerk_name: str | None = None
    ended_reason: EndReason | None = None


# --- the platform's answers ------------------------------------------------------------

def _need(doc: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = doc.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise CallMessageInvalid(f"{key!r} missing or not {getattr(kind, '__name__', kind)}")
    return value


def _ice_server(doc: Any) -> IceServer:
    if not isinstance(doc, Mapping):
        raise CallMessageInvalid("an ICE server is not an object")
    urls = doc.get("urls")
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise CallMessageInvalid("an ICE server has no urls")
    username, credential = doc.get("username"), doc.get("credential")
    return IceServer(tuple(urls), username if isinstance(username, str) else None,
                     credential if isinstance(credential, str) else None)


def ice_servers_of(value: Any) -> tuple[IceServer, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise CallMessageInvalid("'ice_servers' is not a list")
    return tuple(_ice_server(item) for item in value)


def config_of(doc: Mapping[str, Any]) -> AssistConfig:
    hours = doc.get("hours") or {}
    if not isinstance(hours, Mapping):
        raise CallMessageInvalid("'hours' is not an object")
    return AssistConfig(available=_need(doc, "available", bool),
                        hours=Text(str(hours.get("zh", "")), str(hours.get("en", ""))),
                        waiting=int(doc.get("waiting") or 0),
                        ice_servers=ice_servers_of(doc.get("ice_servers")))


def placed_of(doc: Mapping[str, Any]) -> PlacedCall:
    return PlacedCall(_need(doc, "call_id", str), int(doc.get("queue_position") or 0))


def status_of(doc: Mapping[str, Any]) -> CallStatus:
    try:
        phase = CallPhase(_need(doc, "status", str))
        reason = doc.get("ended_reason")
        ended = EndReason(reason) if reason is not None else None
    except ValueError as exc:
        raise CallMessageInvalid(str(exc)) from exc
    answer = doc.get("answer")
    answer_sdp = answer.get("sdp") if isinstance(answer, Mapping) else None
    clerk = doc.get("clerk")
    position = doc.get("queue_position")
    return CallStatus(call_id=_need(doc, "call_id", str), phase=phase,
                      queue_position=position if isinstance(position, int) else None,
                      answer_sdp=answer_sdp if isinstance(answer_sdp, str) else None,
                      clerk_name=(str(clerk.get("display_name") or "")
                                  if isinstance(clerk, Mapping) else None),
                      ended_reason=ended)


# --- messages on the ``assist`` data channel -------------------------------------------

class MessageKind(StrEnum):
    CHAT = "chat"
    SNAPSHOT_REQUEST = "snapshot_request"
    SNAPSHOT = "snapshot"
    OPEN_ITEM = "open_item"
    BYE = "bye"


@dataclass(frozen=True)
class Chat:
    text: str
    kind: ClassVar[MessageKind] = MessageKind.CHAT


@dataclass(frozen=True)
class SnapshotRequest:
    kind: ClassVar[MessageKind] = MessageKind.SNAPSHOT_REQUEST


@dataclass(frozen=True)
class Snapshot:
    """A picture of a document, sent only after the citizen taps Send."""

    data: bytes = field(repr=False)       # a resident's document: never in a repr or log
    media_type: str = "image/jpeg"
    kind: ClassVar[MessageKind] = MessageKind.SNAPSHOT


@dataclass(frozen=True)
class OpenItem:
    item_code: str
    kind: ClassVar[MessageKind] = MessageKind.OPEN_ITEM


@dataclass(frozen=True)
class Bye:
    kind: ClassVar[MessageKind] = MessageKind.BYE


CallMessage = Chat | SnapshotRequest | Snapshot | OpenItem | Bye


def encode(message: CallMessage) -> str:
    """The JSON text sent on the channel. A snapshot too big for one message raises
    :class:`CallMessageInvalid` (scale it first: the limit is :data:`MAX_SNAPSHOT_BASE64`)."""
    doc: dict[str, Any] = {"type": message.kind.value}
    if isinstance(message, Chat):
        doc["text"] = message.text[:MAX_CHAT_CHARS]
    elif isinstance(message, Snapshot):
        data = base64.b64encode(message.data).decode("ascii")
        if len(data) > MAX_SNAPSHOT_BASE64:
            raise CallMessageInvalid(f"a snapshot of {len(data)} base64 characters is over "
                                     f"the {MAX_SNAPSHOT_BASE64} a message may carry")
        doc["media_type"], doc["data"] = message.media_type, data
    elif isinstance(message, OpenItem):
        doc["item_code"] = message.item_code
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def decode(text: str | bytes) -> CallMessage:
    """One message received on the channel; :class:`CallMessageInvalid` for anything the
    API does not define (a caller drops it and goes on: the far end is not trusted)."""
    if len(text) > MAX_SNAPSHOT_BASE64 + 1024:
        raise CallMessageInvalid("a message longer than any the API defines")
    try:
        doc = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CallMessageInvalid("a message that is not JSON") from exc
    if not isinstance(doc, dict):
        raise CallMessageInvalid("a message that is not a JSON object")
    try:
        kind = MessageKind(str(doc.get("type")))
    except ValueError as exc:
        raise CallMessageInvalid(f"unknown message type {doc.get('type')!r}") from exc
    if kind is MessageKind.CHAT:
        return Chat(str(_need(doc, "text", str))[:MAX_CHAT_CHARS])
    if kind is MessageKind.SNAPSHOT_REQUEST:
        return SnapshotRequest()
    if kind is MessageKind.OPEN_ITEM:
        return OpenItem(_need(doc, "item_code", str))
    if kind is MessageKind.BYE:
        return Bye()
    data = _need(doc, "data", str)
    if len(data) > MAX_SNAPSHOT_BASE64:
        raise CallMessageInvalid("a snapshot over the size a message may carry")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CallMessageInvalid("a snapshot whose data is not base64") from exc
    return Snapshot(raw, str(doc.get("media_type") or "image/jpeg"))
