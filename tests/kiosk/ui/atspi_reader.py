#!/usr/bin/python3
"""Run by test_atspi.py under Debian's /usr/bin/python3 (pyatspi is not on PyPI), inside
``dbus-run-session`` on an Xvfb display: starts the app command it is given (the real
``kiosk run --demo`` in the project's venv), then reads and drives the citizen window
through the accessibility bus only, as a screen reader and a tactile keypad would.

argv[1] is a JSON plan: ``{"app": [...command...], "texts": {...}, "internal": [...]}``;
the texts are what the screens say (computed by the test from kiosk.flows.messages). It
prints one JSON report on stdout: every screen's audit (controls seen, unnamed, internal
names, actionable but not focusable) and the journey's steps, or the step that failed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pyatspi

WINDOW_TITLE = "政务服务自助终端"
SIMULATOR_TITLE = "模拟器 Simulator"
#: what a screen reader treats as a control (named for itself, read on its own)
CONTROLS = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
            pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_ENTRY,
            pyatspi.ROLE_TEXT, pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_SPIN_BUTTON,
            pyatspi.ROLE_SLIDER, pyatspi.ROLE_LABEL, pyatspi.ROLE_PROGRESS_BAR,
            pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_MENU_ITEM}
#: controls a citizen acts on: each must be reachable by the keypad
ACTIONABLE = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
              pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_SPIN_BUTTON,
              pyatspi.ROLE_SLIDER, pyatspi.ROLE_PAGE_TAB}
KEYS = {"Tab": 0xff09, "Return": 0xff0d, "space": 0x20, "Down": 0xff54, "Up": 0xff52}
SHIFT_L = 50
TIMEOUT_S = 60


class Failed(Exception):
    """A step of the journey could not be done through the bus."""


def wait_for(what: str, probe: Callable[[], Any], timeout: float = TIMEOUT_S) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = probe()
        except Exception:          # an object went away while it was read: read again
            found = None
        if found:
            return found
        time.sleep(0.2)
    raise Failed(f"timed out waiting for {what}")


def frames(title: str) -> Any:
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        for j in range(app.childCount if app is not None else 0):
            frame = app.getChildAtIndex(j)
            if frame is not None and frame.name == title:
                return frame
    return None


def showing(root: Any) -> list[Any]:
    """Every object under ``root`` that is on screen now (hidden pages are skipped)."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        for i in range(node.childCount):
            child = node.getChildAtIndex(i)
            if child is None:
                continue
            if child.getState().contains(pyatspi.STATE_SHOWING):
                found.append(child)
                stack.append(child)
    return found


def describe(node: Any) -> str:
    return f"{node.getRoleName()} {node.name!r}"


def audit(frame: Any, internal: set[str]) -> dict[str, Any]:
    """The controls on screen and what is wrong with them."""
    controls = [n for n in showing(frame) if n.getRole() in CONTROLS]
    unnamed = [describe(n) for n in controls if not n.name.strip()]
    internal_names = [describe(n) for n in controls if n.name.strip() in internal]
    undescribed = [describe(n) for n in controls if n.getRole() in ACTIONABLE
                   and not n.description.strip()]
    unfocusable = [describe(n) for n in controls
                   if (n.getRole() in ACTIONABLE or editable(n))
                   and n.getState().contains(pyatspi.STATE_ENABLED)
                   and not n.getState().contains(pyatspi.STATE_FOCUSABLE)]
    return {"controls": len(controls),
            "actionable": sum(1 for n in controls if n.getRole() in ACTIONABLE or editable(n)),
            "unnamed": unnamed, "internal": internal_names, "undescribed": undescribed,
            "unfocusable": unfocusable}


def editable(node: Any) -> bool:
    return node.getRole() in (pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT,
                              pyatspi.ROLE_PASSWORD_TEXT) \
        and node.getState().contains(pyatspi.STATE_EDITABLE)


def focused(frame: Any) -> Any:
    return next((n for n in showing(frame) if n.getState().contains(pyatspi.STATE_FOCUSED)),
                None)


def key(name: str) -> None:
    pyatspi.Registry.generateKeyboardEvent(KEYS[name] if name in KEYS else ord(name), None,
                                           pyatspi.KEY_SYM)
    time.sleep(0.15)           # the app handles one key before the next is sent


def back_tab() -> None:
    """Shift-Tab: the modifier held by its key code (Shift_L is 50 in Xvfb's keymap)."""
    pyatspi.Registry.generateKeyboardEvent(SHIFT_L, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(KEYS["Tab"], None, pyatspi.KEY_SYM)
    pyatspi.Registry.generateKeyboardEvent(SHIFT_L, None, pyatspi.KEY_RELEASE)
    time.sleep(0.15)


def arrow_to(frame: Any, name: str, steps: list[str], limit: int = 20) -> Any:
    """Press the keypad's Down arrow until the control named ``name`` has focus."""
    for _ in range(limit):
        node = focused(frame)
        if node is not None and node.name == name:
            steps.append(f"focus {describe(node)} by arrows")
            return node
        key("Down")
    raise Failed(f"the arrows never reached {name!r}")


def type_text(text: str) -> None:
    for char in text:
        key(char)


def named(frame: Any, name: str) -> bool:
    """Whether a control named ``name`` is on screen."""
    return any(n.name == name and n.getRole() in ACTIONABLE for n in showing(frame))


def has_label(frame: Any, text: str) -> bool:
    return any(n.getRole() == pyatspi.ROLE_LABEL and text in n.name for n in showing(frame))


def tab_to(frame: Any, name: str, steps: list[str], limit: int = 80, about: str = "") -> Any:
    """Press Tab until the control named ``name`` (whose description mentions ``about``)
    has focus, as a keypad user listening to each control would."""
    for _ in range(limit):
        node = focused(frame)
        if node is not None and node.name == name and about in node.description:
            steps.append(f"focus {describe(node)}")
            return node
        key("Tab")
    raise Failed(f"Tab never reached {name!r} (focus on "
                 f"{describe(focused(frame)) if focused(frame) else None})")


def press(frame: Any, name: str, steps: list[str], with_key: str = "Return") -> None:
    tab_to(frame, name, steps)
    key(with_key)
    steps.append(f"{with_key} on {name!r}")


def journey(frame: Any, simulator: Any, texts: dict[str, str], internal: set[str],
            report: dict[str, Any]) -> None:
    steps: list[str] = report["steps"]
    audits: dict[str, Any] = report["audits"]
    wait_for("the attract screen", lambda: has_label(frame, texts["attract"]))
    audits["attract"] = audit(frame, internal)
    key("Tab")                                 # a key on the attract screen
    steps.append("Tab on the attract screen")
    wait_for("focus in the window", lambda: focused(frame))
    press(frame, texts["elder_on"], steps, with_key="space")          # 长辈版, by keypad
    wait_for("elder mode", lambda: named(frame, texts["elder_off"]))
    audits["attract_elder"] = audit(frame, internal)
    place = next(n for n in showing(simulator) if n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                 and n.name.startswith("放身份证"))
    place.queryAction().doAction(0)            # the demo's card on the emulated reader
    steps.append("card placed (simulator button, AT-SPI action)")
    wait_for("the choose screen", lambda: has_label(frame, texts["choose"]))
    audits["choose"] = audit(frame, internal)
    for_you(frame, texts, internal, report)
    to_common(frame, texts, steps)
    press(frame, texts["item"], steps)
    wait_for("the item screen", lambda: has_label(frame, texts["item"]))
    audits["item_elder"] = audit(frame, internal)
    press(frame, texts["elder_off"], steps)                           # back to standard
    wait_for("standard mode", lambda: not named(frame, texts["elder_off"]))
    audits["item"] = audit(frame, internal)
    press(frame, texts["to_en"], steps)                    # the citizen chooses English
    wait_for("the item in English", lambda: has_label(frame, texts["item_en"]))
    audits["item_en"] = audit(frame, internal)
    press(frame, texts["to_zh"], steps)
    wait_for("the item in Chinese", lambda: has_label(frame, texts["item"]))
    press(frame, texts["start"], steps)
    wait_for("the consent screen", lambda: has_label(frame, texts["consent"]))
    audits["consent"] = audit(frame, internal)
    arrow_to(frame, texts["agree"], steps)
    key("Return")
    steps.append(f"Return on {texts['agree']!r}")
    wait_for("the form", lambda: has_label(frame, texts["form"]))
    wait_for("the prefill", lambda: not has_label(frame, texts["loading"]))
    audits["form"] = audit(frame, internal)
    fill_form(frame, texts, steps)
    wait_for("the review", lambda: has_label(frame, texts["review"]))
    audits["review"] = audit(frame, internal)
    tab_to(frame, texts["confirm"], steps)
    back_tab()
    before = focused(frame)
    if before is None or before.name != texts["edit"]:
        raise Failed(f"Shift-Tab from {texts['confirm']!r} went to "
                     f"{describe(before) if before else None}")
    steps.append(f"Shift-Tab back to {describe(before)}")
    press(frame, texts["confirm"], steps)
    wait_for("the sign screen", lambda: has_label(frame, texts["sign"]))
    audits["sign"] = audit(frame, internal)
    press(frame, texts["keypad"], steps, with_key="space")
    wait_for("the receipt", lambda: has_label(frame, texts["received"]), timeout=90)
    audits["receipt"] = audit(frame, internal)
    steps.append("receipt: application received")
    press(frame, texts["done"], steps)
    wait_for("the attract screen again", lambda: has_label(frame, texts["attract"]),
             timeout=90)
    steps.append("back on the attract screen")
    face_check(frame, simulator, place, texts, internal, report)
    certified_proof(frame, simulator, place, texts, internal, report)
    face_passed(frame, simulator, place, texts, internal, report)
    video_help(frame, simulator, place, texts, internal, report)


class OnDuty:
    """The demo's clerk, signed in over HTTP and polling the queue every few seconds, as the
    clerk's console does: while it runs, a clerk is on duty and the kiosk offers video help.
    Nobody answers: the journey audits the panel before the camera starts, while waiting,
    and after hanging up (a call answered is tests/kiosk/ui/test_video_help.py's)."""

    def __init__(self, data_dir: str, number: str, pin: str) -> None:
        import threading

        self._data_dir, self._number, self._pin = data_dir, number, pin
        self._stop = threading.Event()
        self.polls = 0
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="on-duty", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import pathlib
        import urllib.request

        try:
            creds = pathlib.Path(self._data_dir) / "credentials.json"
            wait_for("the demo's enrolment", creds.exists)
            base = json.loads(creds.read_text())["platform_url"]
            sign_in = urllib.request.Request(
                f"{base}/v1/clerks/sign-in", method="POST",
                data=json.dumps({"clerk_number": self._number, "pin": self._pin}).encode(),
                headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(sign_in, timeout=10) as answer:
                token = json.loads(answer.read())["clerk_token"]
            queue = urllib.request.Request(f"{base}/v1/assist/queue",
                                           headers={"Authorization": f"Bearer {token}"})
            while not self._stop.is_set():
                with urllib.request.urlopen(queue, timeout=10) as answer:
                    answer.read()
                self.polls += 1
                self._stop.wait(5.0)
        except Exception as exc:               # reported, and the journey then fails
            self.error = f"{type(exc).__name__}: {exc}"

    def stop(self) -> None:
        self._stop.set()


def video_help(frame: Any, simulator: Any, place: Any, texts: dict[str, str],
               internal: set[str], report: dict[str, Any]) -> None:
    """A clerk on duty: the card read, "video help" pressed by keypad; the panel asking
    before the camera starts, then waiting in the queue, then (hung up by keypad) why the
    call ended and "back": each audited; back on the choose screen."""
    steps: list[str] = report["steps"]
    audits: dict[str, Any] = report["audits"]
    card_again(simulator, place, steps)
    wait_for("the choose screen", lambda: has_label(frame, texts["choose"]))
    wait_for("video help offered", lambda: enabled(frame, texts["assist_call"]))
    press(frame, texts["assist_call"], steps)
    wait_for("the question before the camera", lambda: has_label(frame,
                                                                 texts["assist_confirm"]))
    audits["assist_confirm"] = audit(frame, internal)
    press(frame, texts["assist_start"], steps)
    wait_for("the queue", lambda: has_label(frame, texts["assist_waiting"]), timeout=90)
    audits["assist_waiting"] = audit(frame, internal)
    press(frame, texts["assist_hang_up"], steps)
    wait_for("the call ended", lambda: has_label(frame, texts["assist_ended"]))
    audits["assist_ended"] = audit(frame, internal)
    press(frame, texts["assist_back"], steps)
    wait_for("the choose screen after the call",
             lambda: not named(frame, texts["assist_back"]) and has_label(frame,
                                                                           texts["choose"]))
    steps.append("video help: asked, waited, hung up, back on the choose screen")


def for_you(frame: Any, texts: dict[str, str], internal: set[str],
            report: dict[str, Any]) -> None:
    """The choose screen opens on "For you": its consent card audited, agreed by keypad;
    the list (the pension certification first for R001) audited."""
    steps: list[str] = report["steps"]
    audits: dict[str, Any] = report["audits"]
    audits["for_you_ask"] = audit(frame, internal)
    press(frame, texts["for_you_agree"], steps)
    wait_for("the For you list", lambda: any(
        n.getRole() in ACTIONABLE and n.name.startswith(texts["face_item"])
        for n in showing(frame)), timeout=90)
    audits["for_you"] = audit(frame, internal)
    steps.append("For you: agreed, the list shown")


def agreed_to(frame: Any, simulator: Any, place: Any, texts: dict[str, str],
              steps: list[str], item: str, start: str, ref: str | None = None) -> None:
    """The card placed again (``ref``'s, when given), the common item ``texts[item]``
    chosen and started with ``texts[start]``, and the use of shared data agreed: all by
    keypad."""
    card_again(simulator, place, steps, ref=ref)
    wait_for("the choose screen", lambda: has_label(frame, texts["choose"]))
    to_common(frame, texts, steps)
    press(frame, texts[item], steps)
    wait_for(f"the item {item}", lambda: has_label(frame, texts[item]))
    press(frame, texts[start], steps)
    wait_for("the consent screen", lambda: has_label(frame, texts["consent"]))
    arrow_to(frame, texts["agree"], steps)
    key("Return")
    steps.append(f"Return on {texts['agree']!r}")


def to_common(frame: Any, texts: dict[str, str], steps: list[str]) -> None:
    """From "For you", where the choose screen opens, to the common items."""
    press(frame, texts["common"], steps, with_key="space")
    wait_for("the common items", lambda: not named(frame, texts["for_you_agree"])
             and has_label(frame, texts["choose"]))


def card_again(simulator: Any, place: Any, steps: list[str], ref: str | None = None) -> None:
    """Take the card away, choose another demo resident if asked, and place it again."""
    remove = next(n for n in showing(simulator) if n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                  and n.name.startswith("取走身份证"))
    remove.queryAction().doAction(0)
    time.sleep(1.0)                            # the reader polls for the card's absence
    if ref is not None:
        choose_resident(simulator, ref, steps)
    place.queryAction().doAction(0)
    steps.append("card taken and placed again (simulator buttons, AT-SPI actions)")


def choose_resident(simulator: Any, ref: str, steps: list[str]) -> None:
    """The simulator's resident list: its pop-up opened by its AT-SPI action, then Down or
    Up and Return (the open pop-up holds the keyboard) until the list shows ``ref``."""
    combo = next(n for n in showing(simulator) if n.getRole() == pyatspi.ROLE_COMBO_BOX)
    refs = [combo.getChildAtIndex(0).getChildAtIndex(i).name.split()[0]
            for i in range(combo.getChildAtIndex(0).childCount)]
    for _ in range(len(refs)):
        now = combo.name.split()[0]
        if now == ref:
            steps.append(f"resident {ref} chosen in the simulator")
            return
        actions = combo.queryAction()
        actions.doAction(next(i for i in range(actions.nActions)
                              if actions.getName(i) == "ShowMenu"))
        time.sleep(0.5)
        key("Down" if refs.index(ref) > refs.index(now) else "Up")
        key("Return")
        time.sleep(0.3)
    raise Failed(f"the simulator's resident list never showed {ref}")


def certified_proof(frame: Any, simulator: Any, place: Any, texts: dict[str, str],
                    internal: set[str], report: dict[str, Any]) -> None:
    """A query-and-print item for R001, who has a certified record of it: the proof screen
    with the verified record (its preview, the print button on), audited, printed by
    keypad; the simulator's count of printed slips goes up by one."""
    steps: list[str] = report["steps"]
    audits: dict[str, Any] = report["audits"]
    agreed_to(frame, simulator, place, texts, steps, "proof_item", "start_print")
    wait_for("the form", lambda: has_label(frame, texts["form"]))
    wait_for("the prefill", lambda: not has_label(frame, texts["loading"]))
    fill_form(frame, texts, steps, until=texts["proof"])
    wait_for("a verified record to print", lambda: enabled(frame, texts["print"]), timeout=90)
    for refusal in ("proof_uncertified", "proof_no_record", "proof_no_session"):
        if has_label(frame, texts[refusal]):
            raise Failed(f"the proof screen says {texts[refusal]!r}")
    steps.append("the proof screen: a verified record, its print button on")
    audits["proof"] = audit(frame, internal)
    report["slips_before"] = slips_printed(simulator)
    press(frame, texts["print"], steps)
    wait_for("the proof printed", lambda: has_label(frame, texts["printed"]), timeout=90)
    report["slips_after"] = wait_for(
        "the printed slip in the simulator",
        lambda: (n := slips_printed(simulator)) > report["slips_before"] and n)
    steps.append("the proof printed")
    audits["proof_printed"] = audit(frame, internal)
    press(frame, texts["done"], steps)
    wait_for("the attract screen after the proof", lambda: has_label(frame, texts["attract"]),
             timeout=90)
    steps.append("back on the attract screen after the proof")


def enabled(frame: Any, name: str) -> bool:
    return any(n.name == name and n.getRole() in ACTIONABLE
               and n.getState().contains(pyatspi.STATE_ENABLED) for n in showing(frame))


def slips_printed(simulator: Any) -> int:
    """The simulator's status line says how many slips the emulated printer received."""
    for node in showing(simulator):
        if node.getRole() == pyatspi.ROLE_LABEL and " slips · " in node.name:
            return int(node.name.split(" slips · ")[0].split()[-1])
    raise Failed("the simulator shows no count of printed slips")


def face_passed(frame: Any, simulator: Any, place: Any, texts: dict[str, str],
                internal: set[str], report: dict[str, Any]) -> None:
    """R002, whose registry photo is the portrait the demo's synthetic camera shows: the face
    check screen is audited while the guide and the turn challenge are shown; the camera
    does as asked, the platform matches, and the certification form follows (audited, the
    screen after the check), then review, keypad confirmation and the receipt."""
    steps: list[str] = report["steps"]
    audits: dict[str, Any] = report["audits"]
    agreed_to(frame, simulator, place, texts, steps, "face_item", "start", ref="R002")
    # the capture's prompts first; "comparing" (guide still shown) when the synthetic
    # citizen's straight look and turn passed between two reads of the tree
    asked = (texts["face_straight"], texts["face_left"], texts["face_right"],
             texts["face_comparing"])
    try:
        seen = wait_for("the face check's guide and a prompt of the capture",
                        lambda: face_prompt(frame, texts["face_guide"], asked), timeout=120)
    except Failed as exc:
        shown = sorted({n.name for n in showing(frame) if n.name})
        raise Failed(f"{exc}; on screen: {shown}") from exc
    steps.append(f"the face check asks: {seen!r}")
    audits["face_check"] = audit(frame, internal)
    audits["face_check"]["prompt"] = seen
    audits["face_check"]["prompt_after_audit"] = face_prompt(frame, texts["face_guide"],
                                                             asked)
    wait_for("the form after the face check", lambda: has_label(frame, texts["form"]),
             timeout=120)
    wait_for("the prefill", lambda: not has_label(frame, texts["loading"]))
    steps.append("the face check passed: the form")
    audits["face_form"] = audit(frame, internal)
    fill_form(frame, texts, steps)
    wait_for("the review", lambda: has_label(frame, texts["review"]))
    press(frame, texts["confirm"], steps)
    wait_for("the sign screen", lambda: has_label(frame, texts["sign"]))
    press(frame, texts["keypad"], steps, with_key="space")
    wait_for("the receipt", lambda: has_label(frame, texts["received"]), timeout=90)
    steps.append("receipt: the certification received")
    press(frame, texts["done"], steps)
    wait_for("the attract screen after the certification",
             lambda: has_label(frame, texts["attract"]), timeout=90)
    steps.append("back on the attract screen after the certification")


def face_prompt(frame: Any, guide: str, asked: tuple[str, ...]) -> str | None:
    """What the face check asks now (look straight, turn left or right), while the camera's
    guide is on screen; None otherwise. One walk of the tree: the synthetic citizen turns at
    once, so the turn is asked for about a second."""
    names = {n.name for n in showing(frame)}
    return next((text for text in asked if text in names), None) if guide in names else None


def face_check(frame: Any, simulator: Any, place: Any, texts: dict[str, str],
               internal: set[str], report: dict[str, Any]) -> None:
    """The pension certification asks for the person-to-card check after consent. The
    demo's camera is synthetic (a public-domain portrait that turns as asked); the demo's
    resident R001 has no registry photo, so once the face is captured the platform answers
    no_reference and, with no card-photo decoder configured, the screen says the item cannot
    be completed here and where it can: that screen is audited and left by keypad."""
    steps: list[str] = report["steps"]
    audits: dict[str, Any] = report["audits"]
    agreed_to(frame, simulator, place, texts, steps, "face_item", "start")
    wait_for("the face check, then 'not here'", lambda: has_label(frame,
                                                                  texts["face_not_here"]))
    steps.append("the face check: not here, and where to go")
    audits["face_not_here"] = audit(frame, internal)
    press(frame, texts["face_finish"], steps)
    wait_for("the attract screen after the check", lambda: has_label(frame, texts["attract"]),
             timeout=90)
    steps.append("back on the attract screen after the face check")


def focus_on(frame: Any, node: Any, steps: list[str], about: str = "") -> None:
    """Focus a field as a screen reader user moving to it does (AT-SPI's grabFocus), or, if
    the toolkit refuses, by Tab (a long form with the on-screen keyboard up is a long way
    round)."""
    try:
        node.queryComponent().grabFocus()
        time.sleep(0.15)
        now = focused(frame)
        if now is not None and now.name == node.name and about in now.description:
            steps.append(f"focus {describe(now)} (AT-SPI grabFocus)")
            return
    except Exception:          # no Component interface: go round by Tab
        pass
    tab_to(frame, node.name, steps, limit=250, about=about)


def fill_form(frame: Any, texts: dict[str, str], steps: list[str], until: str = "") -> None:
    """Answer what prefill left empty with the keypad: a choice with Space, a number typed,
    then the form's own button; repeated while the form says what is missing, until the
    screen titled ``until`` (the review) shows."""
    until = until or texts["review"]
    answers: dict[str, str] = json.loads(texts["answers"])
    for _ in range(3):
        for node in showing(frame):
            if not editable(node) or node.name not in answers:
                continue
            if node.queryText().characterCount:
                continue
            focus_on(frame, node, steps)
            type_text(answers[node.name])
            steps.append(f"typed into {node.name!r}")
        for group, choice in json.loads(texts["choices"]).items():
            buttons = [n for n in showing(frame) if n.getRole() in
                       (pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_TOGGLE_BUTTON)
                       and n.name == choice and group in n.description]
            for node in buttons:
                if not node.getState().contains(pyatspi.STATE_CHECKED):
                    focus_on(frame, node, steps, about=group)
                    key("space")
                    steps.append(f"chose {choice!r} for {group!r}")
        press(frame, texts["to_review"], steps)
        try:
            wait_for(until, lambda: has_label(frame, until), timeout=5)
            return
        except Failed:
            empty = [n.name for n in showing(frame) if editable(n)
                     and not n.queryText().characterCount]
            steps.append(f"the form asked for more; empty: {empty}")
    raise Failed("the form was never complete")


def main() -> int:
    plan = json.loads(sys.argv[1])
    report: dict[str, Any] = {"steps": [], "audits": {}, "failed": None}
    app = subprocess.Popen(plan["app"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    on_duty: OnDuty | None = None
    try:
        frame = wait_for("the citizen window", lambda: frames(WINDOW_TITLE))
        simulator = wait_for("the simulator", lambda: frames(SIMULATOR_TITLE))
        clerk = plan["clerk"]
        on_duty = OnDuty(plan["data_dir"], clerk["number"], clerk["pin"])
        journey(frame, simulator, plan["texts"], set(plan["internal"]), report)
    except Failed as exc:
        report["failed"] = str(exc)
    finally:
        if on_duty is not None:
            on_duty.stop()
            report["clerk_polls"], report["clerk_error"] = on_duty.polls, on_duty.error
        app.terminate()
        try:
            _out, err = app.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
            _out, err = app.communicate()
        report["app_exit"] = app.returncode
        report["app_stderr"] = err.decode(errors="replace")[-4000:]
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
