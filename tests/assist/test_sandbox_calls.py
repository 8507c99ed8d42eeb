"""Calls through the real sandbox, inside a network namespace (``scenarios.py``): the
terminal's CallEngine over the platform client, an aiortc clerk signed in at the sandbox,
the sandbox as ``kiosk central serve`` in its own process."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.netns import run_in_netns

pytestmark = [pytest.mark.root, pytest.mark.slow, pytest.mark.timeout(240)]


def scenario(name: str) -> dict[str, Any]:
    report = run_in_netns("tests.assist.scenarios", [name], timeout=200)
    print(f"{name}:", json.dumps(report, ensure_ascii=False))
    return report


def test_a_call_through_the_sandbox_talks_both_ways_and_the_platform_sees_the_hang_up() -> None:
    """Placed, queued, accepted and answered through the sandbox; frames, chat, a snapshot
    and an item suggestion flow; the terminal's hang-up reaches the clerk as bye and the
    platform as ended/hung_up; every thread the call made is gone after join. Prints the
    answer → first remote frame time."""
    report = scenario("talk")
    assert report["available"] is True
    assert report["events"][0] == "Waiting" and "Answered" in report["events"]
    assert report["ended"] == "hung_up"
    assert sorted(report["chat_received"]) == ["echo: 我想办理养老金领取资格认证", "好的，请稍等"]
    assert report["messages_received"].count("open_item") == 1
    assert report["clerk_chat"] == ["我想办理养老金领取资格认证"]
    assert len(report["clerk_snapshot_bytes"]) == 1
    assert report["clerk_messages"][-1] == "bye"
    assert report["frames_received"] >= 30 and report["clerk_frames"] >= 30   # ~3 s at 15/s
    assert (report["platform_status"], report["platform_ended_reason"]) == ("ended", "hung_up")
    assert report["joined"] and report["new_threads"] == []
    assert report["observer_threads"] == ["assist-call"]
    print("answer → connected:", report["answer_to_connected_ms"], "ms; answer → first "
          "remote frame:", report["answer_to_first_frame_ms"], "ms")
    assert 0 < report["answer_to_first_frame_ms"] < 2000


def test_the_clerk_hanging_up_ends_the_call_on_the_terminal() -> None:
    """The console's bye and DELETE: Ended(CLERK_HUNG_UP), nothing left running."""
    report = scenario("clerk_hangs_up")
    assert report["events"][-1] == "Ended:clerk_hung_up"
    assert report["platform_ended_reason"] == "clerk_hung_up"
    assert report["joined"] and report["new_threads"] == []


def test_the_clerk_going_away_ends_the_call_as_network_lost() -> None:
    """The clerk's process killed mid-call (no bye, no hang-up): the terminal ends the call
    as NETWORK_LOST within the media time-out and a margin, tells the platform, and leaves
    no thread."""
    report = scenario("clerk_killed")
    assert report["ended"] == "network_lost"
    # the last packet may precede the kill by a frame, and ICMP "port unreachable" may end
    # ICE sooner: the bound that matters is the upper one
    assert report["media_timeout_s"] - 0.5 <= report["killed_to_ended_s"] \
        <= report["media_timeout_s"] + 2
    assert (report["platform_status"], report["platform_ended_reason"]) == ("ended", "hung_up")
    assert report["joined"] and report["new_threads"] == []


def test_the_line_going_down_ends_the_call_as_network_lost() -> None:
    """Loopback down mid-call (media and signalling both gone): Ended(NETWORK_LOST) within
    the media time-out plus the engine's one-second grace for signalling in flight and a
    margin; every thread gone once join returns."""
    report = scenario("network_down")
    assert report["ended"] == "network_lost"
    assert report["down_to_ended_s"] <= report["media_timeout_s"] + 1 + 1.5
    assert report["joined"] and report["new_threads"] == []
