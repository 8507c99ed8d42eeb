"""Whether the kiosk offers video help, as its bridge finds out (kiosk.ui.bridges.assist):
from the platform's health answer first, then ``GET /v1/assist/config`` (real sandboxes on
127.0.0.1, a clerk on duty on both). A platform that does not name the ``assist``
extension is never asked for the config, even though this sandbox would answer it: a
feature is used only when the platform says it offers it."""

from __future__ import annotations

from pathlib import Path

from central.platform import SandboxServer, SandboxSettings
from civic.assist import AssistConfig
from civic.extensions import Extension
from kiosk.ui.bridges.assist import AssistBridge
from kiosk.ui.bridges.invoker import GuiInvoker
from kiosk.ui.face_frames import FrameSource
from tests.offline_queue.test_platform_assist import clerk_on_duty, client_for


def checked(qtbot, sandbox: SandboxServer, data_dir: Path) -> AssistConfig | None:
    clerk = clerk_on_duty(sandbox)
    client = client_for(sandbox, data_dir)
    bridge = AssistBridge(GuiInvoker(), client, frames=FrameSource)
    answers: list[AssistConfig | None] = []
    try:
        bridge.check(answers.append)
        qtbot.waitUntil(lambda: answers != [], timeout=10_000)
    finally:
        bridge.close()
        client.close()
        clerk.close()
    return answers[0]


def test_a_platform_offering_video_help_with_a_clerk_on_duty(qtbot, sandbox: SandboxServer,
                                                             data_dir: Path) -> None:
    config = checked(qtbot, sandbox, data_dir)
    assert config is not None and config.available and config.hours.zh


def test_an_older_platform_is_not_asked(qtbot, tmp_path: Path, data_dir: Path) -> None:
    older = SandboxSettings(tmp_path / "older", extensions=(
        Extension.SESSIONS, Extension.IDENTITY, Extension.RECORDS))
    with SandboxServer(older) as server:
        asked: list[str] = []
        handle = server.platform.handle
        server.platform.handle = lambda request: (asked.append(request.path),  # type: ignore[method-assign]
                                                  handle(request))[1]
        assert checked(qtbot, server, data_dir) is None
    assert "/v1/health" in asked and "/v1/assist/config" not in asked
