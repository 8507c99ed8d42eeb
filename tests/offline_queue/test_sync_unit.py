"""The sync engine's classification of answers, through a scripted in-memory platform."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from offline_queue import Outbox, State
from offline_queue.credentials import Credentials
from offline_queue.store import DeliveryOutcome
from offline_queue.sync import SyncEngine
from tests.offline_queue.conftest import SIGNATURE, TIMEOUTS, make_submission
from tests.offline_queue.fake_platform import FakePlatform

CREDS = Credentials("http://127.0.0.1:9", "dev-1", "tok", "http://x/{submission_id}", "kiosk")


@pytest.fixture
def box(data_dir: Path) -> Iterator[Outbox]:
    with Outbox(data_dir) as outbox:
        yield outbox


def engine(box: Outbox, fake: FakePlatform) -> SyncEngine:
    return SyncEngine(box, CREDS, transport=fake.transport(), rand=lambda: 0.0, **TIMEOUTS)


def fill(box: Outbox, n: int) -> list[str]:
    return [box.enqueue(make_submission(), [SIGNATURE]) for _ in range(n)]


def test_batch_delivers_blobs_first_then_all(box: Outbox) -> None:
    """Blobs are uploaded before the batch, and every item ends sent with its case number."""
    fake = FakePlatform()
    ids = fill(box, 5)
    with engine(box, fake) as e:
        report = e.sync_once()
    assert report.sent == 5 and report.stopped is None
    assert fake.calls[:3] == ["HEAD /v1/blobs/" + fake.calls[0].rsplit("/", 1)[1],
                              "PUT " + fake.calls[1].split(" ")[1], "POST /v1/submissions:batch"]
    assert all(box.get(i)["case_number"] for i in ids)
    assert box.stats()["sent"] == 5


def test_batch_404_falls_back_to_single(box: Outbox) -> None:
    """When the platform has no batch endpoint, each item goes through the single endpoint."""
    fake = FakePlatform()
    fake.batch = False
    fill(box, 3)
    with engine(box, fake) as e:
        assert e.sync_once().sent == 3
    assert fake.calls.count("POST /v1/submissions") == 3


def test_401_pauses_queue_and_keeps_items(box: Outbox) -> None:
    """A 401 pauses the whole queue and leaves every item deliverable."""
    fake = FakePlatform()
    fake.script = [lambda r: None, lambda r: None, lambda r: httpx.Response(401)]
    fill(box, 2)
    with engine(box, fake) as e:
        assert e.sync_once().stopped == "paused"
        assert e.sync_once().stopped == "paused"
    stats = box.stats()
    assert stats["paused"] is True and stats["pending"] == 2


def test_422_is_dead_with_field_messages(box: Outbox) -> None:
    """A 422 validation answer makes that item dead with the platform's fields; others pass."""
    fake = FakePlatform()
    bad, good = fill(box, 2)
    fields = {"reason": {"zh": "太短", "en": "too short"}}
    fake.reject[bad] = (422, {"code": "validation", "fields": fields})
    with engine(box, fake) as e:
        report = e.sync_once()
    assert (report.sent, report.dead) == (1, 1)
    assert box.get(bad)["reasons"]["fields"] == fields
    assert box.get(good)["state"] == State.SENT


def test_503_retry_after_holds_whole_queue(box: Outbox) -> None:
    """A 503 with Retry-After puts items in retry_wait and holds the queue that long."""
    fake = FakePlatform()
    fill(box, 2)
    fake.blobs.add(make_submission()["attachments"][0]["sha256"])
    fake.script = [lambda r: None, lambda r: httpx.Response(503, headers={"Retry-After": "120"})]
    with engine(box, fake) as e:
        assert e.sync_once().stopped == "throttled"
        assert e.sync_once().stopped == "throttled"
    assert box.stats()["retry_wait"] == 2
    assert fake.calls.count("POST /v1/submissions:batch") == 1
    assert box.store.get_meta("hold_until") > box.clock() + 100


def test_connection_errors_stop_early(box: Outbox) -> None:
    """With the network down the run stops after a few tries instead of trying every item."""
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)
    fill(box, 5)
    with SyncEngine(box, CREDS, transport=httpx.MockTransport(down), batch_size=1, **TIMEOUTS,
                    rand=lambda: 0.5) as e:
        report = e.sync_once()
    assert report.stopped == "offline"
    assert report.retry == 3
    assert box.stats()["pending"] == 2 and box.stats()["in_flight"] == 0


def test_truncated_body_is_transient(box: Outbox) -> None:
    """A 200 whose body cannot be read leaves the items to be sent again, not lost or dead."""
    fake = FakePlatform()
    fill(box, 2)
    fake.script = [lambda r: None, lambda r: None,
                   lambda r: httpx.Response(200, content=b'{"results": [{"subm')]
    with engine(box, fake) as e:
        assert e.sync_once().retry == 2
        box.store.db.execute("UPDATE items SET next_attempt_at = 0")
        assert e.sync_once().sent == 2
    assert len(fake.submissions) == 2


def test_missing_blobs_reuploads(box: Outbox) -> None:
    """409 missing_blobs forgets the upload mark so the blob is uploaded again."""
    fake = FakePlatform()
    fill(box, 1)
    with engine(box, fake) as e:
        e.sync_once()
        fake.blobs.clear()
        sid = box.enqueue(make_submission(), [SIGNATURE])
        assert e.sync_once().retry == 1
        box.store.db.execute("UPDATE items SET next_attempt_at = 0")
        assert e.sync_once().sent == 1
    assert box.get(sid)["state"] == State.SENT


def test_clock_skew_measured_from_date(box: Outbox) -> None:
    """The Date header of answers gives the terminal's clock skew."""
    fake = FakePlatform()
    fill(box, 1)
    with engine(box, fake) as e:
        e.sync_once()
        assert abs(e.progress().clock_skew_s or 99) < 2


def test_singles_stop_at_retry_after(box: Outbox) -> None:
    """Without batch, a 503 with Retry-After ends the run: no later item is sent meanwhile."""
    fake = FakePlatform()
    fake.batch = False
    first, second, third = fill(box, 3)
    fake.script = [lambda r: None, lambda r: None, lambda r: None, lambda r: None,
                   lambda r: httpx.Response(503, headers={"Retry-After": "60"})]
    with engine(box, fake) as e:
        report = e.sync_once()
    assert report.stopped == "throttled"
    assert fake.calls.count("POST /v1/submissions") == 2   # the third was never tried
    assert box.get(first)["state"] == State.SENT
    assert box.get(second)["state"] == State.RETRY_WAIT
    third_item = box.get(third)
    assert third_item["state"] == State.PENDING and third_item["attempts"] == 0
    assert box.store.get_meta("hold_until") >= box.clock() + 59


def test_401_mid_singles_keeps_what_was_answered(box: Outbox) -> None:
    """A 401 after some items were accepted pauses the queue but keeps those items sent."""
    fake = FakePlatform()
    fake.batch = False
    first, second = fill(box, 2)
    fake.script = [lambda r: None, lambda r: None, lambda r: None, lambda r: None,
                   lambda r: httpx.Response(401)]
    with engine(box, fake) as e:
        assert e.sync_once().stopped == "paused"
    assert box.get(first)["state"] == State.SENT and box.get(first)["case_number"]
    assert box.get(second)["state"] == State.PENDING
    assert box.stats()["paused"] is True


def test_changes_feed_throttle_holds_queue(box: Outbox) -> None:
    """A 429 with Retry-After on the changes feed holds the whole queue too."""
    fake = FakePlatform()
    fill(box, 1)
    fake.script = [lambda r: None, lambda r: None, lambda r: None,
                   lambda r: httpx.Response(429, headers={"Retry-After": "30"})]
    with engine(box, fake) as e:
        assert e.sync_once().sent == 1
        assert box.store.get_meta("hold_until") >= box.clock() + 29
        assert e.sync_once().stopped == "throttled"


def test_run_that_reaches_nothing_is_offline(box: Outbox) -> None:
    """One item and no answer at all (blob check and changes feed both unreachable): offline."""
    fake = FakePlatform()
    fake.down = True
    sid = fill(box, 1)[0]
    with engine(box, fake) as e:
        assert e.sync_once().stopped == "offline"
        assert not e.reachable()
        fake.down = False
        assert e.reachable()
    assert box.get(sid)["state"] == State.RETRY_WAIT


def test_retry_waiting_now_sends_items_in_back_off(box: Outbox) -> None:
    """'Sync now' makes items waiting out a back-off due at once, and they are sent."""
    fake = FakePlatform()
    ids = fill(box, 2)
    box.store.record([DeliveryOutcome(s, State.RETRY_WAIT, 503, "platform answered 503",
                                      delay_s=3600) for s in ids], box.clock())
    with engine(box, fake) as e:
        assert e.sync_once().sent == 0                 # still in back-off
        assert box.retry_waiting_now() == 2
        assert box.retry_waiting_now() == 0            # nothing waits any more
        assert e.sync_once().sent == 2


def test_retry_waiting_now_keeps_the_platforms_retry_after(box: Outbox) -> None:
    """Items held by a Retry-After are not made due before it ends, and the engine still
    waits for it."""
    fake = FakePlatform()
    fill(box, 2)
    fake.blobs.add(make_submission()["attachments"][0]["sha256"])
    fake.script = [lambda r: None, lambda r: httpx.Response(503, headers={"Retry-After": "120"})]
    with engine(box, fake) as e:
        assert e.sync_once().stopped == "throttled"
        hold = box.store.get_meta("hold_until")
        box.retry_waiting_now()
        assert e.next_due() is not None and e.next_due() >= hold   # type: ignore[operator]
        assert e.sync_once().stopped == "throttled"
    assert fake.calls.count("POST /v1/submissions:batch") == 1


def test_batch_support_is_checked_again_after_a_while(data_dir: Path) -> None:
    """After a 404 from the batch endpoint items go one by one, and the batch endpoint is
    asked again once ``batch_recheck_s`` has passed (the platform was upgraded)."""
    now = [1_000_000.0]
    fake = FakePlatform()
    fake.batch = False
    with Outbox(data_dir, clock=lambda: now[0]) as box, SyncEngine(
            box, CREDS, transport=fake.transport(), rand=lambda: 0.0, batch_recheck_s=3600,
            **TIMEOUTS) as e:
        fill(box, 2)
        assert e.sync_once().sent == 2
        fake.batch = True
        now[0] += 1800
        fill(box, 2)
        assert e.sync_once().sent == 2
        assert fake.calls.count("POST /v1/submissions:batch") == 1   # not asked again yet
        now[0] += 1801
        fill(box, 2)
        assert e.sync_once().sent == 2
    assert fake.calls.count("POST /v1/submissions:batch") == 2
    assert fake.calls.count("POST /v1/submissions") == 4
