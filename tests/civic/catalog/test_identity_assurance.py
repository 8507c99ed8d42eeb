"""An item's identity_assurance: read from the seeds, served, read back, and checked."""

from __future__ import annotations

import copy
import json

import pytest

from civic.catalog import Catalog, catalog_from_document
from civic.catalog.model import content_hash
from civic.catalog.vocab import IdentityAssurance
from civic.errors import CatalogInvalid

PENSION_CERTIFICATION = "11330110002503015G4007000015000"     # 养老保险待遇领取资格认证


@pytest.fixture(scope="module")
def document(catalog: Catalog) -> dict:
    return json.loads(json.dumps(catalog.to_document("2026-12-07T00:00:00+00:00"),
                                 ensure_ascii=False))


def test_the_pension_certification_needs_a_face_and_most_items_do_not(catalog: Catalog) -> None:
    """The proof-of-life certification says face; an item that says nothing is card."""
    assert catalog.get(PENSION_CERTIFICATION).identity_assurance is IdentityAssurance.FACE
    face = [i for i in catalog if i.identity_assurance is IdentityAssurance.FACE]
    assert 2 <= len(face) <= 12, [i.name.zh for i in face]
    assert sum(i.identity_assurance is IdentityAssurance.CARD for i in catalog) > 300


def test_the_served_document_carries_it_and_rebuilds_to_it(catalog: Catalog,
                                                            document: dict) -> None:
    """Every served item names its identity_assurance, and the terminal's rebuild from the
    document keeps it (and the version, which hashes it)."""
    assert {i["identity_assurance"] for i in document["items"]} == {"card", "face"}
    again = catalog_from_document(document)
    assert again.get(PENSION_CERTIFICATION).identity_assurance is IdentityAssurance.FACE
    assert content_hash(again.content()) == document["version"] == catalog.version


def test_a_document_from_before_the_field_reads_as_card(document: dict) -> None:
    """A catalog a terminal stored before identity_assurance existed still loads, each
    item at card (its version hashes the content as it was served)."""
    old = copy.deepcopy(document)
    for item in old["items"]:
        del item["identity_assurance"]
    old["version"] = content_hash({k: v for k, v in old.items()
                                   if k not in ("version", "generated_at")})
    again = catalog_from_document(old)
    assert again.get(PENSION_CERTIFICATION).identity_assurance is IdentityAssurance.CARD


@pytest.mark.parametrize("value", ["fingerprint", 1, ""])
def test_an_unknown_assurance_is_a_problem_naming_the_item(document: dict,
                                                           value: object) -> None:
    """A value outside the vocabulary is refused with the item's code and the allowed ones."""
    bad = copy.deepcopy(document)
    target = next(i for i in bad["items"] if i["code"] == PENSION_CERTIFICATION)
    target["identity_assurance"] = value
    bad["version"] = content_hash({k: v for k, v in bad.items()
                                   if k not in ("version", "generated_at")})
    with pytest.raises(CatalogInvalid) as caught:
        catalog_from_document(bad)
    messages = [str(p) for p in caught.value.problems]
    assert any(PENSION_CERTIFICATION in m and "identity_assurance must be one of card, face"
               in m for m in messages), messages
