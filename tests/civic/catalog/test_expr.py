"""The eligibility expression language: parsing, type checks, three-valued evaluation."""

from __future__ import annotations

import pytest

from civic.catalog import EligibilityOutcome
from civic.catalog.expr import check_types, parse, tokenize
from civic.catalog.verdict import evaluate
from civic.catalog.vocab import fact_kinds
from civic.errors import CivicError, RuleSyntaxError


def verdict(rule: str, **facts: object) -> tuple[EligibilityOutcome, tuple[str, ...]]:
    result = evaluate(parse(rule), facts)
    return result.outcome, result.missing


@pytest.mark.parametrize(("age", "outcome"), [(59, EligibilityOutcome.NOT_ELIGIBLE),
                                              (60, EligibilityOutcome.ELIGIBLE),
                                              (61, EligibilityOutcome.ELIGIBLE)])
def test_threshold_on_both_sides(age: int, outcome: EligibilityOutcome) -> None:
    """`age >= 60` is false at 59 and true at 60 and 61."""
    assert verdict("age >= 60", age=age)[0] == outcome


@pytest.mark.parametrize(("op", "expected"), [("<", [True, False, False]),
                                              ("<=", [True, True, False]),
                                              (">", [False, False, True]),
                                              ("==", [False, True, False]),
                                              ("!=", [True, False, True])])
def test_every_comparison_operator(op: str, expected: list[bool]) -> None:
    """Each comparison operator gives the right answer below, at and above the value."""
    results = [verdict(f"disability_grade {op} 2", disability_grade=g)[0]
               == EligibilityOutcome.ELIGIBLE for g in (1, 2, 3)]
    assert results == expected


def test_missing_fact_is_unknown_with_the_facts_to_ask() -> None:
    """A rule that reads an absent fact answers unknown and names the fact, never 'no'."""
    outcome, missing = verdict("age >= 60 and pension_years >= 15", age=65)
    assert outcome == EligibilityOutcome.UNKNOWN and missing == ("pension_years",)
    assert verdict("age >= 60 and hpf_balance > 0")[1] == ("age", "hpf_balance")


def test_kleene_logic_settles_what_it_can() -> None:
    """false-and-unknown is false, true-or-unknown is true, not-unknown stays unknown."""
    assert verdict("age >= 60 and pension_years >= 15", age=40)[0] \
        == EligibilityOutcome.NOT_ELIGIBLE
    assert verdict("age >= 60 or veteran", age=70)[0] == EligibilityOutcome.ELIGIBLE
    assert verdict("age >= 60 or veteran", age=30)[0] == EligibilityOutcome.UNKNOWN
    assert verdict("not veteran")[0] == EligibilityOutcome.UNKNOWN
    assert verdict("not veteran", veteran=False)[0] == EligibilityOutcome.ELIGIBLE


def test_in_lists_and_precedence() -> None:
    """`in`, `not in`, parentheses and 'and before or' behave as written."""
    rule = "disability_grade in [1, 2] or assistance_status not in ['none'] and age < 16"
    assert verdict(rule, disability_grade=2)[0] == EligibilityOutcome.ELIGIBLE
    assert verdict(rule, disability_grade=3, assistance_status="dibao", age=10)[0] == \
        EligibilityOutcome.ELIGIBLE
    assert verdict(rule, disability_grade=3, assistance_status="dibao", age=20)[0] == \
        EligibilityOutcome.NOT_ELIGIBLE
    assert verdict("(age > 1 or age < 0) and veteran", age=5, veteran=True)[0] == \
        EligibilityOutcome.ELIGIBLE


@pytest.mark.parametrize(("rule", "position"), [
    ("age >= ", 7), ("age >= 60 and", 13), ("(age > 3", 8), ("age >= 60 60", 10),
    ("age = 60", 4), ("", 0), ("age in [1, 2", 12), ("__import__('os').system('x')", 16),
    ("age >= 60; drop", 9), ("age >> 3", 5)])
def test_parse_errors_say_where(rule: str, position: int) -> None:
    """A rule that does not parse raises RuleSyntaxError with the offending position."""
    with pytest.raises(RuleSyntaxError) as caught:
        parse(rule)
    assert caught.value.position == position, str(caught.value)
    assert isinstance(caught.value, CivicError)     # the kiosk command: bad input, exit 1


def test_tokens_carry_positions() -> None:
    """The tokenizer keeps each token's text and offset (for error messages)."""
    tokens = tokenize("age>=60 and gender=='male'")
    assert [(t.kind, t.text, t.pos) for t in tokens][:4] == [
        ("name", "age", 0), ("op", ">=", 3), ("number", "60", 5), ("keyword", "and", 8)]
    assert tokens[-1].kind == "end"


@pytest.mark.parametrize(("rule", "complaint"), [
    ("shoe_size > 3", "unknown fact 'shoe_size'"),
    ("pension == 'rich'", "pension has no value 'rich'"),
    ("age > 'old'", "age is a number"),
    ("age", "age is not true/false"),
    ("veteran > 1", "veteran is true/false"),
    ("gender < 'male'", "only ==, != and in"),
    ("60", "on its own is not a condition"),
])
def test_type_checks_against_the_fact_vocabulary(rule: str, complaint: str) -> None:
    """Rules that parse but misuse facts are caught when the catalog is checked."""
    problems = check_types(parse(rule), fact_kinds())
    assert any(complaint in p for p in problems), problems


def test_well_typed_rule_has_no_problems() -> None:
    """A correct rule over known facts passes the type check."""
    rule = "age >= 60 and pension in ['resident_enrolled'] and not elderly_cert"
    assert check_types(parse(rule), fact_kinds()) == []
