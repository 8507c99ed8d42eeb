"""A small, safe expression language for eligibility rules: tokenizer, parser, type check
(evaluating a parsed rule is :mod:`civic.catalog.verdict`).

Grammar (``not``, ``and``, ``or`` bind in that order; comparisons do not chain)::

    expr    := and_ ("or" and_)*
    and_    := not_ ("and" not_)*
    not_    := "not" not_ | compare
    compare := operand (("=="|"!="|"<"|"<="|">"|">=") operand | ["not"] "in" list)?
    operand := NAME | NUMBER | STRING | "true" | "false" | "(" expr ")"
    list    := "[" [literal ("," literal)*] "]"

Example: ``age >= 60 and pension == "resident_enrolled" and not disability_grade in [1, 2]``.

Nothing is ever passed to ``eval``: a rule is parsed into the small tree of nodes below.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from civic.catalog.vocab import SharedKey
from civic.errors import RuleSyntaxError

Scalar = int | Decimal | str | bool

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<string>"[^"\\]*"|'[^'\\]*')
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


@dataclass(frozen=True)
class Token:
    kind: str    # number, string, op, name, keyword, end
    text: str
    pos: int


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise RuleSyntaxError(source, pos, f"unexpected character {source[pos]!r}")
        kind = match.lastgroup or ""
        if kind != "ws":
            text = match.group()
            if kind == "name" and text in _KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, text, pos))
        pos = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# --- the syntax tree -------------------------------------------------------------------

@dataclass(frozen=True)
class Literal:
    value: Scalar


@dataclass(frozen=True)
class Fact:
    name: str
    pos: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: Literal | Fact
    right: Literal | Fact


@dataclass(frozen=True)
class Member:
    fact: Fact
    values: tuple[Scalar, ...]
    negated: bool


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str                 # "and" | "or"
    operands: tuple[Node, ...]


Node = Literal | Fact | Compare | Member | Not | BoolOp


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, token: Token, reason: str) -> RuleSyntaxError:
        return RuleSyntaxError(self.source, token.pos, reason)

    def expect(self, text: str) -> Token:
        token = self.take()
        if token.text != text or token.kind == "string":
            found = token.text or "end of rule"
            raise self.fail(token, f"expected {text!r}, found {found!r}")
        return token

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.fail(self.peek(), "empty rule")
        node = self.or_()
        if self.peek().kind != "end":
            raise self.fail(self.peek(), f"unexpected {self.peek().text!r}")
        return node

    def or_(self) -> Node:
        nodes = [self.and_()]
        while self.peek().kind == "keyword" and self.peek().text == "or":
            self.take()
            nodes.append(self.and_())
        return nodes[0] if len(nodes) == 1 else BoolOp("or", tuple(nodes))

    def and_(self) -> Node:
        nodes = [self.not_()]
        while self.peek().kind == "keyword" and self.peek().text == "and":
            self.take()
            nodes.append(self.not_())
        return nodes[0] if len(nodes) == 1 else BoolOp("and", tuple(nodes))

    def not_(self) -> Node:
        token = self.peek()
        if token.kind == "keyword" and token.text == "not":
            self.take()
            return Not(self.not_())
        return self.compare()

    def compare(self) -> Node:
        left = self.operand()
        token = self.peek()
        if token.kind == "op" and token.text in _COMPARE:
            self.take()
            right = self.operand()
            if isinstance(left, Fact | Literal) and isinstance(right, Fact | Literal):
                return Compare(token.text, left, right)
            raise self.fail(token, "a comparison needs a fact or a value on each side")
        negated = False
        if token.kind == "keyword" and token.text == "not" and \
                self.tokens[self.i + 1].text == "in":
            self.take()
            negated = True
            token = self.peek()
        if token.kind == "keyword" and token.text == "in":
            self.take()
            if not isinstance(left, Fact):
                raise self.fail(token, "'in' needs a fact on its left")
            return Member(left, self.list_(), negated)
        return left

    def operand(self) -> Node:
        token = self.take()
        if token.kind == "op" and token.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if token.kind == "name":
            return Fact(token.text, token.pos)
        if token.kind in ("number", "string") or token.text in ("true", "false"):
            return Literal(_literal(token))
        raise self.fail(token, f"expected a fact or a value, found {token.text or 'end of rule'!r}")

    def list_(self) -> tuple[Scalar, ...]:
        self.expect("[")
        values: list[Scalar] = []
        while self.peek().text != "]":
            token = self.take()
            if token.kind not in ("number", "string") and token.text not in ("true", "false"):
                raise self.fail(token, f"expected a value in the list, found {token.text!r}")
            values.append(_literal(token))
            if self.peek().text == ",":
                self.take()
            elif self.peek().text != "]":
                raise self.fail(self.peek(), "expected ',' or ']' in the list")
        self.expect("]")
        return tuple(values)


def _literal(token: Token) -> Scalar:
    if token.kind == "number":
        return Decimal(token.text) if "." in token.text else int(token.text)
    if token.kind == "string":
        return token.text[1:-1]
    return token.text == "true"


def parse(source: str) -> Node:
    """The syntax tree of ``source``; :class:`RuleSyntaxError` names the position."""
    return _Parser(source).parse()


# --- static checks against the fact vocabulary -----------------------------------------

def check_types(node: Node, facts: Mapping[str, SharedKey]) -> list[str]:
    """Unknown facts, values of the wrong type and enum values that do not exist."""
    problems: list[str] = []

    def value_ok(fact: Fact, value: Scalar, op: str) -> None:
        kind = facts[fact.name]
        if kind.kind in ("int", "number"):
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                problems.append(f"{fact.name} is a number, compared with {value!r}")
        elif kind.kind == "bool":
            if not isinstance(value, bool) or op not in ("==", "!="):
                problems.append(f"{fact.name} is true/false: use 'x', 'not x' or == true")
        elif kind.kind == "enum":
            if value not in kind.values:
                problems.append(f"{fact.name} has no value {value!r} "
                                f"(allowed: {', '.join(kind.values)})")
            elif op not in ("==", "!=", "in"):
                problems.append(f"{fact.name} is a category: only ==, != and in apply")
        elif not isinstance(value, str):
            problems.append(f"{fact.name} is text, compared with {value!r}")

    def known(fact: Fact) -> bool:
        if fact.name not in facts:
            problems.append(f"unknown fact {fact.name!r} at position {fact.pos}")
            return False
        return True

    def walk(n: Node, as_condition: bool) -> None:
        if isinstance(n, BoolOp):
            for operand in n.operands:
                walk(operand, True)
        elif isinstance(n, Not):
            walk(n.operand, True)
        elif isinstance(n, Member):
            if known(n.fact):
                for value in n.values:
                    value_ok(n.fact, value, "in")
        elif isinstance(n, Compare):
            sides = [s for s in (n.left, n.right) if isinstance(s, Fact)]
            if len(sides) != 1:
                problems.append("a comparison needs exactly one fact and one value")
                return
            fact = sides[0]
            other = n.right if fact is n.left else n.left
            if known(fact) and isinstance(other, Literal):
                value_ok(fact, other.value, n.op)
        elif isinstance(n, Fact):
            if known(n) and facts[n.name].kind != "bool" and as_condition:
                problems.append(f"{n.name} is not true/false: compare it with a value")
        elif isinstance(n, Literal) and not isinstance(n.value, bool):
            problems.append(f"{n.value!r} on its own is not a condition")

    walk(node, True)
    return problems
