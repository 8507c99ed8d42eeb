"""Video help end to end, run inside the network namespace that test_video_help.py makes
(only ``lo``, with 127.0.0.2 added for aioice): the real kiosk widgets with the call engine
(aiortc on its own thread), the real sandbox relaying the signalling, and the clerk's
console in Debian's headless Chromium with its fake camera and microphone. Nothing here can
reach another address, so WebRTC never tries one.

Not collected by the suite (its name has no ``test_`` prefix): test_video_help.py runs it
with ``KIOSK_NETNS=1`` and reads the figures it writes to ``KIOSK_REPORT``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from faces import samples
from kiosk import config as cfg
from kiosk.app.citizen import KioskApp
from kiosk.demo import Demo
from kiosk.flows import Step
from kiosk.flows.assist import Ask, CallStage
from tests.kiosk.flows.conftest import PENSION
from tests.kiosk.ui.driver import tap
from tests.kiosk.ui.test_journeys import WAIT, _wiring, at, identify

pytestmark = [
    pytest.mark.skipif(os.environ.get("KIOSK_NETNS") != "1",
                       reason="runs inside the network namespace of test_video_help.py only"),
    # Qt Multimedia (the clerk's voice: QAudioSink) probes for PipeWire, VA-API and a
    # PulseAudio server and says so when the machine has none: the machine's, not ours
    pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) (pipewire|va)",
                              r"PulseAudioService: pa_context_connect\(\) failed"),
]

CLERK_NUMBER, CLERK_PIN, CLERK_NAME = "C0101", "246810", "王晓燕"
SUGGESTED = PENSION             # the item the clerk suggests: an application made here
CALL_WAIT = 30_000
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                  "--allow-loopback-in-peer-connection",
                  "--disable-features=WebRtcHideLocalIpsWithMdns",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                  "--window-size=1280,800")

REPORT: dict[str, Any] = {}
SHOTS = Path(os.environ["KIOSK_SCREENSHOTS"]) if os.environ.get("KIOSK_SCREENSHOTS") else None


def teardown_module() -> None:
    if os.environ.get("KIOSK_REPORT"):
        Path(os.environ["KIOSK_REPORT"]).write_text(json.dumps(REPORT, indent=1))


# -- the clerk's console in Chromium ---------------------------------------------------------
class Console:
    def __init__(self, driver: Any, url: str) -> None:
        self.driver, self.url = driver, url
        self.accepted: set[str] = set()

    def find(self, css: str) -> Any:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list[Any]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def stats(self) -> dict[str, Any]:
        return self.driver.execute_script("return window.clerkConsole.stats()")  # type: ignore[no-any-return]

    def state(self) -> str:
        return str(self.find("#call-status").get_attribute("data-state"))

    def sign_in(self) -> None:
        self.driver.get(self.url)
        self.find("#number").send_keys(CLERK_NUMBER)
        self.find("#pin").send_keys(CLERK_PIN)
        self.find("#sign-in").click()

    def accept_first(self) -> float:
        """Accept the first call listed that this console has not accepted before; the
        monotonic time of the click. Found and clicked in one script: the console redraws
        its list every few seconds, so an element found by one command may be gone by the
        next."""
        deadline = time.monotonic() + CALL_WAIT / 1000
        while time.monotonic() < deadline:
            QApplication.processEvents()
            started = time.monotonic()
            call_id = self.driver.execute_script("""
                const skip = new Set(arguments[0]);
                for (const item of document.querySelectorAll("#queue li[data-call-id]")) {
                  const button = item.querySelector("button.accept");
                  if (skip.has(item.dataset.callId) || !button || button.disabled) continue;
                  button.click();
                  return item.dataset.callId;
                }
                return null;""", sorted(self.accepted))
            if call_id:
                self.accepted.add(str(call_id))
                return started
            time.sleep(0.05)
        raise AssertionError("timed out waiting for a new call listed")

    def chat(self, text: str) -> None:
        self.find("#chat-text").send_keys(text)
        self.find("#chat-send").click()

    def citizen_lines(self) -> list[str]:
        return [e.text for e in self.all("#chat-log .msg.from-citizen")]


def until(check: Callable[[], Any], what: str, timeout_s: float = CALL_WAIT / 1000) -> Any:
    """Wait for ``check()`` outside Qt (the console), keeping Qt's events flowing."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QApplication.processEvents()
        try:
            value = check()
        except StaleElementReferenceException:   # the console redrew what was read: again
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """(Replaces the suite's check.) The module's sandbox serves Chromium, whose keep-alive
    connections each hold a server thread for as long as the browser keeps them open; so
    here only the threads a call makes are checked, by name (and the network test compares
    every thread's name before and after)."""
    yield
    deadline = time.monotonic() + 5.0
    while True:
        calls = [t.name for t in threading.enumerate() if t.name.startswith("assist")
                 and t.name != "assist"]          # "assist": the bridge's worker, app-long
        if not calls or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not calls, f"a call left threads running: {calls}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    from central import admin

    root = tmp_path_factory.mktemp("demo")
    demo = Demo(root, cfg.Config(), pacing=False, workflow_step_s=0, virtual_card=False)
    demo.start()
    admin.add_clerk(demo.sandbox.platform.settings.data_dir, CLERK_NUMBER, CLERK_PIN,
                    CLERK_NAME)
    yield demo
    demo.stop()


@pytest.fixture(scope="module")
def console(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.fail("Debian's chromium and chromium-driver are not installed "
                    "(scripts/bootstrap.sh installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"),
                              options=options)
    try:
        console = Console(driver, f"{demo.sandbox.url}/clerk/")
        console.sign_in()
        until(lambda: console.find("#desk-view").is_displayed(), "the console signed in")
        yield console
    finally:
        driver.quit()


@pytest.fixture
def kiosk(qtbot, demo: Demo, data_dir: Path, catalog) -> Iterator[KioskApp]:
    from faces.synthetic import SyntheticCamera
    from kiosk.ui.face_frames import SyntheticFrames
    from kiosk.ui.fonts import ui_font

    QApplication.instance().setFont(ui_font())
    demo.enrol(data_dir)
    wiring = _wiring(demo)
    if SHOTS is not None:         # the documentation shows no photograph of a person
        from kiosk.ui.drawn_face import DrawnFaceFrames

        wiring.face_source = lambda: DrawnFaceFrames(fps=15)
    else:
        portrait = samples.GRACE_HOPPER
        wiring.face_source = lambda: SyntheticFrames(SyntheticCamera(portrait.read()), fps=15)
    app = KioskApp(data_dir, cfg.Config(), wiring, catalog=catalog).open(show=False)
    # the kiosk's panel for the documentation's pictures, as scripts/screenshots.py
    app.window.resize(*((1920, 1080) if SHOTS is not None else (1280, 800)))
    app.window.show()
    app.start_background()
    yield app
    demo.remove_id_card()
    demo.cut_network(False)
    app.close()


def panel_role(app: KioskApp, name: str) -> QWidget:
    dock = app.call_dock
    assert dock is not None and dock.panel is not None
    for widget in dock.panel.findChildren(QWidget):
        if widget.property("role") == name and widget.isVisible():
            return widget
    raise AssertionError(f"no visible {name!r} in the call panel")


def place_call(qtbot, app: KioskApp) -> None:
    """The citizen taps "video help", then agrees to start the camera."""
    dock = app.call_dock
    assert dock is not None
    qtbot.waitUntil(lambda: dock.button.isVisible() and dock.button.isEnabled(),
                    timeout=WAIT)
    tap(qtbot, dock.button)
    assert dock.desk.stage is CallStage.CONFIRM
    tap(qtbot, panel_role(app, "assist_start"))
    qtbot.waitUntil(lambda: dock.desk.stage is CallStage.WAITING, timeout=CALL_WAIT)


def shoot(name: str, app: KioskApp | None = None, console: Console | None = None) -> None:
    if SHOTS is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    if app is not None:               # as scripts/screenshots.py: 1920×1080 shown at 1280×720
        import io

        from PIL import Image
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        QApplication.processEvents()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        app.window.grab().toImage().save(buffer, "PNG")
        buffer.close()
        picture = Image.open(io.BytesIO(bytes(data.data()))).convert("RGB")
        picture = picture.resize((1280, 720), Image.Resampling.LANCZOS)
        picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            SHOTS / f"{name}.png", "PNG", optimize=True)
    if console is not None:
        console.driver.save_screenshot(str(SHOTS / f"{name}.png"))


def shoot_four(name: str, app: KioskApp) -> None:
    """``name`` in standard and elder mode, Chinese and English; back to standard Chinese."""
    if SHOTS is None:
        return
    flow = app.flow
    for elder, language in ((False, "zh"), (False, "en"), (True, "en"), (True, "zh")):
        flow.set_elder(elder)
        flow.set_language(language)
        shoot(f"{name}-{'elder-' if elder else ''}{language}", app)
    flow.set_elder(False)


def alive() -> tuple[int, set[str]]:
    """The soak's counts: widgets alive, and the threads by name."""
    import gc

    gc.collect()
    QApplication.processEvents()
    return len(QApplication.allWidgets()), {t.name for t in threading.enumerate()}


def test_a_call_from_the_kiosk_to_the_clerks_console(qtbot, demo, console, kiosk) -> None:
    """Card read → video help → the clerk answers in Chromium: video both ways, a message
    each way, a document picture that reaches the console only after Send, an item that
    opens only after the citizen agrees; the citizen hangs up and both ends see it; then a
    second call that the clerk ends."""
    app, flow = kiosk, kiosk.flow
    dock = app.call_dock
    assert dock is not None
    identify(qtbot, demo, app, "R001")
    place_call(qtbot, app)
    assert flow.idle.paused                              # no logout while waiting
    shoot_four("video-help-waiting", app)

    clicked = console.accept_first()
    qtbot.waitUntil(lambda: dock.desk.stage is CallStage.CONNECTED, timeout=CALL_WAIT)
    assert dock.desk.clerk_name == CLERK_NAME
    panel = dock.panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.videos.remote.frames_painted > 0, timeout=CALL_WAIT)
    REPORT["kiosk_accept_to_first_frame_ms"] = round((time.monotonic() - clicked) * 1000)
    until(lambda: console.stats()["framesReceived"] > 0, "the citizen's video in Chromium")
    stats = console.stats()
    REPORT["console_answer_to_first_frame_ms"] = round(stats["firstFrameAtMs"]
                                                       - stats["answeredAtMs"])
    # the clerk's video as the citizen sees it, over three seconds
    shown = panel.videos.remote.frames_painted
    qtbot.wait(3000)
    REPORT["kiosk_remote_fps"] = round((panel.videos.remote.frames_painted - shown) / 3, 1)
    REPORT["remote_frame_size"] = [panel.videos.remote._image.width(),
                                   panel.videos.remote._image.height()]
    seen = console.stats()["framesReceived"]
    time.sleep(1)
    assert console.stats()["framesReceived"] > seen      # still flowing to the clerk
    assert panel.mark.isVisible() and "通话中" in panel.mark.text()
    shoot_four("video-help-call", app)
    shoot("clerk-console-call", console=console)

    # a message each way; the citizen types on the panel
    panel.chat_text.setText("我不知道这一项怎么填")
    tap(qtbot, panel_role(app, "chat_send"))
    until(lambda: "我不知道这一项怎么填" in " ".join(console.citizen_lines()),
          "the citizen's message on the console")
    console.chat("请点“下一步”")
    qtbot.waitUntil(lambda: any(line.from_clerk and line.text == "请点“下一步”"
                                for line in dock.desk.chat), timeout=CALL_WAIT)

    # a document: nothing reaches the console before Send
    console.find("#ask-document").click()
    qtbot.waitUntil(lambda: dock.desk.ask is Ask.DOCUMENT, timeout=CALL_WAIT)
    tap(qtbot, panel_role(app, "assist_yes"))              # photograph it
    camera = app.window.camera
    qtbot.waitUntil(lambda: camera.isVisible(), timeout=WAIT)
    tap(qtbot, camera.shoot) if camera.shoot.isVisible() else None
    qtbot.waitUntil(lambda: camera.use.isVisible(), timeout=WAIT)
    tap(qtbot, camera.use)
    qtbot.waitUntil(lambda: dock.desk.ask is Ask.SEND, timeout=WAIT)
    time.sleep(1.0)
    QApplication.processEvents()
    assert console.stats()["snapshots"] == 0             # shown to the citizen only
    tap(qtbot, panel_role(app, "assist_yes"))              # Send
    until(lambda: console.stats()["snapshots"] == 1, "the snapshot on the console")
    assert console.find("#snapshot").is_displayed()

    # an item suggested: not opened until the citizen agrees
    assert flow.step is Step.CHOOSE
    console.find("#suggest-code").send_keys(SUGGESTED)
    console.find("#suggest").click()
    qtbot.waitUntil(lambda: dock.desk.ask is Ask.ITEM, timeout=CALL_WAIT)
    assert flow.step is Step.CHOOSE and flow.item is None
    tap(qtbot, panel_role(app, "assist_yes"))
    at(qtbot, flow, Step.ITEM)
    assert flow.item is not None and flow.item.code == SUGGESTED
    assert dock.desk.stage is CallStage.CONNECTED       # the call goes on beside it

    # the citizen hangs up: both ends end
    tap(qtbot, panel_role(app, "hang_up"))
    qtbot.waitUntil(lambda: dock.desk.stage is CallStage.ENDED, timeout=CALL_WAIT)
    until(lambda: console.state() == "ended", "the console to see the hang-up")
    assert not panel.videos.remote.has_picture and not flow.idle.paused
    tap(qtbot, panel_role(app, "assist_back"))
    assert flow.step is Step.ITEM                         # where the citizen was

    # a second call, which the clerk ends
    place_call(qtbot, app)
    console.accept_first()
    qtbot.waitUntil(lambda: dock.desk.stage is CallStage.CONNECTED, timeout=CALL_WAIT)
    until(lambda: console.state() == "connected", "the second call connected")
    console.find("#hang-up").click()
    qtbot.waitUntil(lambda: dock.desk.stage is CallStage.ENDED, timeout=CALL_WAIT)
    assert dock.desk.end_words() is not None
    assert dock.desk.end_words().zh == "工作人员已结束通话"
    qtbot.waitUntil(lambda: app.call_bridge is not None and app.call_bridge.calls_alive == 0,
                    timeout=WAIT)


def test_the_network_drops_mid_call(qtbot, demo, console, kiosk) -> None:
    """Mid-call the namespace loses 127.0.0.2 (the media's address) and the platform stops
    answering: the kiosk says the call ended because of the network and the citizen is back
    where they were; the call's thread, its widgets' pictures and the engine are gone."""
    app, flow = kiosk, kiosk.flow
    dock = app.call_dock
    assert dock is not None
    identify(qtbot, demo, app, "R001")
    qtbot.waitUntil(lambda: dock.button.isVisible() and dock.button.isEnabled(), timeout=WAIT)
    # the panel exists after a first call; count from there
    tap(qtbot, dock.button)
    tap(qtbot, panel_role(app, "assist_cancel"))
    widgets_before, threads_before = alive()
    place_call(qtbot, app)
    console.accept_first()
    qtbot.waitUntil(lambda: dock.desk.stage is CallStage.CONNECTED, timeout=CALL_WAIT)
    qtbot.waitUntil(lambda: dock.panel.videos.remote.frames_painted > 0, timeout=CALL_WAIT)
    dropped = time.monotonic()
    subprocess.run(["ip", "addr", "del", "127.0.0.2/32", "dev", "lo"], check=True)
    demo.cut_network(True)
    try:
        qtbot.waitUntil(lambda: dock.desk.stage is CallStage.ENDED, timeout=45_000)
        REPORT["network_drop_to_ended_s"] = round(time.monotonic() - dropped, 1)
        assert "网络中断" in dock.desk.end_words().zh
        assert "网络中断" in dock.panel.status.text()
        assert flow.step is Step.CHOOSE and not flow.idle.paused
        # the clerk's side ends too, without any word from the kiosk (its line is down)
        until(lambda: console.state() == "ended", "the console to see the line drop",
              timeout_s=45)
        REPORT["network_drop_to_console_ended_s"] = round(time.monotonic() - dropped, 1)
        tap(qtbot, panel_role(app, "assist_back"))
        qtbot.waitUntil(lambda: app.call_bridge.calls_alive == 0, timeout=WAIT)
        widgets_after, threads_after = alive()
        REPORT["leak_check"] = {"widgets": [widgets_before, widgets_after],
                                "new_threads": sorted(threads_after - threads_before)}
        assert widgets_after == widgets_before
        assert threads_after - threads_before == set()
    finally:
        demo.cut_network(False)
        subprocess.run(["ip", "addr", "add", "127.0.0.2/32", "dev", "lo"], check=False)


def test_kiosk_assist_dial_reaches_the_console(qtbot, demo, console, tmp_path) -> None:
    """A technician's ``kiosk assist dial`` (test pattern, no Qt) answered in the console:
    it connects, frames flow both ways, its message reaches the clerk and the clerk's
    reaches it, and it hangs up after its seconds, which the console sees."""
    data = tmp_path / "dial"
    data.mkdir(mode=0o700)
    demo.enrol(data)
    dial = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli.main", "assist", "dial", "--seconds", "4",
         "--message", "你好，这是测试呼叫", "--wait", "30", "--json", "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        console.accept_first()
        until(lambda: console.state() == "connected", "the dialled call connected")
        console.chat("收到")
        out, err = dial.communicate(timeout=90)
    finally:
        if dial.poll() is None:
            dial.kill()
    assert dial.returncode == 0, out + err
    report = json.loads(out)
    REPORT["dial"] = {k: report[k] for k in ("frames_sent", "frames_received",
                                             "answer_to_first_frame_ms")}
    assert report["connected"] and report["frames_sent"] > 0 and report["frames_received"] > 0
    assert {"type": "chat", "text": "收到"} in report["messages_received"]
    assert "你好，这是测试呼叫" in " ".join(console.citizen_lines())
    until(lambda: console.state() == "ended", "the console to see the dial hang up")
    assert console.stats()["framesReceived"] > 0
