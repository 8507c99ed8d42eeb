"""The submit path against the real sandbox platform: queued once, case number on receipt."""

from __future__ import annotations

from pathlib import Path

import httpx

from civic.identity import IdentifiedBy
from kiosk.flows import PrefillOutcome, Step
from kiosk.flows.services import SessionRequest, fetch_prefill, open_card_session
from offline_queue import State, credentials
from offline_queue.sync import SyncEngine
from tests.kiosk.flows.conftest import PENSION
from tests.kiosk.flows.helpers import SIGNATURE_PNG, fill_remaining


def enrol(sandbox: object, data_dir: Path) -> credentials.Credentials:
    from central import admin

    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "kiosk")  # type: ignore[attr-defined]
    return credentials.enroll(data_dir, sandbox.url, code, "kiosk", hostname="t",  # type: ignore[attr-defined]
                              app_version="0.1.0", site={"region_code": "330110", "name": "t"})


def test_prefill_then_submit_online(sandbox, flow, id_cards, outbox, data_dir) -> None:
    """Shared data comes from the platform's prefill endpoint; the sync engine delivers the
    queued submission once and its case number reaches the receipt."""
    creds = enrol(sandbox, data_dir)
    client = httpx.Client(base_url=creds.platform_url, timeout=5,
                          headers={"Authorization": f"Bearer {creds.token}"})
    card = id_cards["R001"]
    with client:
        opened = open_card_session(client, SessionRequest(
            flow_identity_number(id_cards), IdentifiedBy.ID_CARD, card.text_sha256))
        assert opened.outcome is PrefillOutcome.OK and opened.session_id
        answer = fetch_prefill(client, flow_identity_number(id_cards), PENSION,
                               opened.session_id)
    assert answer.outcome is PrefillOutcome.OK and answer.fields["phone"] == "13805710000"
    flow.prefill_client.answer = answer  # the fixture's held prefill hands over the real answer
    flow.card_placed(id_cards["R001"])
    flow.choose(PENSION)
    flow.start_item()
    flow.give_consent(True)
    assert flow.prefilled.get("phone") == "shared"
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    remove = outbox.add_listener(flow.outbox_event)  # the bridge does this across threads
    try:
        with SyncEngine(outbox, creds, connect_timeout_s=5, read_timeout_s=15) as engine:
            report = engine.sync_once()
    finally:
        remove()
    assert report.sent == 1 and report.dead == 0, report
    assert flow.step is Step.RECEIPT and flow.case_number
    assert outbox.get(flow.submission_id)["state"] == State.SENT
    counters = httpx.get(f"{sandbox.url}/v1/_sandbox/counters").json()
    assert counters["events"]["submissions_created"] >= 1


def flow_identity_number(id_cards):
    from civic.pii import Personal

    return Personal(id_cards["R001"].id_number, "id_number")
