"""`kiosk catalog check` and `stats`, and broken catalogs named by file and item."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from civic.errors import CatalogInvalid
from kiosk.catalog.load import check_catalog, load_catalog
from tests.conftest import run_kiosk
from tests.kiosk.catalog.conftest import edit

HRSS = "catalog/items/hrss.toml"


def first_code(path: Path) -> str:
    match = re.search(r'^code = "([0-9A-Z]{31})"', path.read_text(encoding="utf-8"), re.M)
    assert match
    return match.group(1)


def test_check_passes_on_the_seeds() -> None:
    """`kiosk catalog check` on the project's seeds exits 0 and says so."""
    proc = run_kiosk("catalog", "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "catalog ok" in proc.stdout


def test_stats_json_counts_items_departments_life_events_and_modes() -> None:
    """`kiosk catalog stats --json` prints one object with the catalog's size."""
    proc = run_kiosk("catalog", "stats", "--json")
    assert proc.returncode == 0, proc.stderr
    stats = json.loads(proc.stdout)
    assert stats["items"] >= 300 and stats["departments"] >= 12 and stats["life_events"] >= 8
    assert sum(stats["modes"].values()) == stats["items"]
    assert set(stats["modes"]) == {"apply", "query_print", "agent_only"}
    assert stats["version"].startswith("sha256:")


def test_check_names_every_problem_with_file_and_item(seeds_copy: Path) -> None:
    """Five kinds of breakage in one catalog are all reported, each with its file and item."""
    hrss = seeds_copy / HRSS
    code = first_code(hrss)
    # 1. a duplicate code: the second item of hrss.toml takes the first one's code
    codes = re.findall(r'^code = "([0-9A-Z]{31})"', hrss.read_text(encoding="utf-8"), re.M)
    edit(hrss, f'code = "{codes[1]}"', f'code = "{code}"')
    # 2. an unknown field type, 3. a prefill source that does not exist
    edit(hrss, 'type = "choice"', 'type = "colour"')
    edit(hrss, 'prefill = "shared:', 'prefill = "shared:shoe_size_', 1)
    # 4. an eligibility rule that does not parse
    edit(hrss, 'rule = "age >= 16 and age < 60', 'rule = "age >= and age < 60')
    # 5. a missing translation
    edit(seeds_copy / "catalog/items/civil_affairs.toml",
         'en = "Minimum living guarantee (dibao) application"', 'en = ""')
    proc = run_kiosk("catalog", "check", str(seeds_copy))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert "Traceback" not in proc.stderr and "problem(s)" in proc.stderr

    def reported(*words: str) -> list[str]:
        return [line for line in lines if all(w in line for w in words)]

    assert reported("hrss.toml", code, "duplicate item code")
    assert reported("hrss.toml", "unknown field type 'colour'")
    assert reported("hrss.toml", "unknown shared-data key 'shoe_size_")
    assert reported("hrss.toml", "rule does not parse", "position")
    assert reported("civil_affairs.toml", "item 11", "missing English text (en)")


def test_unknown_block_library_field_and_choice_list_are_named(seeds_copy: Path) -> None:
    """References to shared form parts that do not exist are problems, not silent gaps."""
    hrss = seeds_copy / HRSS
    edit(hrss, 'blocks = ["applicant",', 'blocks = ["aplicant",')
    edit(hrss, 'library = ["', 'library = ["no_such_field", "')
    edit(seeds_copy / "catalog/blocks.toml", 'choices = "bank"', 'choices = "banks"')
    messages = [str(p) for p in check_catalog(seeds_copy)]
    assert any("unknown block 'aplicant'" in m and "hrss.toml" in m for m in messages)
    assert any("unknown library field 'no_such_field'" in m for m in messages)
    assert any("unknown choice list 'banks'" in m and "blocks.toml" in m for m in messages)


def test_rule_with_unknown_fact_and_wrong_value_is_rejected(seeds_copy: Path) -> None:
    """A rule that parses but names an unknown fact or enum value is still a problem."""
    hrss = seeds_copy / HRSS
    edit(hrss, "pension == 'none' and", "pension == 'nothing' and shoe_size > 3 and")
    problems = check_catalog(seeds_copy)
    messages = [str(p) for p in problems]
    assert any("pension has no value 'nothing'" in m for m in messages)
    assert any("unknown fact 'shoe_size'" in m for m in messages)


def test_code_must_match_its_departments_uscc(seeds_copy: Path) -> None:
    """An item code whose USCC is not its department's, or whose check digit is off, is named."""
    hrss = seeds_copy / HRSS
    code = first_code(hrss)
    edit(hrss, f'code = "{code}"', f'code = "{code[:17]}Z{code[18:]}"')
    edit(seeds_copy / "catalog/catalog.toml", 'uscc = "11330110002501', 'uscc = "11330110002599', 1)
    messages = [str(p) for p in check_catalog(seeds_copy)]
    assert any("department's USCC" in m and "hrss.toml" in m for m in messages)
    assert any("catalog.toml" in m and "check character" in m for m in messages)


def test_toml_syntax_error_names_the_file(seeds_copy: Path) -> None:
    """A file that is not TOML is reported with its name and the parser's position."""
    (seeds_copy / "catalog/items/tax.toml").write_text("department = \n", encoding="utf-8")
    messages = [str(p) for p in check_catalog(seeds_copy)]
    assert any("tax.toml" in m and "not valid TOML" in m for m in messages)


def test_load_catalog_raises_with_every_problem(seeds_copy: Path) -> None:
    """load_catalog refuses a broken catalog and its error carries all the problems; a
    command that loads it (``catalog stats``) says so and exits 1, bad input."""
    hrss = seeds_copy / HRSS
    edit(hrss, 'mode = "apply"', 'mode = "fax"')
    edit(hrss, 'type = "date"', 'type = "datetime"')
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(seeds_copy)
    assert len(caught.value.problems) >= 2
    assert "mode must be one of" in str(caught.value)
    proc = run_kiosk("catalog", "stats", str(seeds_copy))
    assert proc.returncode == 1
    assert "mode must be one of" in proc.stderr and "Traceback" not in proc.stderr


def test_broken_residents_file_fails_the_check(seeds_copy: Path) -> None:
    """The check also reads seeds/residents.toml and names a bad profile value."""
    edit(seeds_copy / "residents.toml", 'marital = "widowed"', 'marital = "complicated"')
    proc = run_kiosk("catalog", "check", "--json", str(seeds_copy))
    assert proc.returncode == 1
    result = json.loads(proc.stdout)
    assert not result["ok"]
    assert any(p["item"] == "R004" and "complicated" in p["message"]
               for p in result["problems"])
