"""The call engine's real calls: the terminal's CallEngine and an aiortc clerk on loopback
inside a network namespace (``tests/netns.py``), the signalling handed across directly so
that only the engine is under test (``engine_scenarios.py``; the sandbox's signalling is
``test_sandbox_calls.py``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.netns import run_in_netns

pytestmark = [pytest.mark.root, pytest.mark.slow, pytest.mark.timeout(180)]


def scenario(name: str) -> dict[str, Any]:
    report = run_in_netns("tests.assist.engine_scenarios", [name], timeout=150)
    print(f"{name}:", json.dumps(report, ensure_ascii=False))
    return report


def assert_clean_end(report: dict[str, Any]) -> None:
    """One Ended, last (the scenario checks the order); every thread the engine made is
    gone once join returned; the observer only ever ran on the engine's thread; the log
    holds no SDP, chat text or TURN credential."""
    assert report["secrets_logged"] == []
    assert report["joined"] is True
    assert report["threads_after_join"] == []
    assert report["leaked_threads"] == []
    assert report["observer_threads"] == ["assist-call"]


def test_a_call_carries_video_sound_and_messages_both_ways_and_hangs_up() -> None:
    """Frames and sound flow both ways at the call's rate, chat goes each way, the clerk's
    snapshot request is answered by a JPEG that reaches the clerk, an item suggestion and
    unknown messages (dropped) arrive, and hanging up says bye and tells the platform."""
    report = scenario("call")
    assert report["events"][:3] == ["Waiting", "Answered", "Connected"]
    assert report["ended"] == "hung_up"
    assert report["messages_received"] == ["chat", "snapshot_request", "open_item", "chat"]
    assert sorted(report["chat_received"]) == ["echo: 我的养老金怎么办", "请出示身份证"]
    assert report["clerk_chat"] == ["我的养老金怎么办"]
    assert len(report["clerk_snapshot_bytes"]) == 1 and report["clerk_snapshot_bytes"][0] > 1000
    assert report["clerk_messages"][-1] == "bye"
    # ~2.5 s connected at 15 frames/s each way
    assert report["frames_sent"] >= 25 and report["clerk_frames"] >= 20
    assert report["frames_received"] >= 20 and report["remote_audio"] > 50
    assert report["clerk_audio"] > 50
    assert report["hung_up_on_platform"] == ["direct-call"]
    assert report["log_lines"] >= 5        # the log was read (and held no secret)
    assert 0 < report["answer_to_first_frame_ms"] < 2000
    print("answer → first remote frame:", report["answer_to_first_frame_ms"], "ms")
    # the call's threads, all named for it: the loop, aiortc's encoders (the loop's default
    # executor), the signalling executor, aiortc's two decoders
    print("threads during the call:", report["threads_during_call"])
    assert "assist-call" in report["threads_during_call"]
    assert all(name.startswith("assist-") or name in ("video-decoder", "audio-decoder")
               for name in report["threads_during_call"])
    assert_clean_end(report)


def test_a_microphone_that_cannot_be_opened_leaves_a_silent_track() -> None:
    """A configured ALSA device that is not there does not fail the call: it connects and
    the clerk receives (silent) sound."""
    report = scenario("no_microphone")
    assert report["events"][:3] == ["Waiting", "Answered", "Connected"]
    assert report["ended"] == "hung_up" and report["clerk_audio"] > 20
    assert_clean_end(report)


def test_a_call_relayed_by_a_turn_server() -> None:
    """With the platform's TURN server (coturn on loopback, long-term credentials) the
    engine offers a relayed candidate besides its host one; a clerk that may only use the
    relay still connects and frames flow, and coturn records the allocations and the
    channels bound to carry them. The credential never reaches the engine's log."""
    report = scenario("turn")
    if "skipped" in report:
        pytest.skip(report["skipped"])
    assert report["offer_candidate_types"] == ["host", "relay"]
    assert report["connected"] and report["ended"] == "hung_up"
    assert report["frames_received"] >= 10 and report["clerk_frames"] >= 10
    assert report["turn_allocations"] >= 2 and report["turn_channel_binds"] >= 1
    assert_clean_end(report)


def test_the_clerks_bye_ends_the_call() -> None:
    """A bye on the channel ends the call as CLERK_HUNG_UP, with nothing left running."""
    report = scenario("clerk_bye")
    assert report["events"] == ["Waiting", "Answered", "Connected", "Ended:clerk_hung_up"]
    assert_clean_end(report)


def test_the_platform_ending_the_call_ends_it_with_the_platforms_reason() -> None:
    """The long poll's ``ended`` ends the call with its ``ended_reason``; nothing is deleted
    (the platform ended it)."""
    report = scenario("platform_ends")
    assert report["events"][-1] == "Ended:clerk_hung_up"
    assert report["hung_up_on_platform"] == []
    assert_clean_end(report)


def test_media_lost_mid_call_ends_it_as_network_lost_within_the_time_out() -> None:
    """The media's address blackholed mid-call: Ended(NETWORK_LOST) within media_timeout_s
    and a margin, the platform told, every thread gone."""
    report = scenario("media_drop")
    assert report["ended"] == "network_lost"
    # (the last packet may precede the drop by a frame)
    assert report["media_timeout_s"] - 0.5 <= report["drop_to_ended_s"] \
        <= report["media_timeout_s"] + 1.5
    assert report["hung_up_on_platform"] == ["direct-call"]
    assert_clean_end(report)


def test_hanging_up_while_waiting_withdraws_the_call() -> None:
    """Hung up before anyone answered: the call is deleted on the platform at once (the
    waiting long poll does not hold the end)."""
    report = scenario("waiting_hang_up")
    assert report["events"] == ["Waiting", "Ended:hung_up"]
    assert report["hung_up_on_platform"] == ["direct-call"]
    assert report["ended_after_s"] < 3
    assert_clean_end(report)


def test_hanging_up_at_any_moment_of_the_set_up_ends_the_call_cleanly() -> None:
    """Hung up while the stack loads, ICE gathers, the offer is posted or the answer lands:
    always one Ended(HUNG_UP), the platform told whenever the call had been placed, no
    thread and no pending asyncio task left behind."""
    report = scenario("hang_up_races")
    for run in report["runs"]:
        assert run["ended"] == "hung_up" and run["events"][-1] == "Ended:hung_up", run
        assert run["joined"] and run["threads_after_join"] == [] \
            and run["leaked_threads"] == [], run
        if run["polls"] or "Waiting" in run["events"]:
            assert run["hung_up_on_platform"] == ["direct-call"], run
    assert report["asyncio_errors"] == []


def test_signalling_that_keeps_failing_ends_the_call_as_network_lost() -> None:
    """Polls that get no answer are retried twice (1 s, 2 s apart), then the call ends as
    NETWORK_LOST and is hung up on the platform best effort."""
    report = scenario("signalling_lost")
    assert report["events"] == ["Waiting", "Ended:network_lost"]
    assert 2.5 <= report["ended_after_s"] <= 6
    assert report["polls"] == 3 and report["hung_up_on_platform"] == ["direct-call"]
    assert_clean_end(report)


def test_a_refused_poll_ends_the_call_as_platform_failed() -> None:
    """A poll the platform refuses (a call it does not know) is not retried: PLATFORM_FAILED
    at once."""
    report = scenario("call_unknown")
    assert report["events"] == ["Waiting", "Ended:platform_failed"]
    assert report["polls"] == 1
    assert_clean_end(report)


def test_calls_one_after_another_leave_nothing_behind() -> None:
    """Sixteen calls in one process, as a kiosk makes them over a day: after each, the
    thread count is what it was, and memory levels off instead of growing with every call
    (measured: it rises over the first five calls, malloc's arenas and PyAV's pools filling,
    then stays within a few MiB over thirty)."""
    report = scenario("soak")
    counts, rss = report["thread_counts"], report["rss_kib"]
    assert len(set(counts)) == 1 and report["threads_left"] == []
    print("RSS after each call (KiB):", rss)
    assert max(rss[-4:]) - max(rss[4:8]) < 20 * 1024


def test_nobody_on_duty_ends_the_call_as_no_clerks() -> None:
    """Placing refused with no_clerks: one event, Ended(NO_CLERKS), no media started."""
    report = scenario("no_clerks")
    assert report["events"] == ["Ended:no_clerks"]
    assert report["frames_sent"] == 0
    assert_clean_end(report)
