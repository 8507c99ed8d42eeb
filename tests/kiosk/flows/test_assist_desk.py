"""The video call's states as the citizen lives them (kiosk.flows.assist), over a dialler
that hands the test the engine's events to play: the media and the platform are covered by
tests/assist (a real engine) and tests/kiosk/ui/test_video_help.py (real widgets, a real
browser)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assist.events import Answered, CallEvent, Connected, Ended, Received, Waiting
from civic.assist import (
    AssistConfig,
    Bye,
    CallMessage,
    Chat,
    EndReason,
    OpenItem,
    Snapshot,
    SnapshotRequest,
)
from civic.text import Text
from kiosk.flows.assist import Ask, AssistDesk, CallRequest, CallStage, DeskTopic

ON_DUTY = AssistConfig(True, Text("工作日 8:30–17:00", "Weekdays 8:30–17:00"), 2)
OFF_DUTY = AssistConfig(False, Text("工作日 8:30–17:00", "Weekdays 8:30–17:00"), 0)


class ScriptedCall:
    def __init__(self) -> None:
        self.sent: list[CallMessage] = []
        self.hung_up = 0

    def send(self, message: CallMessage) -> None:
        self.sent.append(message)

    def hang_up(self) -> None:
        self.hung_up += 1


class ScriptedDialler:
    def __init__(self, config: AssistConfig | None = ON_DUTY) -> None:
        self.config = config
        self.requests: list[CallRequest] = []
        self.calls: list[ScriptedCall] = []
        self.emit: Callable[[CallEvent], None] = lambda _e: None

    def check(self, done: Callable[[AssistConfig | None], None]) -> None:
        done(self.config)

    def dial(self, request: CallRequest, on_event: Callable[[CallEvent], None]) -> ScriptedCall:
        self.requests.append(request)
        self.emit = on_event
        self.calls.append(ScriptedCall())
        return self.calls[-1]


@pytest.fixture
def setup() -> tuple[AssistDesk, ScriptedDialler, list[bool], list[str], list[DeskTopic]]:
    dialler = ScriptedDialler()
    paused: list[bool] = []
    opened: list[str] = []
    desk = AssistDesk(dialler, language=lambda: "zh", pause_idle=paused.append,
                      open_item=lambda code: opened.append(code) is None,
                      item_code=lambda: "A1", session_id=lambda: "S1")
    topics: list[DeskTopic] = []
    desk.subscribe(topics.append)
    desk.refresh()
    return desk, dialler, paused, opened, topics


def connect(desk: AssistDesk, dialler: ScriptedDialler) -> ScriptedCall:
    desk.call()
    desk.start()
    dialler.emit(Waiting(2))
    dialler.emit(Answered("王窗口"))
    dialler.emit(Connected())
    return dialler.calls[-1]


def test_nothing_starts_before_the_citizen_confirms(setup) -> None:
    desk, dialler, paused, _, _ = setup
    desk.call()
    assert desk.stage is CallStage.CONFIRM and dialler.requests == [] and paused == []
    desk.cancel()
    assert desk.stage is CallStage.IDLE and dialler.requests == []
    desk.call()
    desk.start()
    assert dialler.requests == [CallRequest("zh", "A1", "S1")]
    assert paused == [True] and desk.in_call


def test_waiting_shows_the_queue_then_the_clerk(setup) -> None:
    desk, dialler, _, _, topics = setup
    desk.call()
    desk.start()
    dialler.emit(Waiting(3))
    assert desk.stage is CallStage.WAITING and desk.queue_position == 3
    dialler.emit(Waiting(1))
    assert desk.queue_position == 1 and DeskTopic.QUEUE in topics
    dialler.emit(Answered("王窗口"))
    assert desk.stage is CallStage.CONNECTED and desk.clerk_name == "王窗口"


def test_off_duty_offers_the_hours_and_cannot_be_called() -> None:
    desk = AssistDesk(ScriptedDialler(OFF_DUTY), language=lambda: "zh",
                      pause_idle=lambda _p: None, open_item=lambda _c: True)
    desk.refresh()
    assert desk.offered and not desk.available and desk.hours == OFF_DUTY.hours
    desk.call()
    assert desk.stage is CallStage.IDLE
    offline = AssistDesk(ScriptedDialler(None), language=lambda: "zh",
                         pause_idle=lambda _p: None, open_item=lambda _c: True)
    offline.refresh()
    assert not offline.offered


def test_chat_goes_both_ways_and_is_forgotten_after_the_call(setup) -> None:
    desk, dialler, paused, _, _ = setup
    call = connect(desk, dialler)
    desk.say("  我不会填这一栏  ")
    dialler.emit(Received(Chat("请点“下一步”")))
    assert call.sent == [Chat("我不会填这一栏")]
    assert [(line.from_clerk, line.text) for line in desk.chat] == \
        [(False, "我不会填这一栏"), (True, "请点“下一步”")]
    desk.hang_up()
    assert call.hung_up == 1 and desk.stage is CallStage.CONNECTED   # until the engine says
    dialler.emit(Ended(EndReason.HUNG_UP))
    assert desk.stage is CallStage.ENDED and desk.chat == [] and paused == [True, False]
    assert desk.end_words() == Text("通话已结束", "The call has ended")
    desk.dismiss()
    assert desk.stage is CallStage.IDLE


def test_a_picture_leaves_only_when_the_citizen_taps_send(setup) -> None:
    desk, dialler, _, _, _ = setup
    call = connect(desk, dialler)
    dialler.emit(Received(SnapshotRequest()))
    assert desk.ask is Ask.DOCUMENT and desk.show_document()
    picture = Snapshot(b"\xff\xd8 a document")
    desk.picture_taken(picture)
    assert desk.ask is Ask.SEND and call.sent == []        # shown, not sent
    desk.send_picture()
    assert call.sent == [picture] and desk.ask is Ask.NONE and desk.picture is None
    dialler.emit(Received(SnapshotRequest()))
    desk.picture_taken(Snapshot(b"\xff\xd8 another"))
    desk.decline()                                          # "don't send"
    assert call.sent == [picture] and desk.picture is None


def test_a_suggested_item_opens_only_when_the_citizen_agrees(setup) -> None:
    desk, dialler, _, opened, _ = setup
    connect(desk, dialler)
    dialler.emit(Received(OpenItem("330000-GG-001")))
    assert desk.ask is Ask.ITEM and desk.item_suggested() == "330000-GG-001" and opened == []
    desk.decline()
    assert opened == [] and desk.item_suggested() is None
    dialler.emit(Received(OpenItem("330000-GG-002")))
    desk.accept_item()
    assert opened == ["330000-GG-002"] and desk.stage is CallStage.CONNECTED


def test_the_end_of_the_session_ends_the_call_and_drops_late_events(setup) -> None:
    desk, dialler, paused, _, _ = setup
    call = connect(desk, dialler)
    dialler.emit(Received(Chat("personal words")))
    late = dialler.emit
    desk.session_ended()
    assert call.hung_up == 1 and desk.stage is CallStage.IDLE and desk.chat == []
    assert paused == [True, False]
    late(Received(Chat("for the next citizen?")))
    late(Ended(EndReason.HUNG_UP))
    assert desk.stage is CallStage.IDLE and desk.chat == []


@pytest.mark.parametrize(("reason", "zh"), [
    (EndReason.CLERK_HUNG_UP, "工作人员已结束通话"),
    (EndReason.NETWORK_LOST, "网络中断，通话已结束。您可以继续办理，稍后再呼叫"),
    (EndReason.NO_CLERKS, "现在没有工作人员在岗。视频客服时间：工作日 8:30–17:00"),
])
def test_every_end_is_told_in_words(setup, reason: EndReason, zh: str) -> None:
    desk, dialler, paused, _, _ = setup
    connect(desk, dialler)
    dialler.emit(Ended(reason))
    assert desk.stage is CallStage.ENDED and desk.end_words().zh == zh
    assert paused[-1] is False


def test_a_bye_or_a_message_before_the_answer_changes_nothing(setup) -> None:
    desk, dialler, _, _, _ = setup
    desk.call()
    desk.start()
    dialler.emit(Received(OpenItem("X")))                  # not connected: ignored
    assert desk.ask is Ask.NONE
    dialler.emit(Answered("王窗口"))
    dialler.emit(Received(Bye()))                           # the engine reports the end
    assert desk.stage is CallStage.CONNECTED
