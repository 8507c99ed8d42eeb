"""query_print forms read every shared value their A4 proof prints (civic.catalog.proofform)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from civic.catalog import (
    Catalog,
    FieldType,
    Mode,
    Resident,
    catalog_from_document,
    prefill_response,
)
from civic.catalog.forms import Field, Form, in_words
from civic.catalog.problems import Place, Problems
from civic.catalog.proofform import with_printed_fields
from civic.text import Text
from kiosk.catalog.load import check_catalog
from tests.kiosk.catalog.conftest import TODAY, edit

HPF_LOAN = "12330110002508019X4014000016000"      # prints hpf_balance, marital, property_count


def query_print_items(catalog: Catalog) -> list:
    return [i for i in catalog if i.mode == Mode.QUERY_PRINT]


def test_every_printed_shared_value_is_read_by_a_read_only_field(catalog: Catalog) -> None:
    """Each `shared:` print row has a form field prefilling from it, shown, never typed."""
    printed = 0
    for item in query_print_items(catalog):
        by_source = {f.prefill: f for f in item.form.fields if f.prefill}
        for pf in item.output.fields:
            if not pf.source.startswith("shared:"):
                continue
            printed += 1
            field = by_source.get(pf.source)
            assert field is not None, (item.code, pf.source)
            assert field.readonly and not field.required, (item.code, field.key)
    assert len(query_print_items(catalog)) == 29 and printed == 44


def test_added_fields_take_the_print_label_and_the_library_words(catalog: Catalog) -> None:
    """The loan pre-assessment form gains its three printed values, labelled as printed."""
    item = catalog.get(HPF_LOAN)
    added = {f.key: f for f in item.form.fields if f.block is None and f.readonly}
    assert {"hpf_balance", "marital", "property_count"} <= set(added)
    labels = {pf.source: pf.label for pf in item.output.fields}
    assert added["marital"].label == labels["shared:marital"]
    assert added["marital"].type == FieldType.CHOICE
    assert in_words("married", "en", added["marital"].choices) == "Married"
    assert added["hpf_balance"].type == FieldType.AMOUNT
    assert added["property_count"].type == FieldType.NUMBER and added["property_count"].integer
    # before the declarations and delivery blocks, like every other own field
    keys = item.form.keys
    assert keys.index("property_count") > keys.index("copies")


def test_every_resident_s_prefill_of_the_proof_fields_validates(
        catalog: Catalog, residents: dict[str, Resident]) -> None:
    """Whatever the platform holds, a read-only proof field never blocks the citizen."""
    filled = 0
    for item in query_print_items(catalog):
        added = {f.key for f in item.form.fields if f.readonly and f.block is None}
        for resident in residents.values():
            answer = prefill_response(item, resident.card_fields(), resident.shared_data())
            errors = item.form.validate(answer["fields"], today=TODAY)
            assert not set(errors) & added, (item.code, resident.ref, errors)
            filled += len(set(answer["fields"]) & added)
    assert filled > 200


def test_a_served_catalog_keeps_the_fields_and_adds_none(catalog: Catalog) -> None:
    """The document carries the added fields; rebuilding it gives the same forms and version."""
    doc = catalog.to_document("2026-11-22T00:00:00+00:00")
    served = next(i for i in doc["items"] if i["code"] == HPF_LOAN)
    assert {"hpf_balance", "marital"} <= {f["key"] for f in served["form"]["fields"]}
    again = catalog_from_document(doc)
    assert again.version == catalog.version
    for item in query_print_items(catalog):
        assert again.get(item.code).form == item.form


def test_a_key_already_taken_is_not_reused(catalog: Catalog) -> None:
    """A form field keyed like the shared key but reading nothing keeps its key."""
    own = Field("hpf_balance", Text("备注", "Note"), FieldType.TEXT)
    form = Form((own,))
    problems = Problems()
    out = with_printed_fields(form, [("shared:hpf_balance", Text("余额", "Balance"))],
                              catalog.form_parts, Place(problems, "test"))
    assert [f.key for f in out.fields] == ["hpf_balance", "shared_hpf_balance"]
    assert out.fields[1].prefill == "shared:hpf_balance" and not problems


def test_without_a_library_field_the_key_s_kind_gives_the_type(catalog: Catalog) -> None:
    """No template: a count is a whole number, a flag yes/no; an enumeration is a problem."""
    parts = dataclasses.replace(catalog.form_parts, library={})
    problems = Problems()
    out = with_printed_fields(Form(()), [("shared:vehicle_count", Text("车辆", "Vehicles")),
                                         ("shared:veteran", Text("退役", "Veteran")),
                                         ("shared:education", Text("学历", "Education"))],
                              parts, Place(problems, "test"))
    assert [(f.key, f.type, f.integer) for f in out.fields] == [
        ("vehicle_count", FieldType.NUMBER, True), ("veteran", FieldType.YES_NO, False)]
    assert len(problems) == 1 and "shared:education" in problems.items[0].message


def test_check_names_a_printed_enumeration_without_words(seeds_copy: Path) -> None:
    """Deleting the library field that words ssc_status is reported for the item printing it."""
    blocks = seeds_copy / "catalog/blocks.toml"
    edit(blocks, '[fields.ssc_status]', '[fields.ssc_status_unused]')
    edit(blocks, 'prefill = "shared:ssc_status"', '')
    messages = [str(p) for p in check_catalog(seeds_copy)]
    assert any("prints shared:ssc_status" in m and "hrss.toml" in m for m in messages)


def test_values_in_words_in_both_languages() -> None:
    """Yes/no and lists are words on the form (en, zh) and on the proof (zh)."""
    assert (in_words(True, "zh"), in_words(False, "en")) == ("是", "No")
    assert in_words(["a", "b"], "en") == "a, b" and in_words(["a", "b"], "zh") == "a、b"
    assert in_words(None, "zh") == "" and in_words(0, "zh") == "0"
