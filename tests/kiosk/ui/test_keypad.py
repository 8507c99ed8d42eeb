"""The citizen window by keypad alone, on the real widgets: focus order follows the screen,
controls are named and described in the session's language, focused controls are spoken
when the terminal speaks (never what a field holds), and the sign step is confirmed on
the keypad. The same through the real accessibility bus: test_atspi.py."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.flows import Step
from kiosk.flows.messages import tr
from kiosk.ui.accessible import reading_order
from kiosk.ui.accessible_texts import DESCRIPTIONS
from tests.kiosk.flows.conftest import PENSION
from tests.kiosk.flows.helpers import fill_remaining

ROLES = set(DESCRIPTIONS) | {"elder", "language"}


def key(qtbot: Any, window: Any, which: Qt.Key,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QWidget:
    """Press ``which`` where the keypad's keys go (the focused widget, or the window), and
    answer the widget focused after it."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, which, modifier)
    focus = QApplication.focusWidget()
    assert focus is not None
    return focus


def place(widget: QWidget, window: Any) -> tuple[int, int]:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return top_left.y(), top_left.x()


def active(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_tab_and_arrows_follow_the_screen_round_and_back(qtbot, window, flow,
                                                        id_cards) -> None:
    """On the choose screen (whose controls are not built in screen order) Tab visits every
    control once, row by row and left to right, round to the start; Shift-Tab and the
    keypad's Up arrow go back the same way, Down goes forward."""
    active(qtbot, window)
    flow.card_placed(id_cards["R001"])
    QApplication.processEvents()
    order = reading_order(window.focus_scope())
    assert len(order) > 10
    rows = [place(w, window) for w in order]       # before focus scrolls the choices
    for (y0, x0), (y1, x1), widget in zip(rows, rows[1:], order[1:], strict=False):
        assert y1 > y0 or x1 >= x0, (widget, rows)   # never back up the screen
    for _ in range(len(order)):                      # from wherever focus was, to the top
        if key(qtbot, window, Qt.Key.Key_Tab) is order[0]:
            break
    visited = [QApplication.focusWidget()]
    for _ in range(len(order) - 1):
        visited.append(key(qtbot, window, Qt.Key.Key_Tab))
    assert visited == order and len(set(visited)) == len(order)
    assert window.screens[Step.CHOOSE].search in order
    assert key(qtbot, window, Qt.Key.Key_Tab) is order[0]          # round to the start
    assert key(qtbot, window, Qt.Key.Key_Backtab,
               Qt.KeyboardModifier.ShiftModifier) is order[-1]
    assert key(qtbot, window, Qt.Key.Key_Up) is order[-2]
    assert key(qtbot, window, Qt.Key.Key_Down) is order[-1]


def test_controls_are_named_and_described_in_the_session_language(qtbot, window, flow,
                                                                 id_cards) -> None:
    """Every button in sight on the consent screen has a name (its text) and a description
    in the session's language, never an internal role; switching to English redescribes
    them in English."""
    flow.card_placed(id_cards["R001"])
    flow.choose(PENSION)
    flow.start_item()
    QApplication.processEvents()

    def described() -> dict[str, str]:
        buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisible()]
        assert buttons
        for button in buttons:
            name = button.accessibleName() or button.text()
            assert name and name not in ROLES, button.property("role")
            assert button.accessibleDescription(), name
        return {b.accessibleName() or b.text(): b.accessibleDescription() for b in buttons}

    chinese = described()
    assert chinese["同意授权"] == DESCRIPTIONS["agree"][0]
    flow.set_language("en")
    QApplication.processEvents()
    english = described()
    assert english["I agree"] == DESCRIPTIONS["agree"][1]
    assert english["中文"] == DESCRIPTIONS["language"][1]


def test_focus_is_spoken_once_a_key_is_pressed_on_the_attract_screen(
        qtbot, window, flow, id_cards) -> None:
    """Touch alone speaks nothing; a key on the attract screen makes the session speak each
    focused control (name, then what it does) and the new screens' prompts; the wipe ends
    it for the next citizen."""
    active(qtbot, window)
    speaker = window.speaker
    flow.card_placed(id_cards["R001"])
    key(qtbot, window, Qt.Key.Key_Tab)
    assert speaker.said == []
    flow.card_removed()
    assert flow.step is Step.ATTRACT
    key(qtbot, window, Qt.Key.Key_Tab)                   # a key on the attract screen
    assert flow.prefs.speaks
    focus = key(qtbot, window, Qt.Key.Key_Tab)
    assert speaker.said[-1][1] == "zh"
    assert speaker.said[-1][0].startswith(focus.accessibleName() or focus.text())
    assert focus.accessibleDescription() in speaker.said[-1][0]
    flow.card_placed(id_cards["R001"])
    assert (tr("choose.search", "zh"), "zh") in speaker.said      # the new screen's prompt
    flow.card_removed()
    assert not flow.prefs.speaks


def test_a_headphone_speaks_focus_but_never_what_a_field_holds(qtbot, window, flow,
                                                               id_cards) -> None:
    """With a headphone in (the audio layer's report) a focused field is spoken as its
    label and what it takes; the name and ID number it holds are never said."""
    active(qtbot, window)
    flow.prefs.set_headphone(True)
    card = id_cards["R001"]
    flow.card_placed(card)
    flow.choose(PENSION)
    flow.start_item()
    flow.give_consent(False)
    QApplication.processEvents()
    screen = window.screens[Step.FORM]
    for _ in range(len(reading_order(window.focus_scope())) + 1):
        key(qtbot, window, Qt.Key.Key_Tab)
    spoken = " ".join(text for text, _ in window.speaker.said)
    labels = [row.field.label.get("zh") for row in screen.rows.values() if row.edit]
    assert any(label in spoken for label in labels)
    identity = flow.identity
    assert identity is not None
    assert identity.name.reveal() not in spoken
    assert identity.id_number.reveal() not in spoken
    flow.card_removed()
    assert flow.prefs.speaks                 # the jack's state outlives the session


def test_the_sign_step_is_confirmed_on_the_keypad(qtbot, window, flow, id_cards,
                                                  outbox) -> None:
    """Tab reaches "cannot sign: confirm by key" and Enter on it queues the application
    with keypad confirmation and no signature."""
    active(qtbot, window)
    flow.card_placed(id_cards["R001"])
    flow.choose(PENSION)
    flow.start_item()
    flow.give_consent(True)
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    assert flow.step is Step.SIGN
    QApplication.processEvents()
    wanted = window.screens[Step.SIGN].keypad_confirm
    for _ in range(len(reading_order(window.focus_scope()))):
        if key(qtbot, window, Qt.Key.Key_Tab) is wanted:
            break
    assert QApplication.focusWidget() is wanted
    key(qtbot, window, Qt.Key.Key_Return)
    assert flow.step is Step.SUBMIT
    body = outbox.body(flow.submission_id)
    assert body is not None and body["consent"]["method"] == "keypad_confirmation"


def test_busy_screens_name_their_progress(qtbot, window, flow, id_cards) -> None:
    """A screen reader reaching the busy bar of the card-reading screen hears what is
    happening, in the session's language."""
    from tests.kiosk.ui.controls import accessible_name

    flow.set_language("en")
    flow.card_reading()
    QApplication.processEvents()
    assert accessible_name(window.screens[Step.IDENTIFY].progress) == tr("identify.reading",
                                                                         "en")


def test_the_idle_warning_is_answered_by_keypad(qtbot, window, flow, id_cards,
                                                clock) -> None:
    """Over the idle warning Tab stays on the warning (its one button, described), and Enter
    on it continues the session."""
    from kiosk.flows import IdlePhase

    active(qtbot, window)
    flow.card_placed(id_cards["R001"])
    key(qtbot, window, Qt.Key.Key_Tab)                     # this citizen uses the keypad
    clock.advance(60)
    window.tick()
    warning = window.idle_warning
    assert warning.isVisible() and window.focus_scope() is warning
    assert key(qtbot, window, Qt.Key.Key_Tab) is warning.go_on
    assert key(qtbot, window, Qt.Key.Key_Tab) is warning.go_on          # nowhere else
    assert warning.go_on.accessibleDescription() == DESCRIPTIONS["continue"][0]
    key(qtbot, window, Qt.Key.Key_Return)
    assert flow.idle_status().phase is IdlePhase.ACTIVE and not warning.isVisible()
    assert flow.step is Step.CHOOSE
