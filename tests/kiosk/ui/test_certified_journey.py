"""A query-and-print journey through the real widgets, the emulated ID-card reader and
receipt printer, and the real sandbox: the certified record is fetched in the card session,
verified, printed on the slip (rows, id, verification code, a QR of its verify URL) and on
the A4 proof, and the printed QR opens the sandbox's verify answer for that very record. A
record changed after signing (the sandbox's ``tamper_records`` fault) is refused and
nothing is printed."""

from __future__ import annotations

import httpx

from kiosk.app.citizen import KioskApp
from kiosk.demo import Demo
from kiosk.flows import PrintState, Step
from tests.kiosk.flows.conftest import INSURANCE_PROOF
from tests.kiosk.ui import test_journeys as journeys
from tests.kiosk.ui.driver import current, role, tap, texts
from tests.kiosk.ui.residue import residue
from tests.kiosk.ui.test_journeys import WAIT, at, identify, through_form

# The journeys' own wiring (demo platform and devices, the kiosk app), one demo per module.
demo = journeys.demo
kiosk = journeys.kiosk

SECRETS = ["张建国", "330110194610230210"]


def _to_proof(qtbot, demo: Demo, app: KioskApp) -> None:
    identify(qtbot, demo, app)
    through_form(qtbot, app, INSURANCE_PROOF, "参保证明")
    tap(qtbot, role(app.window, "next"))
    at(qtbot, app.flow, Step.PROOF)
    qtbot.waitUntil(lambda: app.flow.print_state in (PrintState.IDLE, PrintState.FAILED),
                    timeout=WAIT)


def test_a_verified_record_is_printed_and_its_qr_verifies(qtbot, demo, kiosk) -> None:
    """The slip carries the record's rows, id and code; its QR opens /v1/verify on the
    sandbox, whose answer matches the record; the A4 proof is written; then the wipe leaves
    no record behind."""
    slips, proofs = len(demo.decoded_slips), len(list((demo.root / "a4").glob("proof-*.pdf")))
    flow = kiosk.flow
    _to_proof(qtbot, demo, kiosk)
    record = flow.record
    assert record is not None and flow.proof_pages, flow.notice
    tap(qtbot, role(kiosk.window, "print"))
    qtbot.waitUntil(lambda: flow.print_state is PrintState.PRINTED, timeout=WAIT)
    qtbot.waitUntil(lambda: len(demo.decoded_slips) == slips + 1, timeout=WAIT)
    slip = demo.decoded_slips[-1]
    printed = "".join(line.replace(" ", "") for line in slip.lines)
    for row in record.rows:
        assert row.value.replace(" ", "") in printed, row.label.en
    assert record.record_id in printed and record.verification_code in printed
    assert "张**" in printed and not any(s in printed for s in SECRETS)
    assert [q.data for q in slip.qr_codes] == [record.verify_url]

    answer = httpx.get(slip.qr_codes[0].data, timeout=10)       # as a phone would, no auth
    assert answer.status_code == 200
    doc = answer.json()
    assert doc["valid"] is True and doc["title"] == record.title.as_dict()
    assert doc["issued_at"] == record.document()["issued_at"]
    assert doc["valid_until"] == record.document()["valid_until"]
    assert doc["holder_masked"].startswith("张*") and "张建国" not in answer.text
    assert len(list((demo.root / "a4").glob("proof-*.pdf"))) == proofs + 1

    demo.remove_id_card()
    tap(qtbot, role(kiosk.window, "done"))
    at(qtbot, flow, Step.ATTRACT)
    assert flow.record is None
    marks = [record.record_id, record.verification_code]
    del record
    assert residue([*SECRETS, *marks], flow, kiosk.keyboard) == []


def test_a_tampered_record_is_refused_and_nothing_is_printed(qtbot, demo, kiosk) -> None:
    """A record whose row changed after signing: the screen says it failed its authenticity
    check and where to go; no slip, no A4 proof, and the print button stays off."""
    slips, proofs = len(demo.decoded_slips), len(list((demo.root / "a4").glob("proof-*.pdf")))
    httpx.patch(f"{demo.sandbox.url}/v1/_sandbox/faults", json={"tamper_records": True},
                timeout=5).raise_for_status()
    try:
        flow = kiosk.flow
        _to_proof(qtbot, demo, kiosk)
        assert flow.print_state is PrintState.FAILED and flow.record is None
        assert not flow.proof_pages
        shown = texts(current(kiosk.window))
        assert "未通过真伪核验" in shown and "服务窗口" in shown
        assert not current(kiosk.window).print_button.isVisible()
        flow.print_proof()                        # even asked directly: nothing to print
    finally:
        httpx.put(f"{demo.sandbox.url}/v1/_sandbox/faults", json={}, timeout=5)
    assert len(demo.decoded_slips) == slips
    assert len(list((demo.root / "a4").glob("proof-*.pdf"))) == proofs


def test_offline_the_screen_shows_what_it_could_and_prints_nothing(qtbot, demo, kiosk
                                                                   ) -> None:
    """No platform: no session, no record; the screen says it cannot certify now."""
    slips = len(demo.decoded_slips)
    demo.cut_network(True)
    flow = kiosk.flow
    _to_proof(qtbot, demo, kiosk)
    assert flow.print_state is PrintState.FAILED and flow.record is None
    assert "无法出具" in texts(current(kiosk.window))
    assert len(demo.decoded_slips) == slips
