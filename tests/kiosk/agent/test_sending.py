"""Agent submissions through the outbox against the real sandbox: held while the agent has
no platform session, sent once there is one, never made dead by a lapsed session; the sync
button sends items in back-off at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from civic.catalog.model import Catalog
from devices.idcard.card import IdCard
from kiosk.agent import AgentAuth, AgentOutbox, QueueDashboard, WorklistBook
from kiosk.flows.submission import BuiltSubmission
from offline_queue import State, credentials
from offline_queue.location import open_terminal_outbox
from offline_queue.retry import RetryPolicy
from offline_queue.sync import SyncEngine
from offline_queue.worker import SyncWorker
from tests.kiosk.agent.conftest import (
    PIN,
    TIMEOUTS,
    Terminal,
    application,
    fillable,
    identity_of,
    new_agent,
)

if TYPE_CHECKING:
    from central.platform import SandboxServer


def visit(terminal: Terminal, auth: AgentAuth, id_cards: dict[str, IdCard],
          catalog: tuple[Catalog, str]) -> BuiltSubmission:
    """An application for the first resident of the work list (the agent is online)."""
    book = WorklistBook(terminal.platform, terminal.vault, auth)
    book.sync()
    identity = identity_of(id_cards[next(iter(id_cards))])
    resident = book.match(identity)
    assert resident is not None
    code = fillable(catalog, [e.item_code for e in resident.eligible])[0]
    return application(catalog, code, identity)


def until(condition: Callable[[], bool], what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_online_sign_in_wakes_the_worker_to_send_what_was_held(
        terminal: Terminal, id_cards: dict[str, IdCard], catalog: tuple[Catalog, str]) -> None:
    """Items queued under an offline sign-in are held by the running worker (not tried, no
    probing); the online sign-in when signal returns wakes it and they are sent."""
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    built = visit(terminal, auth, id_cards, catalog)
    terminal.line.down()
    assert not auth.sign_in(terminal.agent_number, PIN).online
    with open_terminal_outbox(terminal.data_dir) as outbox, SyncEngine(
            outbox, terminal.creds, request_headers=auth.request_headers,
            **TIMEOUTS) as engine, SyncWorker(engine, interval_s=3600) as worker:
        remove = auth.add_online_listener(worker.trigger)
        try:
            sid = AgentOutbox(outbox, auth).enqueue(built.body, built.blobs())
            until(lambda: worker.last_report is not None and worker.last_report.held == 1,
                  "the worker holds the item")
            assert worker.last_report is not None and worker.last_report.stopped is None
            assert outbox.get(sid)["attempts"] == 0
            terminal.line.up()
            assert auth.renew_token()                 # what the sync button does
            until(lambda: outbox.get(sid)["state"] == State.SENT, "sent after sign-in")
            assert outbox.get(sid)["case_number"]
        finally:
            remove()


def test_a_lapsed_session_holds_items_instead_of_killing_them(
        terminal: Terminal, sandbox: SandboxServer, id_cards: dict[str, IdCard],
        catalog: tuple[Catalog, str]) -> None:
    """When the platform no longer knows the agent's token (403 agent_token_invalid), the
    items wait, the dashboard shows the agent offline, and the sync button signs in again
    and sends them."""
    from central.db import write

    auth = terminal.auth()
    agent_id = auth.sign_in(terminal.agent_number, PIN).agent_id
    built = visit(terminal, auth, id_cards, catalog)
    with sandbox.platform.db.session() as conn, write(conn):   # 12 hours later...
        conn.execute("UPDATE agent_tokens SET expires_at = '2000-01-01T00:00:00Z' "
                     "WHERE agent_id = ?", (agent_id,))
    with open_terminal_outbox(terminal.data_dir) as outbox, SyncEngine(
            outbox, terminal.creds, request_headers=auth.request_headers,
            **TIMEOUTS) as engine:
        queue = AgentOutbox(outbox, auth)
        ids = [queue.enqueue({**built.body, "submission_id": None}, built.blobs())
               for _ in range(2)]
        dashboard = QueueDashboard(outbox, auth, trigger=lambda: None)
        try:
            report = engine.sync_once()
            assert (report.sent, report.dead, report.held) == (0, 0, 2), report
            assert not auth.session().online          # the dashboard dropped the token
            view = dashboard.view()
            assert view.held == 2 and view.dead == ()
            assert all(outbox.get(i)["attempts"] == 0 for i in ids)
            assert dashboard.sync_now()               # a fresh sign-in with the PIN held
            assert engine.sync_once().sent == 2
        finally:
            dashboard.close()


def test_sync_now_sends_items_waiting_out_a_back_off(
        terminal: Terminal, id_cards: dict[str, IdCard], catalog: tuple[Catalog, str]) -> None:
    """Items that failed while the line was down are sent as soon as the agent presses
    sync with signal back, not after each item's back-off."""
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    built = visit(terminal, auth, id_cards, catalog)
    with open_terminal_outbox(terminal.data_dir) as outbox:
        sid = AgentOutbox(outbox, auth).enqueue(built.body, built.blobs())
        terminal.line.down()
        with SyncEngine(outbox, credentials.load(terminal.data_dir),
                        request_headers=auth.request_headers, rand=lambda: 0.5,
                        policy=RetryPolicy(base_s=600, cap_s=600), **TIMEOUTS) as engine:
            assert engine.sync_once().stopped == "offline"
        item = outbox.get(sid)
        assert item["state"] == State.RETRY_WAIT and item["attempts"] == 1
        terminal.line.up()
        woken: list[bool] = []
        dashboard = QueueDashboard(outbox, auth, trigger=lambda: woken.append(True))
        try:
            with SyncEngine(outbox, terminal.creds, request_headers=auth.request_headers,
                            **TIMEOUTS) as engine:
                assert engine.sync_once().sent == 0      # five minutes of back-off left
                assert dashboard.sync_now() and woken == [True]
                assert engine.sync_once().sent == 1
        finally:
            dashboard.close()


def test_another_agents_items_are_held_and_hidden(
        terminal: Terminal, sandbox: SandboxServer, id_cards: dict[str, IdCard],
        catalog: tuple[Catalog, str]) -> None:
    """On a shared laptop, agent A's items wait while agent B is signed in (never sent
    under B's session, so never refused as agent_mismatch) and B does not see them."""
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    built = visit(terminal, auth, id_cards, catalog)
    with open_terminal_outbox(terminal.data_dir) as outbox, SyncEngine(
            outbox, terminal.creds, request_headers=auth.request_headers,
            **TIMEOUTS) as engine:
        sid = AgentOutbox(outbox, auth).enqueue(built.body, built.blobs())
        auth.sign_out()
        auth.sign_in(new_agent(sandbox), PIN)         # agent B, online
        dashboard = QueueDashboard(outbox, auth)
        try:
            report = engine.sync_once()
            assert (report.sent, report.dead, report.held) == (0, 0, 1)
            assert dashboard.view().pending == ()
        finally:
            dashboard.close()
        auth.sign_out()
        auth.sign_in(terminal.agent_number, PIN)      # agent A again
        assert engine.sync_once().sent == 1
        assert outbox.get(sid)["state"] == State.SENT
