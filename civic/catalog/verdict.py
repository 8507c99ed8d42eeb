"""What an eligibility rule says of a resident's facts: eligible, not eligible, or unknown
with the facts still to ask about.

Evaluation is three-valued (Kleene): a comparison that reads a fact the profile does not
hold is *unknown*, ``false and unknown`` is false, ``true or unknown`` is true, and an
unknown result lists the facts it is missing. The rule is a tree parsed by
:mod:`civic.catalog.expr`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from civic.catalog.expr import BoolOp, Compare, Fact, Literal, Member, Node, Not


class EligibilityOutcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"         # shown as "check with the resident"


@dataclass(frozen=True)
class Verdict:
    outcome: EligibilityOutcome
    missing: tuple[str, ...] = ()     # facts to ask about when the outcome is unknown


# A three-valued truth: True, False, or None with the facts that were missing.
_Tri = tuple[bool | None, frozenset[str]]
_NONE: frozenset[str] = frozenset()


def evaluate(node: Node, facts: Mapping[str, Any]) -> Verdict:
    value, missing = _eval(node, facts)
    if value is None:
        return Verdict(EligibilityOutcome.UNKNOWN, tuple(sorted(missing)))
    return Verdict(EligibilityOutcome.ELIGIBLE if value else EligibilityOutcome.NOT_ELIGIBLE)


def _eval(node: Node, facts: Mapping[str, Any]) -> _Tri:
    if isinstance(node, BoolOp):
        results = [_eval(n, facts) for n in node.operands]
        decisive = node.op == "or"        # the value that settles the whole expression
        if any(v is decisive for v, _ in results):
            return decisive, _NONE
        unknown = [m for v, m in results if v is None]
        if unknown:
            return None, frozenset().union(*unknown)
        return not decisive, _NONE
    if isinstance(node, Not):
        value, missing = _eval(node.operand, facts)
        return (None if value is None else not value), missing
    if isinstance(node, Member):
        actual = facts.get(node.fact.name)
        if actual is None:
            return None, frozenset({node.fact.name})
        return (actual in node.values) != node.negated, _NONE
    if isinstance(node, Compare):
        left, right = _operand(node.left, facts), _operand(node.right, facts)
        missing = frozenset(s.name for s, v in ((node.left, left), (node.right, right))
                            if isinstance(s, Fact) and v is None)
        if missing:
            return None, missing
        return _compare(node.op, left, right), _NONE
    if isinstance(node, Fact):
        actual = facts.get(node.name)
        return (None, frozenset({node.name})) if actual is None else (bool(actual), _NONE)
    return bool(node.value), _NONE


def _operand(side: Literal | Fact, facts: Mapping[str, Any]) -> Any:
    return facts.get(side.name) if isinstance(side, Fact) else side.value


def _compare(op: str, left: Any, right: Any) -> bool:
    if isinstance(left, int | float | Decimal) and isinstance(right, int | float | Decimal):
        left, right = Decimal(str(left)), Decimal(str(right))
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    try:
        return bool({"<": left < right, "<=": left <= right,
                     ">": left > right, ">=": left >= right}[op])
    except TypeError:
        return False
