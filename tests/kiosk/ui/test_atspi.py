"""The citizen window as assistive technology reads it, through the real accessibility bus.

Under ``dbus-run-session`` on Xvfb, with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``, the real
``kiosk run --demo`` (the project's venv) is read and driven by ``atspi_reader.py`` under
Debian's ``/usr/bin/python3`` (pyatspi is a Debian package, not on PyPI): every control on
every screen of an application's journey (elder mode, then standard; Chinese, then English
and back) is named, in the session's language, with no internal identifier, and every
actionable control is focusable and described; the journey from the attract screen to a
received application is done with key presses (XTest through the
AT-SPI registry) and AT-SPI actions only, confirming on the keypad at the sign step. The
demo's sandbox on 127.0.0.1 then holds the case, its consent method recorded.

The choose screen opens on "For you" (issue #19): its consent card and, agreed by keypad,
R001's list are audited before the journey moves to the common items.

One run of the demo (the module's fixture) walks every journey; each test checks one:
the application above (and the face check's "not here" for R001, who has no registry
photo); R001's certified insurance proof, verified, audited and printed by keypad; and
R002's face check passed by the demo's synthetic camera (her registry photo), audited on
the check screen while the guide and a prompt are shown and on the form after it, the
certification received by the sandbox with ``platform_face``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from civic.catalog.vocab import FieldType
from kiosk.catalog.load import load_catalog
from kiosk.demo.launcher import DEMO_CLERK_NUMBER, DEMO_CLERK_PIN
from kiosk.flows.messages import MESSAGES, tr
from kiosk.ui.accessible_texts import DESCRIPTIONS
from seeds import seeds_dir
from tests.conftest import IN_CI, require_tool
from tests.kiosk.flows.conftest import INSURANCE_PROOF, PENSION

#: the pension qualification certification: a face item (identity_assurance = "face")
CERTIFICATION = "11330110002503015G4007000015000"

HERE = Path(__file__).resolve().parent
READER = HERE / "atspi_reader.py"
SYSTEM_PYTHON = "/usr/bin/python3"
#: Debian's at-spi2-core: dbus-run-session starts it for the first client (org.a11y.Bus)
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
KIOSK = Path(sys.executable).with_name("kiosk")


def internal_words() -> list[str]:
    """Names a screen reader must never say: the widgets' roles and object names."""
    roles = set(DESCRIPTIONS) | {k.split(".")[-1] for k in DESCRIPTIONS}
    roles |= {"elder", "language", "corner", "primary", "title", "subtitle", "muted", "big",
              "notice", "search", "choices", "numpad", "signature_pad", "topbar", "statusbar"}
    roles |= {f"mode_{m}" for m in ("popular", "departments", "life_events", "bundles")}
    return sorted(roles)


def form_answers() -> tuple[dict[str, str], dict[str, str]]:
    """What a citizen keys in where prefill leaves a form of the journeys (the pension
    application, the certification, the insurance proof) empty: digits for the number-like
    fields (by label), the first option of each choice (by field label)."""
    catalog = load_catalog(seeds_dir() / "catalog")
    typed, chosen = {}, {}
    # the new items' optional fields are left alone (fewer keys to press)
    fields = [*catalog.get(PENSION).form.fields,
              *(f for code in (CERTIFICATION, INSURANCE_PROOF)
                for f in catalog.get(code).form.fields if f.required)]
    for field in fields:
        label = field.label.get("zh")
        if field.type == FieldType.DATE:
            typed[label] = "2020-01-01"
        elif field.type == FieldType.PHONE:
            typed[label] = "13805710000"
        elif field.type in (FieldType.NUMBER, FieldType.AMOUNT):
            typed[label] = str(int(field.min) if field.min is not None else 1)
        elif field.type == FieldType.YES_NO:
            chosen[label] = tr("form.yes", "zh")
        elif field.choices:
            chosen[label] = field.choices[0].label.get("zh")
    return typed, chosen


def plan(data_dir: Path) -> dict[str, Any]:
    catalog = load_catalog(seeds_dir() / "catalog")
    typed, chosen = form_answers()
    zh = {key: tr(key, "zh") for key in MESSAGES if "{" not in tr(key, "zh")}
    texts = {"attract": zh["attract.prompt"], "choose": tr("choose.title", "zh", name=""),
             "item": catalog.get(PENSION).name.get("zh"), "start": zh["item.start"],
             "item_en": catalog.get(PENSION).name.get("en"),
             "to_en": zh["lang.switch"], "to_zh": tr("lang.switch", "en"),
             "edit": zh["review.edit"], "elder_on": zh["attract.elder"],
             "elder_off": zh["elder.off"],
             "consent": zh["consent.title"], "agree": zh["consent.agree"],
             "form": zh["form.title"], "loading": zh["form.loading"],
             "to_review": zh["form.review"], "review": zh["review.title"],
             "confirm": zh["review.confirm"], "sign": zh["sign.title"],
             "keypad": zh["sign.keypad"], "received": zh["receipt.title_online"],
             "done": zh["receipt.done"], "answers": json.dumps(typed, ensure_ascii=False),
             "choices": json.dumps(chosen, ensure_ascii=False),
             # the face check (issue #17): the pension certification needs one
             "face_item": catalog.get(CERTIFICATION).name.get("zh"),
             "face_not_here": zh["face.not_here_title"], "face_finish": zh["face.finish"],
             "face_left": zh["face.turn_left"], "face_right": zh["face.turn_right"],
             "face_guide": zh["face.guide"], "face_straight": zh["face.straight"],
             "face_comparing": zh["face.comparing"],
             # the certified proof (issue #17): a query-and-print item R001 has a record of
             "proof_item": catalog.get(INSURANCE_PROOF).name.get("zh"),
             "start_print": zh["item.start_print"], "proof": zh["proof.title"],
             "print": zh["proof.print"],
             "printed": zh["proof.printed"], "proof_uncertified": zh["proof.uncertified"],
             "proof_no_record": zh["proof.no_record"],
             "proof_no_session": zh["proof.no_session"],
             # video help (issue #18): a clerk on duty, nobody answering
             "assist_call": zh["assist.call"], "assist_confirm": zh["assist.confirm"],
             "assist_start": zh["assist.start"],
             "assist_waiting": tr("assist.waiting_next", "zh"),
             "assist_hang_up": zh["assist.hang_up"], "assist_ended": zh["assist.ended"],
             "assist_back": zh["assist.back"],
             # thinking ahead (issue #19): the choose screen opens on "For you"
             "common": zh["choose.popular"], "for_you_agree": zh["foryou.ask_button"]}
    return {"app": [str(KIOSK), "run", "--demo", "--data-dir", str(data_dir)],
            "texts": texts, "internal": internal_words(), "data_dir": str(data_dir),
            "clerk": {"number": DEMO_CLERK_NUMBER, "pin": DEMO_CLERK_PIN}}


def has_pyatspi() -> bool:
    return subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"],
                          capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def walked(xvfb_display: str, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[dict[str, Any], Path]:
    """One run of the real demo read and driven over the bus through every journey (the
    application, the face check's "not here", the certified proof, the face check passed):
    the reader's report and the demo's data directory."""
    dbus_run = require_tool("dbus-run-session", "the AT-SPI test needs a session bus")
    if not Path(BUS_LAUNCHER).exists() or not has_pyatspi():
        missing = "at-spi2-core and python3-pyatspi are not installed; run scripts/bootstrap.sh"
        pytest.fail(missing) if IN_CI else pytest.skip(missing)
    data_dir = tmp_path_factory.mktemp("atspi") / "data"
    data_dir.mkdir(mode=0o700)
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb",
           "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    done = subprocess.run([dbus_run, "--", SYSTEM_PYTHON, str(READER),
                           json.dumps(plan(data_dir), ensure_ascii=False)],
                          env=env, capture_output=True, text=True, timeout=540)
    assert done.stdout.strip(), done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps({k: v for k, v in report.items() if k != "app_stderr"},
                     ensure_ascii=False, indent=1))
    assert report["failed"] is None, (report["failed"], report["steps"][-5:],
                                      report["app_stderr"])
    return report, data_dir


def assert_audited(audits: dict[str, Any], screens: set[str]) -> None:
    """Each of ``screens`` was audited: controls seen, 0 unnamed, 0 internal names, every
    actionable control focusable and described."""
    assert screens <= set(audits), screens - set(audits)
    for screen in sorted(screens):
        found = audits[screen]
        assert found["controls"] > 0 and found["actionable"] > 0, screen
        assert found["unnamed"] == [], (screen, found["unnamed"])
        assert found["internal"] == [], (screen, found["internal"])
        assert found["unfocusable"] == [], (screen, found["unfocusable"])
        assert found["undescribed"] == [], (screen, found["undescribed"])


def submissions(data_dir: Path) -> list[tuple[str, str, str, str | None]]:
    database = data_dir / "demo" / "central" / "central.sqlite3"
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT item_code, channel, consent_method, identity_method "
                            "FROM submissions ORDER BY received_at").fetchall()


@pytest.mark.timeout(600)
def test_citizen_window_is_named_focusable_and_usable_by_keypad_alone(
        walked: tuple[dict[str, Any], Path]) -> None:
    """Every screen of a journey: 0 unnamed controls, 0 internal names, every actionable
    control focusable and described; the journey from the attract screen to a received
    application by key presses and AT-SPI actions, confirmed on the keypad; the sandbox
    records that confirmation with the case. Then the pension certification's face check,
    run by the demo's synthetic camera, ends in its "not here" screen (R001 has no registry
    photo and no card-photo decoder is configured), audited the same way and left by keypad.
    """
    report, data_dir = walked
    audits = report["audits"]
    assert set(audits) == {"attract", "attract_elder", "choose", "item_elder", "item",
                           "item_en", "consent", "form", "review", "sign", "receipt",
                           "face_not_here", "proof", "proof_printed", "face_check",
                           "face_form", "assist_confirm", "assist_waiting", "assist_ended",
                           "for_you_ask", "for_you"}
    assert_audited(audits, {"attract", "attract_elder", "choose", "item_elder", "item",
                            "item_en", "consent", "form", "review", "sign", "receipt",
                            "face_not_here", "for_you_ask", "for_you"})
    assert submissions(data_dir)[0] == (PENSION, "kiosk", "keypad_confirmation", None)


@pytest.mark.timeout(600)
def test_a_certified_record_is_shown_audited_and_printed_by_keypad(
        walked: tuple[dict[str, Any], Path]) -> None:
    """R001's insurance proof: the proof screen with a verified record (print button on, no
    refusal) passes the audit, before and after printing; the print is pressed on the
    keypad, the simulator counts one more slip, and the emulated printer wrote it (a PNG)
    while the A4 proof was written."""
    report, data_dir = walked
    assert_audited(report["audits"], {"proof", "proof_printed"})
    assert report["slips_after"] == report["slips_before"] + 1
    # the emulator numbers the slips it renders; the certification's receipt comes later
    assert (data_dir / "demo" / "slips" / f"slip-{report['slips_after']:04d}.png").is_file()
    assert len(list((data_dir / "demo" / "a4").glob("proof-*.pdf"))) == 1


@pytest.mark.timeout(600)
def test_the_face_check_passes_on_the_bus_and_the_certification_is_received(
        walked: tuple[dict[str, Any], Path]) -> None:
    """R002 in front of the synthetic camera (her registry photo): the face-check screen is
    audited while the guide and the turn challenge are shown, and the form after the check;
    the certification, confirmed on the keypad, reaches the sandbox with platform_face."""
    report, data_dir = walked
    audits = report["audits"]
    assert_audited(audits, {"face_check", "face_form"})
    assert audits["face_check"]["prompt"] in (tr("face.straight", "zh"),
                                              tr("face.turn_left", "zh"),
                                              tr("face.turn_right", "zh"),
                                              tr("face.comparing", "zh"))
    assert submissions(data_dir)[1:] == [(CERTIFICATION, "kiosk", "keypad_confirmation",
                                          "platform_face")]


@pytest.mark.timeout(600)
def test_video_help_is_named_and_usable_by_keypad(walked: tuple[dict[str, Any], Path]
                                                  ) -> None:
    """With the demo's clerk on duty (polling the queue over HTTP, as the console does), the
    "video help" button is pressed by keypad; the panel's question before the camera starts,
    its queue while waiting and its words after the keypad hung up pass the audit, and
    "back" returns to the choose screen. The clerk was polling all along."""
    report, _ = walked
    assert_audited(report["audits"], {"assist_confirm", "assist_waiting", "assist_ended"})
    assert report["clerk_error"] is None and report["clerk_polls"] > 0
