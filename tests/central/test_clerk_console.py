"""The clerk's console in a real browser (headless Chromium through Selenium): a clerk signs
in, and a call a terminal places appears in the queue with its Accept button.

The whole call (media, data channel) is the end-to-end test's; this one checks that the page
loads under its Content-Security-Policy, signs in, and keeps the clerk on duty by polling.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central import admin
from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PIN = "135790"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
           "/usr/bin/chromedriver): apt-get install chromium chromium-driver")

# Headless flags that let Chromium run WebRTC with fake devices (see
# ../shared/reference/face-and-video-setup.md), without reaching the network.
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu",
         "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
         "--allow-loopback-in-peer-connection",
         "--disable-features=WebRtcHideLocalIpsWithMdns", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    settings = SandboxSettings(tmp_path_factory.mktemp("console") / "central",
                               workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings) as running:
        admin.add_clerk(settings.data_dir, "C001", PIN, "王窗口")
        yield running


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def _until(check: Any, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s")


def _kiosk(server: SandboxServer) -> httpx.Client:
    code = admin.issue_enrollment_code(server.platform.settings.data_dir, "kiosk")
    token = httpx.post(f"{server.url}/v1/devices/enroll", json={
        "enrollment_code": code, "kind": "kiosk",
        "site": {"region_code": "330110", "name": "良渚街道便民服务中心"}}).json()["token"]
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"},
                        timeout=10)


def test_a_clerk_signs_in_and_sees_a_waiting_call(server: SandboxServer, browser: Any) -> None:
    """A wrong PIN shows #sign-in-error; the right one shows the desk, the clerk goes on
    duty, and a call the kiosk then places is listed as li[data-call-id] with an Accept
    button; the language toggle switches the page to English."""
    from selenium.webdriver.common.by import By

    browser.get(f"{server.url}/clerk/")
    assert browser.find_element(By.ID, "call-status").get_attribute("data-state") == "idle"
    browser.find_element(By.ID, "number").send_keys("C001")
    browser.find_element(By.ID, "pin").send_keys("000000")
    browser.find_element(By.ID, "sign-in").click()
    error = browser.find_element(By.ID, "sign-in-error")
    _until(error.is_displayed)
    assert "密码" in error.text
    browser.find_element(By.ID, "pin").clear()
    browser.find_element(By.ID, "pin").send_keys(PIN)
    browser.find_element(By.ID, "sign-in").click()
    _until(browser.find_element(By.ID, "desk-view").is_displayed)

    with _kiosk(server) as kiosk:
        _until(lambda: kiosk.get("/v1/assist/config").json()["available"])
        placed = kiosk.post("/v1/assist/calls", json={
            "offer": {"type": "offer", "sdp": "v=0\r\n"}, "language": "zh"})
        assert placed.status_code == 201, placed.text
        call_id = placed.json()["call_id"]
        row = _until(lambda: browser.find_elements(
            By.CSS_SELECTOR, f'#queue li[data-call-id="{call_id}"]'))[0]
        assert "良渚街道便民服务中心" in row.text
        accept = row.find_element(By.CSS_SELECTOR, "button.accept")
        assert accept.is_enabled() and accept.text == "接听"
        kiosk.delete(f"/v1/assist/calls/{call_id}")

    browser.find_element(By.ID, "lang").click()
    assert browser.find_element(By.ID, "hang-up").text == "Hang up"
    stats = browser.execute_script("return window.clerkConsole.stats()")
    assert stats["state"] == "idle" and stats["framesReceived"] == 0
    console_log = browser.get_log("browser")
    assert not any("Content Security Policy" in entry["message"] for entry in console_log)
