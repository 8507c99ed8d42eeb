"""Field faults of issue #14 ("no application stranded, lost or leaked"), each reproduced
against a live sandbox on 127.0.0.1 over real HTTP, with real threads for the races."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from central import admin
from central.api.agents import MAX_FAILURES
from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule
from tests.central import builders
from tests.central.builders import put_signature, submission, submit
from tests.conftest import run_kiosk

PIN = "135790"
WRONG = "000000"


def apply_item(sandbox: SandboxServer) -> str:
    catalog = sandbox.platform.catalog.catalog
    return next(item.code for item in catalog.items if str(item.mode) == "apply")


def new_agent(sandbox: SandboxServer) -> str:
    number = f"F{uuid.uuid4().hex[:8]}"
    admin.add_agent(sandbox.platform.settings.data_dir, number, PIN, "荀山村")
    return number


def unknown_number() -> str:
    """A number shaped like new_agent's that no agent has."""
    return f"F{uuid.uuid4().hex[:8]}"


def in_parallel(count: int, action: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Run ``action`` on ``count`` threads released together by a barrier."""
    barrier = threading.Barrier(count)
    answers: list[httpx.Response | BaseException] = [RuntimeError("not run")] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = action(index)
        except BaseException as exc:  # reported below, with the thread's index
            answers[index] = exc

    threads = [threading.Thread(target=run, args=(i,), name=f"guess-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    failed = [a for a in answers if not isinstance(a, httpx.Response)]
    assert not failed, failed
    return answers  # type: ignore[return-value]


def own_client(client: httpx.Client) -> httpx.Client:
    """A client of the same device with its own connection, so requests really overlap."""
    return httpx.Client(base_url=str(client.base_url), headers=client.headers, timeout=60)


def sign_in(client: httpx.Client, number: str, pin: str) -> httpx.Response:
    return client.post("/v1/agents/sign-in", json={"agent_number": number, "pin": pin})


# -- 1. the agent PIN lock-out holds against parallel guesses ---------------------------------

def test_parallel_wrong_pins_get_no_extra_tries(sandbox: SandboxServer, enrol) -> None:
    """40 wrong PINs at once: at most the limit are evaluated (401), the rest are 429, and
    the right PIN afterwards is refused while the lock lasts."""
    device = enrol("agent")
    number = new_agent(sandbox)

    def guess(_: int) -> httpx.Response:
        with own_client(device) as client:
            return sign_in(client, number, WRONG)

    answers = in_parallel(40, guess)
    statuses = [a.status_code for a in answers]
    evaluated = statuses.count(401)
    assert sorted(set(statuses)) <= [401, 429], statuses
    assert 1 <= evaluated <= MAX_FAILURES, f"{evaluated} of 40 parallel guesses were evaluated"
    assert all(a.json()["code"] == "bad_credentials" for a in answers if a.status_code == 401)
    assert all(int(a.headers["retry-after"]) > 0 for a in answers if a.status_code == 429)
    right = sign_in(device, number, PIN)
    assert right.status_code == 429, right.text


# -- 3. nothing of the sandbox is readable by other users -------------------------------------

def _modes(root: Path) -> dict[str, str]:
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def _loose(root: Path) -> dict[str, str]:
    """Entries whose mode is not 0700 (directories) or 0600 (files)."""
    loose = {}
    for name, mode in _modes(root).items():
        wanted = "0o700" if (root / name).is_dir() else "0o600"
        if mode != wanted:
            loose[name] = mode
    return loose


def test_data_dir_and_every_file_are_owner_only_under_umask_022(tmp_path: Path) -> None:
    """With the usual umask 022, the data dir is 0700 and the database (and its -wal and
    -shm), blobs and everything else the sandbox writes are 0600, running and stopped."""
    previous = os.umask(0o022)
    try:
        directory = tmp_path / "central"
        directory.mkdir()                       # 0755 under this umask, as an operator's would be
        code = admin.issue_enrollment_code(directory, "kiosk")
        settings = SandboxSettings(directory, workflow=WorkflowSchedule(step_s=0))
        with SandboxServer(settings) as server:
            enrolled = httpx.post(f"{server.url}/v1/devices/enroll",
                                  json={"enrollment_code": code, "kind": "kiosk"}).json()
            with httpx.Client(base_url=server.url, timeout=10, headers={
                    "Authorization": f"Bearer {enrolled['token']}"}) as client:
                put_signature(client)
                body = submission(server.platform.catalog.catalog, apply_item(server))
                assert submit(client, body).status_code == 201
                assert client.post("/v1/heartbeat", json=_beat()).status_code == 200
            admin.add_agent(directory, unknown_number(), PIN, "荀山村")
            names = set(_modes(directory))
            assert {"central.sqlite3", "central.sqlite3-wal", "central.sqlite3-shm"} <= names
            assert any(name.endswith(builders.SIGNATURE_SHA) for name in names)
            running = _loose(directory)
        stopped = _loose(directory)
    finally:
        os.umask(previous)
    assert running == {}, running
    assert stopped == {}, stopped


# -- 4. a bad changes cursor is the client's mistake, never a 500 -----------------------------

def _b64(text: bytes) -> str:
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


CURSORS = {
    "huge": _b64(b"c1:" + b"9" * 40),
    "just past SQLite's integers": _b64(b"c1:9223372036854775808"),
    "past Python's digit limit": _b64(b"c1:" + b"9" * 5000),
    "negative": _b64(b"c1:-5"),
    "superscript digit": _b64("c1:²".encode()),
    "arabic-indic digits": _b64("c1:١٢".encode()),
    "exponent": _b64(b"c1:1e5"),
    "other version": _b64(b"c2:5"),
    "no prefix": _b64(b"5"),
    "not UTF-8": _b64(b"\xff\xfe\xfa"),
    "not base64": "%%%%",
    "padding only": "====",
    "garbage": "garbage!",
    "trailing junk": _b64(b"c1:5") + "!!",
    "nul": _b64(b"c1:5\x00"),
}


@pytest.mark.parametrize("shape", sorted(CURSORS))
def test_malformed_cursors_are_400_problems(enrol, shape: str) -> None:
    """Every cursor the platform did not issue is 400 bad_cursor as problem+json, never 500."""
    client = enrol()
    answer = client.get("/v1/changes", params={"after": CURSORS[shape]})
    assert answer.status_code == 400, (shape, answer.status_code, answer.text[:300])
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["code"] == "bad_cursor" and problem["status"] == 400
    assert {"type", "title", "detail"} <= set(problem)


@pytest.mark.parametrize("limit", ["²", "١٠", "-1", "1e3", "99999999999999999999999"])
def test_malformed_limits_are_400_problems(enrol, limit: str) -> None:
    """The page size is ASCII digits from 1 to 1000; anything else is 400 bad_limit."""
    answer = enrol().get("/v1/changes", params={"limit": limit})
    assert answer.status_code == 400, (limit, answer.status_code, answer.text[:300])
    assert answer.json()["code"] == "bad_limit"


def test_issued_cursors_still_page(sandbox: SandboxServer, enrol) -> None:
    """The cursors the platform issues keep working, including the one for "nothing yet"."""
    client = enrol()
    first = client.get("/v1/changes")
    assert first.status_code == 200
    again = client.get("/v1/changes", params={"after": first.json()["next"]})
    assert again.status_code == 200 and again.json()["changes"] == []


# -- 5. a blob's existence is told only to the devices that have it ---------------------------

def test_blobs_are_private_to_their_devices(sandbox: SandboxServer, enrol) -> None:
    """HEAD answers 200 and PUT 200 only to a device that uploaded the blob or named it in
    one of its own submissions; any other device gets 404 and 201 (and then owns it)."""
    uploader, stranger, sender = enrol(), enrol(), enrol()
    data = b"scan of a citizen's document " + uuid.uuid4().bytes
    digest = hashlib.sha256(data).hexdigest()
    assert uploader.put(f"/v1/blobs/{digest}", content=data).status_code == 201
    assert uploader.head(f"/v1/blobs/{digest}").status_code == 200
    assert uploader.put(f"/v1/blobs/{digest}", content=data).status_code == 200

    assert stranger.head(f"/v1/blobs/{digest}").status_code == 404
    wrong = stranger.put(f"/v1/blobs/{digest}", content=data + b"!")
    assert wrong.status_code == 400 and wrong.json()["code"] == "digest_mismatch"
    assert stranger.head(f"/v1/blobs/{digest}").status_code == 404
    assert stranger.put(f"/v1/blobs/{digest}", content=data).status_code == 201
    assert stranger.head(f"/v1/blobs/{digest}").status_code == 200
    assert stranger.put(f"/v1/blobs/{digest}", content=data).status_code == 200

    assert sender.head(f"/v1/blobs/{digest}").status_code == 404
    put_signature(sender)
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    body["attachments"].append({"sha256": digest, "size": len(data),
                                "media_type": "image/jpeg", "role": "document"})
    assert submit(sender, body).status_code == 201
    assert sender.head(f"/v1/blobs/{digest}").status_code == 200
    assert sender.put(f"/v1/blobs/{digest}", content=data).status_code == 200


# -- 6. agent numbers cannot be enumerated ----------------------------------------------------

def _shape(answer: httpx.Response) -> tuple[int, str, dict[str, Any], bool]:
    return (answer.status_code, answer.headers["content-type"], answer.json(),
            "retry-after" in answer.headers)


def test_unknown_and_locked_numbers_answer_alike(sandbox: SandboxServer, enrol) -> None:
    """An unknown number is refused, and locked after the limit, exactly like a real one:
    same status, code and body at every try, and a 429 with Retry-After at the end."""
    device = enrol("agent")
    known, unknown = new_agent(sandbox), unknown_number()
    for attempt in range(MAX_FAILURES + 2):
        real, fake = sign_in(device, known, WRONG), sign_in(device, unknown, WRONG)
        assert _shape(real) == _shape(fake), (attempt, real.text, fake.text)
        expected = 401 if attempt < MAX_FAILURES else 429
        assert real.status_code == expected, (attempt, real.text)
    assert sign_in(device, unknown, PIN).status_code == 429


def _medians_s(first: Callable[[], httpx.Response], second: Callable[[], httpx.Response],
               expected: int, times: int = 5) -> tuple[float, float]:
    """Median seconds of each action, run in turns so that load on the machine hits both."""
    spent: tuple[list[float], list[float]] = ([], [])
    for _ in range(times):
        for action, into in ((first, spent[0]), (second, spent[1])):
            started = time.perf_counter()
            answer = action()
            into.append(time.perf_counter() - started)
            assert answer.status_code == expected, answer.text
    return statistics.median(spent[0]), statistics.median(spent[1])


def test_unknown_numbers_take_as_long_as_wrong_pins(sandbox: SandboxServer, enrol) -> None:
    """A wrong PIN for an unknown number costs the same slow hash as for a known one, and a
    locked unknown number answers as fast as a locked known one (generous bounds)."""
    device = enrol("agent")
    known = [new_agent(sandbox) for _ in range(5)]
    unknown = [unknown_number() for _ in range(5)]
    sign_in(device, new_agent(sandbox), WRONG)        # warm up connection and caches
    known_s, unknown_s = _medians_s(lambda: sign_in(device, known.pop(), WRONG),
                                    lambda: sign_in(device, unknown.pop(), WRONG), 401)
    assert unknown_s >= 0.5 * known_s, (unknown_s, known_s)
    assert known_s >= 0.5 * unknown_s, (unknown_s, known_s)

    locked_known, locked_unknown = new_agent(sandbox), unknown_number()
    for _ in range(MAX_FAILURES):
        sign_in(device, locked_known, WRONG)
        sign_in(device, locked_unknown, WRONG)
    known_s, unknown_s = _medians_s(lambda: sign_in(device, locked_known, WRONG),
                                    lambda: sign_in(device, locked_unknown, WRONG), 429)
    assert unknown_s <= 2 * known_s + 0.01, (unknown_s, known_s)
    assert known_s <= 2 * unknown_s + 0.01, (unknown_s, known_s)


# -- 7. damaged applications ------------------------------------------------------------------

def _beat(**queue: Any) -> dict[str, Any]:
    return {"app_version": "0.1.0", "uptime_s": 60, "clock_skew_s": 0.0,
            "queue": {"pending": 0, "dead": 0, "dead_ids": [], "oldest_pending_at": None,
                      **queue},
            "devices": {"idcard": "ok", "smartcard": "absent", "printer": {"state": "ok"}},
            "last_sync_at": None}


def test_damaged_applications_are_tracked_as_such(sandbox: SandboxServer, enrol) -> None:
    """Ids a terminal reports damaged track as damaged_on_terminal, in Chinese and English,
    telling the citizen to apply again; an id the platform did receive keeps its status."""
    client = enrol()
    put_signature(client)
    received = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    assert submit(client, received).status_code == 201
    lost = [str(uuid.uuid4()) for _ in range(2)]
    beat = _beat(damaged=2, damaged_ids=[*lost, received["submission_id"]])
    assert client.post("/v1/heartbeat", json=beat).status_code == 200
    for submission_id in lost:
        page = httpx.get(f"{sandbox.url}/v1/track/{submission_id}")
        assert page.status_code == 200
        doc = page.json()
        assert doc["status"] == "damaged_on_terminal" and doc["case_number"] is None
        assert doc["submission_id"] == submission_id and doc["updated_at"]
        assert "重新" in doc["message"] and "apply again" in doc["message"]
    page = httpx.get(f"{sandbox.url}/v1/track/{received['submission_id']}")
    assert page.json()["status"] == "received"
    other = httpx.get(f"{sandbox.url}/v1/track/{uuid.uuid4()}")
    assert other.json()["status"] == "not_yet_received"
    # A later heartbeat without them does not make the citizen's receipt say "on its way".
    assert client.post("/v1/heartbeat", json=_beat()).status_code == 200
    page = httpx.get(f"{sandbox.url}/v1/track/{lost[0]}")
    assert page.json()["status"] == "damaged_on_terminal"


BAD_DAMAGED = {
    "ids not a list": {"damaged": 1, "damaged_ids": "x"},
    "not a UUID": {"damaged": 1, "damaged_ids": ["not-a-uuid"]},
    "upper case": {"damaged": 1, "damaged_ids": [str(uuid.uuid4()).upper()]},
    "braces": {"damaged": 1, "damaged_ids": ["{" + str(uuid.uuid4()) + "}"]},
    "no hyphens": {"damaged": 1, "damaged_ids": [uuid.uuid4().hex]},
    "a number": {"damaged": 1, "damaged_ids": [12]},
    "too many": {"damaged": 1001, "damaged_ids": [str(uuid.uuid4()) for _ in range(1001)]},
    "negative count": {"damaged": -1, "damaged_ids": []},
    "count is text": {"damaged": "2", "damaged_ids": []},
    "count is a bool": {"damaged": True, "damaged_ids": []},
}


@pytest.mark.parametrize("case", sorted(BAD_DAMAGED))
def test_bad_damaged_reports_are_400(sandbox: SandboxServer, enrol, case: str) -> None:
    """damaged is a count and damaged_ids at most 1000 canonical lower-case UUIDs."""
    answer = enrol().post("/v1/heartbeat", json=_beat(**BAD_DAMAGED[case]))
    assert answer.status_code == 400, (case, answer.status_code, answer.text[:300])
    assert answer.json()["code"] == "bad_request"


def test_fleet_shows_damaged_counts(tmp_path: Path) -> None:
    """`kiosk central fleet` and its --json show how many applications each terminal holds
    damaged, from the terminal's last heartbeat."""
    directory = tmp_path / "central"
    settings = SandboxSettings(directory, workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings) as server:
        tokens = []
        for _ in range(2):
            code = admin.issue_enrollment_code(directory, "kiosk")
            tokens.append(httpx.post(f"{server.url}/v1/devices/enroll", json={
                "enrollment_code": code, "kind": "kiosk"}).json())
        beat = _beat(damaged=3, damaged_ids=[str(uuid.uuid4()) for _ in range(3)])
        answer = httpx.post(f"{server.url}/v1/heartbeat", json=beat,
                            headers={"Authorization": f"Bearer {tokens[0]['token']}"})
        assert answer.status_code == 200
    shown = run_kiosk("central", "fleet", "--json", data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    rows = {row["device_id"]: row for row in json.loads(shown.stdout)["terminals"]}
    assert rows[tokens[0]["device_id"]]["damaged"] == 3
    assert rows[tokens[1]["device_id"]]["damaged"] is None        # no heartbeat yet
    human = run_kiosk("central", "fleet", data_dir=tmp_path)
    assert human.returncode == 0, human.stderr
    line = next(x for x in human.stdout.splitlines() if tokens[0]["device_id"] in x)
    assert "damaged 3" in line
