"""What the platform's answers to a prefill become for the flow, against the real sandbox:
shared data, nothing held, a read outside its card session, a refused terminal, a platform
that does not answer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from civic.pii import Personal
from kiosk.flows import PrefillOutcome
from kiosk.flows.services import fetch_prefill
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings
from tests.offline_queue.conftest import TIMEOUTS, apply_item, enrolled, faults, session_for

if TYPE_CHECKING:
    from central.platform import SandboxServer


def test_each_answer_is_one_outcome(sandbox: SandboxServer, data_dir: Path) -> None:
    """200 is OK with the fields, 404 NOT_FOUND, 5xx and 429 OFFLINE, a read outside the
    session NO_SESSION, a revoked token REFUSED."""
    from central import admin

    creds = enrolled(sandbox, data_dir)
    item = apply_item(sandbox)
    known = Personal(sandbox.platform.catalog.residents[0].id_number, "id_number")
    stranger = Personal("110105194912310000", "id_number")
    with PlatformClient.build(creds, ClientSettings(**TIMEOUTS)) as client:
        found = fetch_prefill(client, known, item, session_for(client, known))
        assert found.outcome is PrefillOutcome.OK and found.fields
        unknown = fetch_prefill(client, stranger, item, session_for(client, stranger))
        assert unknown.outcome is PrefillOutcome.NOT_FOUND and not unknown.fields
        session_id = session_for(client, known)
        try:
            for plan in ({"error_503": 1.0}, {"error_429": 1.0}, {"drop_before": 1.0}):
                faults(sandbox, routes=["/v1/residents/{id_number}/prefill"], **plan)
                outcome = fetch_prefill(client, known, item, session_id).outcome
                assert outcome is PrefillOutcome.OFFLINE, plan
        finally:
            faults(sandbox)
        assert fetch_prefill(client, known, "", session_id).outcome is PrefillOutcome.ERROR
        # the session names the resident the card belongs to, no one else
        assert fetch_prefill(client, stranger, item, session_id).outcome \
            is PrefillOutcome.NO_SESSION
        admin.revoke(sandbox.platform.settings.data_dir, creds.device_id)
        assert fetch_prefill(client, known, item, session_id).outcome is PrefillOutcome.REFUSED
