"""The submission a face item becomes carries the identity check the flow hands in."""

from __future__ import annotations

import dataclasses
import datetime as dt

from civic.catalog import Catalog
from civic.catalog.vocab import IdentityAssurance
from civic.submission import (
    IdentityCheck,
    IdentityMethod,
    identity_check,
    shape_problems,
)
from kiosk.flows.submission import build_submission
from kiosk.identity import from_id_card
from tests.kiosk.flows.conftest import NOW
from tests.kiosk.flows.helpers import SIGNATURE_PNG

PENSION_CERTIFICATION = "11330110002503015G4007000015000"


def test_a_face_items_submission_carries_the_check(catalog: Catalog, id_cards) -> None:
    """build_submission writes the flow's IdentityCheck as the wire's identity_check, which
    passes the shared shape check and reads back equal; without one, none is written."""
    item = catalog.get(PENSION_CERTIFICATION)
    assert item.identity_assurance is IdentityAssurance.FACE
    check = IdentityCheck(IdentityMethod.PLATFORM_FACE, NOW - dt.timedelta(minutes=3),
                          "0193a1b2-0000-7000-8000-000000000001", 0.87)
    common = dict(item=item, catalog_version=catalog.version,
                  identity=from_id_card(id_cards["R001"], NOW.date()), values={},
                  signature_png=SIGNATURE_PNG, files={}, prefill_authorised=True, now=NOW)
    built = build_submission(**common, identity_check=check)
    assert shape_problems(built.body) == {}
    assert built.body["identity_check"]["method"] == "platform_face"
    assert identity_check(built.body) == dataclasses.replace(check, at=check.at.replace(
        microsecond=0))
    assert "identity_check" not in build_submission(**common).body
