"""Fault injection: the sandbox misbehaves on purpose, the way real networks and platforms do.

A :class:`FaultPlan` is an immutable value (fractions of requests per kind of fault); the
:class:`FaultInjector` draws from it per request with its own random source, so a seeded run
is reproducible. Plans are set at start (``kiosk central serve --fault KEY=VALUE``) and at
run time through ``/v1/_sandbox/faults`` (loopback only).
"""

from __future__ import annotations

import dataclasses
import random
import threading
from dataclasses import dataclass, field
from typing import Any

from central.errors import BadRequest

_FRACTIONS = ("drop_before", "drop_after", "error_500", "error_503", "error_429", "delay",
              "truncate")


@dataclass(frozen=True)
class FaultPlan:
    drop_before: float = 0.0   # connection closed before the request is handled
    drop_after: float = 0.0    # handled (and committed), then closed without an answer
    error_500: float = 0.0
    error_503: float = 0.0     # with Retry-After
    error_429: float = 0.0     # with Retry-After
    retry_after_s: int = 1
    delay: float = 0.0         # fraction of requests answered only after delay_s
    delay_s: float = 0.0
    truncate: float = 0.0      # the body is cut in half, Content-Length promises all of it
    batch_disabled: bool = False  # POST /v1/submissions:batch answers 404
    tamper_records: bool = False  # a certified record's first row changed after signing
    routes: tuple[str, ...] = ()  # route patterns affected; empty = every API route
    # The halls' live feed stops: their queue figures are this many minutes old (a terminal
    # marks figures older than 5). Only the halls named in stale_halls; none named: all.
    stale_halls_min: int = 0
    stale_halls: tuple[str, ...] = ()
    seed: int | None = None

    @classmethod
    def from_dict(cls, doc: dict[str, Any], base: FaultPlan | None = None) -> FaultPlan:
        base = base or cls()
        known = {f.name: f for f in dataclasses.fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in doc.items():
            if key not in known:
                raise BadRequest("unknown_fault", f"unknown fault {key!r}; known: "
                                 + ", ".join(known))
            changes[key] = _checked(key, value)
        total = sum(changes.get(k, getattr(base, k)) for k in
                    ("drop_before", "error_500", "error_503", "error_429"))
        if total > 1:
            raise BadRequest("bad_fault", "drop_before + error_500 + error_503 + error_429 "
                                          "must not exceed 1")
        return dataclasses.replace(base, **changes)

    def as_dict(self) -> dict[str, Any]:
        doc = dataclasses.asdict(self)
        doc["routes"] = list(self.routes)
        doc["stale_halls"] = list(self.stale_halls)
        return doc


def _checked(key: str, value: Any) -> Any:
    if key in _FRACTIONS:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise BadRequest("bad_fault", f"{key} is a fraction from 0 to 1")
        return float(value)
    if key == "delay_s":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 120:
            raise BadRequest("bad_fault", "delay_s is a number of seconds from 0 to 120")
        return float(value)
    if key == "retry_after_s":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3600:
            raise BadRequest("bad_fault", "retry_after_s is a whole number from 0 to 3600")
        return value
    if key in ("batch_disabled", "tamper_records"):
        if not isinstance(value, bool):
            raise BadRequest("bad_fault", f"{key} is true or false")
        return value
    if key in ("routes", "stale_halls"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadRequest("bad_fault", f"{key} is a list of texts")
        return tuple(value)
    if key == "stale_halls_min":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1440:
            raise BadRequest("bad_fault", "stale_halls_min is a whole number from 0 to 1440")
        return value
    if key == "seed":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise BadRequest("bad_fault", "seed is a whole number or null")
        return value
    raise AssertionError(key)


@dataclass(frozen=True)
class Decision:
    drop_before: bool = False
    status: int | None = None      # 500, 503 or 429 instead of handling
    delay_s: float = 0.0
    drop_after: bool = False
    truncate: bool = False


NO_FAULT = Decision()


class FaultInjector:
    def __init__(self, plan: FaultPlan | None = None) -> None:
        self._lock = threading.Lock()
        self._plan = plan or FaultPlan()
        self._random = random.Random(self._plan.seed)

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    def hall_feed_lag(self, hall_id: str) -> int:
        """How many minutes old the hall's queue figures are (``stale_halls_min``)."""
        plan = self._plan
        if plan.stale_halls and hall_id not in plan.stale_halls:
            return 0
        return plan.stale_halls_min

    def update(self, doc: dict[str, Any], *, reset: bool = False) -> FaultPlan:
        with self._lock:
            self._plan = FaultPlan.from_dict(doc, None if reset else self._plan)
            if "seed" in doc:
                self._random = random.Random(self._plan.seed)
            return self._plan

    def draw(self, route: str) -> Decision:
        plan = self._plan
        if plan.routes and route not in plan.routes:
            return NO_FAULT
        with self._lock:
            roll = self._random.random()
            extra = [self._random.random() for _ in range(3)]
        status = None
        drop_before = False
        edge = 0.0
        for name, outcome in (("drop_before", "drop"), ("error_500", 500), ("error_503", 503),
                              ("error_429", 429)):
            edge += getattr(plan, name)
            if roll < edge:
                if outcome == "drop":
                    drop_before = True
                else:
                    status = int(outcome)
                break
        return Decision(
            drop_before=drop_before, status=status,
            delay_s=plan.delay_s if extra[0] < plan.delay else 0.0,
            drop_after=extra[1] < plan.drop_after,
            truncate=extra[2] < plan.truncate)


@dataclass
class Counters:
    """What the tests read: requests per route and status, and what the platform recorded."""

    requests: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def request(self, method: str, route: str, status: int | str) -> None:
        key = f"{method} {route} {status}"
        with self._lock:
            self.requests[key] = self.requests.get(key, 0) + 1

    def event(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.events[name] = self.events.get(name, 0) + n

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": dict(self.requests), "events": dict(self.events)}

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.events.clear()
