"""The agent's day without Qt: sign in, sync, go offline, visit, queue, come back, see status.

Also the "no personal data in plain text on disk" scan of everything the agent's offline
work leaves in the data dir (work list, sign-in record, queue), in the encodings a name or
an ID number could be written in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from civic.catalog.model import Catalog
from civic.catalog.residents import Resident
from devices.idcard.card import IdCard
from kiosk.agent import AgentOutbox, QueueDashboard, WorklistBook
from offline_queue import State, credentials
from offline_queue.location import open_terminal_outbox
from offline_queue.sync import SyncEngine
from tests.kiosk.agent.conftest import (
    PIN,
    TIMEOUTS,
    Terminal,
    advance_cases,
    application,
    fillable,
    identity_of,
)

if TYPE_CHECKING:
    from central.platform import SandboxServer

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "gbk")


def plain_text_hits(data_dir: Path, secrets: list[str]) -> list[str]:
    hits = []
    for path in data_dir.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for secret in secrets:
            for encoding in ENCODINGS:
                if secret.encode(encoding) in data:
                    hits.append(f"{path.relative_to(data_dir)}: {encoding}")
    return hits


def secrets_of(residents: dict[str, Resident], refs: list[str]) -> list[str]:
    found = []
    for ref in refs:
        r = residents[ref]
        found += [r.name, r.id_number, r.id_number.lower(), r.id_number[6:14]]
        if r.address:
            found.append(r.address)
    return found


def test_agent_day_offline_then_sent_with_status(
        terminal: Terminal, sandbox: SandboxServer, id_cards: dict[str, IdCard],
        residents: dict[str, Resident], catalog: tuple[Catalog, str]) -> None:
    """Two applications queued offline reach the platform on return; status updates arrive,
    and no name, ID number or address was ever on disk in plain text."""
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    WorklistBook(terminal.platform, terminal.vault, auth).sync()
    auth.sign_out()

    terminal.line.down()                                       # out to the village
    auth = terminal.auth()
    assert not auth.sign_in(terminal.agent_number, PIN).online
    book = WorklistBook(terminal.platform, terminal.vault, auth)
    ref = next(iter(id_cards))
    identity = identity_of(id_cards[ref])
    resident = book.match(identity)
    assert resident is not None
    codes = fillable(catalog, [e.item_code for e in resident.eligible])
    assert len(codes) >= 1
    codes = (codes * 2)[:2]
    with open_terminal_outbox(terminal.data_dir) as outbox:
        queue = AgentOutbox(outbox, auth)
        ids = []
        for code in codes:
            built = application(catalog, code, identity)
            ids.append(queue.enqueue(built.body, built.blobs()))
        dashboard = QueueDashboard(outbox, auth)
        try:
            view = dashboard.view()
            assert [e.submission_id for e in view.pending] == ids
            assert view.held == 2                  # they wait for an online sign-in
            assert all(e.applicant_masked == residents[ref].name[0] + "*" *
                       (len(residents[ref].name) - 1) for e in view.pending)
            hits = plain_text_hits(terminal.data_dir, secrets_of(residents, [ref]))
            assert not hits, hits

            # Still offline: the sync runs, nothing is lost, dead or even tried.
            creds = credentials.load(terminal.data_dir)
            with SyncEngine(outbox, creds, request_headers=auth.request_headers,
                            **TIMEOUTS) as engine:
                assert engine.sync_once().held == 2
            assert outbox.stats()[State.DEAD] == 0
            assert [outbox.get(i)["attempts"] for i in ids] == [0, 0]

            terminal.line.up()                                 # back where there is signal
            assert dashboard.sync_now()
            assert dashboard.view().held == 0
            creds = credentials.load(terminal.data_dir)
            with SyncEngine(outbox, creds, request_headers=auth.request_headers,
                            **TIMEOUTS) as engine:
                report = engine.sync_once()
                assert (report.sent, report.held) == (2, 0), report
                advance_cases(sandbox, 2)
                engine.pull_changes()
                dashboard = QueueDashboard(outbox, auth, progress=engine.progress)
                view = dashboard.view()
            assert {e.submission_id for e in view.sent} == set(ids)
            for entry in view.sent:
                assert entry.case_number
                assert [u["status"] for u in entry.status_updates][:1] == ["received"]
                assert entry.platform_status not in (None, "received")
            assert view.progress.last_sync_at is not None
            with sandbox.platform.db.session() as conn:
                rows = conn.execute("SELECT agent_id, channel FROM submissions WHERE "
                                    "submission_id IN (?, ?)", ids).fetchall()
            assert {(r["agent_id"], r["channel"]) for r in rows} == {
                (auth.session().agent_id, "agent")}
            hits = plain_text_hits(terminal.data_dir, secrets_of(residents, [ref]))
            assert not hits, hits
        finally:
            dashboard.close()


def test_dead_item_shows_reasons_and_is_corrected(
        terminal: Terminal, id_cards: dict[str, IdCard], catalog: tuple[Catalog, str]) -> None:
    """A rejected application shows the platform's field messages; the corrected copy is sent
    and replaces it."""
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    book = WorklistBook(terminal.platform, terminal.vault, auth)
    book.sync()
    identity = identity_of(id_cards[next(iter(id_cards))])
    resident = book.match(identity)
    assert resident is not None
    code = fillable(catalog, [e.item_code for e in resident.eligible])[0]
    built = application(catalog, code, identity)
    broken = {**built.body, "form": {**built.body["form"], "__no_such_field__": "x"}}
    creds = credentials.load(terminal.data_dir)
    with open_terminal_outbox(terminal.data_dir) as outbox, SyncEngine(
            outbox, creds, request_headers=auth.request_headers, **TIMEOUTS) as engine:
        dead_id = AgentOutbox(outbox, auth).enqueue(broken, built.blobs())
        engine.sync_once()
        dashboard = QueueDashboard(outbox, auth)
        try:
            (dead,) = dashboard.view().dead
            assert dead.submission_id == dead_id and dead.reasons is not None
            assert dead.reasons["code"] == "validation"
            messages = next(iter(dead.reasons["fields"].values()))
            assert messages["zh"] and messages["en"]
            corrected = dashboard.correction(dead_id)
            corrected["form"].pop("__no_such_field__")
            new_id = dashboard.resend(dead_id, corrected)
            assert engine.sync_once().sent == 1
            view = dashboard.view()
            (sent,) = view.sent
            assert sent.submission_id == new_id and sent.replaces == dead_id
            assert view.dead == (), "the corrected item no longer waits for attention"
        finally:
            dashboard.close()


def test_the_scan_finds_plain_text(tmp_path: Path) -> None:
    """The scan itself is not blind: a name written in GBK or UTF-16 is found."""
    (tmp_path / "a").write_bytes("张建国".encode("gbk"))
    (tmp_path / "b").write_bytes("x330110194610230210".encode("utf-16-le"))
    hits = plain_text_hits(tmp_path, ["张建国", "330110194610230210"])
    assert "a: gbk" in hits and "b: utf-16-le" in hits
