"""Inactivity logic: warning, countdown, unlimited extension, expiry — on a fake clock."""

from __future__ import annotations

import pytest

from kiosk.flows.idle import IdlePhase, IdleTracker
from tests.kiosk.flows.conftest import FakeClock


def test_phases_follow_the_clock() -> None:
    """Active until the warning time, then a countdown of whole seconds, then expired."""
    clock = FakeClock()
    idle = IdleTracker(60, 20, clock)
    clock.advance(59.9)
    assert idle.poll().phase is IdlePhase.ACTIVE
    clock.advance(0.1)
    status = idle.poll()
    assert status.phase is IdlePhase.WARNING and status.seconds_left == 20
    clock.advance(19.5)
    assert idle.poll().seconds_left == 1
    clock.advance(0.5)
    assert idle.poll().phase is IdlePhase.EXPIRED


def test_activity_and_extension_restart_the_wait() -> None:
    """Any activity restarts it; 'continue' can be pressed any number of times."""
    clock = FakeClock()
    idle = IdleTracker(30, 20, clock)
    for _ in range(50):
        clock.advance(45)
        assert idle.poll().phase is IdlePhase.WARNING
        idle.extend()
    assert idle.extensions == 50 and idle.poll().phase is IdlePhase.ACTIVE


def test_times_must_be_positive() -> None:
    """A zero idle time is a configuration bug, refused at once."""
    with pytest.raises(ValueError):
        IdleTracker(0, 20, FakeClock())


def test_a_call_pauses_the_count_and_the_call_is_not_idle_time() -> None:
    """A citizen on a video call touches nothing for minutes: never logged out meanwhile;
    after the call the wait starts over, and a wipe undoes a pause left behind."""
    clock = FakeClock()
    idle = IdleTracker(60, 20, clock)
    clock.advance(50)
    idle.pause()
    clock.advance(600)
    assert idle.paused and idle.poll().phase is IdlePhase.ACTIVE
    idle.resume()
    clock.advance(59)
    assert idle.poll().phase is IdlePhase.ACTIVE
    clock.advance(1)
    assert idle.poll().phase is IdlePhase.WARNING
    idle.pause()
    idle.reset()
    assert not idle.paused
