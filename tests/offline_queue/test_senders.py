"""Per-sender headers and holds: agent items wait for their agent's session, kiosk items
never do; a refused session holds instead of killing; the worker idles while items are held."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from offline_queue import Outbox, State
from offline_queue.events import OutboxEvent, Progress, RunState, SenderRefused
from offline_queue.senders import Sender
from offline_queue.sync import SyncEngine
from offline_queue.worker import SyncWorker
from tests.offline_queue.conftest import SIGNATURE, TIMEOUTS, make_submission
from tests.offline_queue.fake_platform import FakePlatform
from tests.offline_queue.test_sync_unit import CREDS

AGENT_A, AGENT_B = "agent-a", "agent-b"


def agent_submission(agent_id: str) -> dict[str, Any]:
    return make_submission(channel="agent", agent={"agent_id": agent_id})


class Sessions:
    """The application's side: which agent has a platform session (token) right now."""

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.asked: list[Sender] = []

    def __call__(self, sender: Sender) -> Mapping[str, str] | None:
        self.asked.append(sender)
        if sender.channel != "agent":
            return {}
        token = self.tokens.get(sender.agent_id or "")
        return None if token is None else {"X-Agent-Token": token}


@pytest.fixture
def box(data_dir: Path) -> Iterator[Outbox]:
    with Outbox(data_dir) as outbox:
        yield outbox


def engine(box: Outbox, fake: FakePlatform, headers: Sessions | None = None,
           **kwargs: Any) -> SyncEngine:
    return SyncEngine(box, CREDS, transport=fake.transport(), rand=lambda: 0.0,
                      request_headers=headers, **TIMEOUTS, **kwargs)


def test_agent_items_are_held_by_default_and_kiosk_items_go(box: Outbox) -> None:
    """Without a header source, agent items are held (no request, no attempt, not dead),
    kiosk items in the same queue are sent, and the progress says what is held."""
    fake = FakePlatform()
    events: list[OutboxEvent] = []
    box.add_listener(events.append)
    kiosk = box.enqueue(make_submission(), [SIGNATURE])
    agent = [box.enqueue(agent_submission(AGENT_A), [SIGNATURE]) for _ in range(2)]
    with engine(box, fake) as e:
        report = e.sync_once()
        assert e.next_due() is None          # nothing the engine may send is left
    assert (report.sent, report.held, report.stopped) == (1, 2, None)
    assert [ids for _, _, ids in fake.sent] == [[kiosk]]
    for sid in agent:
        item = box.get(sid)
        assert (item["state"], item["attempts"]) == (State.PENDING, 0)
    last = [e for e in events if isinstance(e, Progress)][-1]
    assert last.state is RunState.HELD and last.held == {"agent": 2}
    assert last.last_sync_at is not None


def test_each_agent_sends_with_its_own_token(box: Outbox) -> None:
    """One request carries one agent's items with that agent's token; kiosk items go
    without one; an agent with no session is held while the other is sent."""
    fake = FakePlatform()
    sessions = Sessions()
    a = [box.enqueue(agent_submission(AGENT_A), [SIGNATURE]) for _ in range(2)]
    b = box.enqueue(agent_submission(AGENT_B), [SIGNATURE])
    k = box.enqueue(make_submission(), [SIGNATURE])
    sessions.tokens[AGENT_A] = "tok-a"
    with engine(box, fake, sessions) as e:
        report = e.sync_once()
        assert (report.sent, report.held) == (3, 1)
        assert sorted(fake.sent, key=str) == sorted(
            [("/v1/submissions:batch", "tok-a", a), ("/v1/submissions", None, [k])], key=str)
        sessions.tokens[AGENT_B] = "tok-b"   # agent B signs in online
        assert e.next_due() is not None
        assert (e.sync_once().sent, e.progress().held) == (1, {})
    assert fake.sent[-1] == ("/v1/submissions", "tok-b", [b])
    assert box.get(b)["state"] == State.SENT


def test_refused_session_holds_items_until_a_new_one(box: Outbox) -> None:
    """403 agent_token_invalid puts the items back without an attempt (never dead), the
    refused token is not tried again, and a fresh token sends them."""
    fake = FakePlatform()
    sessions = Sessions()
    events: list[OutboxEvent] = []
    box.add_listener(events.append)
    ids = [box.enqueue(agent_submission(AGENT_A), [SIGNATURE]) for _ in range(2)]
    sessions.tokens[AGENT_A] = "stale"
    fake.stale_tokens.add("stale")
    with engine(box, fake, sessions) as e:
        report = e.sync_once()
        assert (report.sent, report.dead, report.retry, report.held) == (0, 0, 0, 2)
        for sid in ids:
            item = box.get(sid)
            assert (item["state"], item["attempts"], item["http_status"]) == (
                State.PENDING, 0, 403)
        assert SenderRefused(Sender("agent", AGENT_A), "agent_token_invalid") in events
        requests = len(fake.sent)
        assert e.sync_once().held == 2 and len(fake.sent) == requests   # not tried again
        assert e.next_due() is None
        sessions.tokens[AGENT_A] = "fresh"
        assert e.sync_once().sent == 2
    assert fake.sent[-1][1] == "fresh"


def test_refusal_of_a_single_send_keeps_what_was_answered(box: Outbox) -> None:
    """Without batch, a 403 agent_sign_in_required mid-way keeps the earlier item sent and
    holds the rest."""
    import httpx

    fake = FakePlatform()
    fake.batch = False
    sessions = Sessions()
    sessions.tokens[AGENT_A] = "tok-a"
    first, second, third = (box.enqueue(agent_submission(AGENT_A), [SIGNATURE])
                            for _ in range(3))
    refusal = httpx.Response(403, json={"code": "agent_sign_in_required"})
    # HEAD + PUT of the blob, the 404 batch, the first single, then the refusal
    fake.script = [lambda r: None] * 4 + [lambda r: refusal]
    with engine(box, fake, sessions) as e:
        report = e.sync_once()
    assert (report.sent, report.dead, report.held) == (1, 0, 2)
    assert box.get(first)["state"] == State.SENT
    assert [box.get(s)["attempts"] for s in (second, third)] == [0, 0]


def test_other_403_codes_still_make_items_dead(box: Outbox) -> None:
    """agent_mismatch is about the content (another agent named): dead, as before."""
    fake = FakePlatform()
    sessions = Sessions()
    sessions.tokens[AGENT_A] = "tok-a"
    sid = box.enqueue(agent_submission(AGENT_A), [SIGNATURE])
    fake.reject[sid] = (403, {"code": "agent_mismatch"})
    with engine(box, fake, sessions) as e:
        assert e.sync_once().dead == 1
    assert box.get(sid)["reasons"]["code"] == "agent_mismatch"


def test_worker_idles_while_items_are_held(box: Outbox) -> None:
    """Held items neither make the worker resend nor probe: it sleeps until woken, then
    sends as soon as the session exists."""
    fake = FakePlatform()
    sessions = Sessions()
    sid = box.enqueue(agent_submission(AGENT_A), [SIGNATURE])
    with engine(box, fake, sessions) as e, SyncWorker(e, interval_s=3600) as worker:
        deadline = time.monotonic() + 5
        while worker.last_report is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert worker.last_report.held == 1 and worker.last_report.stopped is None
        calls = len(fake.calls)
        time.sleep(0.3)   # measuring that nothing happens needs some time to pass
        assert len(fake.calls) == calls and "GET /v1/health" not in fake.calls
        sessions.tokens[AGENT_A] = "tok-a"   # the agent signs in online...
        worker.trigger()                     # ...and the application says so
        while box.get(sid)["state"] != State.SENT:
            assert time.monotonic() < deadline, fake.calls
            time.sleep(0.01)


def test_items_list_by_sender(box: Outbox) -> None:
    """The queue lists one agent's items without opening any sealed body."""
    a = box.enqueue(agent_submission(AGENT_A), [SIGNATURE])
    box.enqueue(agent_submission(AGENT_B), [SIGNATURE])
    box.enqueue(make_submission(), [SIGNATURE])
    mine = box.items(sender=Sender("agent", AGENT_A))
    assert [i["submission_id"] for i in mine] == [a]
    assert (mine[0]["channel"], mine[0]["agent_id"]) == ("agent", AGENT_A)
    assert len(box.items(sender=Sender("kiosk"))) == 1
