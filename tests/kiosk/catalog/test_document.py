"""The served catalog document: stable version, round trip, damaged downloads rejected."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from civic.catalog import Catalog, catalog_from_document
from civic.catalog.model import content_hash
from civic.errors import CatalogInvalid
from kiosk.catalog.load import load_catalog
from kiosk.catalog.search import SearchIndex
from seeds import seeds_dir


@pytest.fixture(scope="module")
def document(catalog: Catalog) -> dict:
    return json.loads(json.dumps(catalog.to_document("2026-11-22T00:00:00+00:00"),
                                 ensure_ascii=False))


def test_item_carries_what_the_platform_api_requires(document: dict) -> None:
    """Each served item has the fields platform-api.md lists for an Item."""
    required = {"code", "name", "department", "item_type", "life_events", "mode",
                "visits_required", "promised_days", "fee", "materials", "form", "eligibility"}
    for item in document["items"]:
        assert required <= set(item), item["code"]
        assert set(item["name"]) == {"zh", "en"}
        assert item["visits_required"] in (0, 1)
        assert all({"name", "exempt_via_shared_data"} <= set(m) for m in item["materials"])
    assert {"version", "generated_at", "items"} <= set(document)
    assert len(json.dumps(document, ensure_ascii=False).encode()) < 1024 * 1024


def test_round_trip_gives_the_same_catalog(catalog: Catalog, document: dict) -> None:
    """A served document rebuilds, with the search index handed in, to a catalog with the
    same version, items, forms and search answers."""
    again = catalog_from_document(document, SearchIndex)
    assert again.version == catalog.version == document["version"]
    # Nothing lost in the rebuild: the rebuilt catalog's own content hashes to the version
    # the terminal checked on the document as it arrived.
    assert content_hash(again.content()) == document["version"]
    item = catalog.items[0]
    assert again.get(item.code).form == item.form
    assert again.search("gjj", 3)[0].item.code == catalog.search("gjj", 3)[0].item.code


def test_a_catalog_without_an_index_cannot_search(document: dict) -> None:
    """A catalog built with no index (as the sandbox builds it) serves everything but
    search, which says it has no index rather than answering nothing."""
    bare = catalog_from_document(document)
    assert len(bare) == len(document["items"])
    with pytest.raises(RuntimeError, match="without a search index"):
        bare.search("gjj")


def test_same_seeds_same_version(catalog: Catalog) -> None:
    """Loading the same seeds again gives the same content-hash version."""
    assert load_catalog(seeds_dir()).version == catalog.version


def test_changed_seed_changes_the_version(seeds_copy: Path, catalog: Catalog) -> None:
    """Editing one item's text gives a different version."""
    path = seeds_copy / "catalog/items/tax.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Tax payment", "Tax paid", 1),
                    encoding="utf-8")
    assert load_catalog(seeds_copy).version != catalog.version


def test_altered_document_is_rejected(document: dict) -> None:
    """A document whose content does not hash to its version is refused."""
    altered = copy.deepcopy(document)
    altered["items"][0]["promised_days"] += 1
    with pytest.raises(CatalogInvalid, match="does not match its version"):
        catalog_from_document(altered)


def test_invalid_document_names_the_item(document: dict) -> None:
    """A document with a broken item is refused, naming the item and the problem."""
    broken = copy.deepcopy(document)
    broken["items"][3]["form"]["fields"][0]["type"] = "hologram"
    broken["items"][5]["name"] = {"zh": "某事项"}
    with pytest.raises(CatalogInvalid) as caught:
        catalog_from_document(broken)
    text = str(caught.value)
    assert broken["items"][3]["code"] in text and "unknown field type 'hologram'" in text
    assert broken["items"][5]["code"] in text and "missing English text" in text
    with pytest.raises(CatalogInvalid, match="not a catalog document"):
        catalog_from_document({"items": "none"})


def test_a_bad_field_repeated_in_many_items_is_named_in_each(document: dict) -> None:
    """Fields read once are shared between the items that repeat them (a province's forms
    do); a bad one is still reported in every item that carries it, and a good copy of the
    same field elsewhere does not hide it."""
    broken = copy.deepcopy(document)
    with_fields = [item for item in broken["items"] if item["form"].get("fields")]
    bad = dict(with_fields[0]["form"]["fields"][0], pattern="([unclosed")
    for item in with_fields[1:4]:
        item["form"]["fields"].append(dict(bad, key="repeated_bad"))
    with pytest.raises(CatalogInvalid) as caught:
        catalog_from_document(broken)
    named = {p.item for p in caught.value.problems if "pattern does not compile" in p.message}
    assert named == {item["code"] for item in with_fields[1:4]}
