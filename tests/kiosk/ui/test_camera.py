"""The document camera: a live Qt Multimedia capture where a camera exists, the sample
document where none does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from kiosk.ui.camera import CameraOverlay

# Qt Multimedia's FFmpeg backend says, once, which optional libraries (PipeWire, VA-API) it
# did not find: the machine's make-up, not a failure of ours.
pytestmark = pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) .* (library|symbols)")


@pytest.fixture
def host(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def test_camera_gone_since_the_probe_falls_back_to_the_sample(qtbot, host) -> None:
    """When the probe said "camera" but none can be opened, the overlay says it shows a
    sample and still gives a cropped picture to use."""
    from PySide6.QtMultimedia import QMediaDevices

    if QMediaDevices.videoInputs():
        pytest.skip("a real video input exists here; the live test covers it")
    got: list[bytes] = []
    overlay = CameraOverlay(host, lambda: "en", has_camera=lambda: True)
    overlay.open_camera(got.append)
    assert overlay.live is None and overlay.demo_note.isVisible()
    overlay.take()
    assert overlay.view.has_image() and overlay.use.isVisible()
    overlay.accept()
    assert got and got[0].startswith(b"\x89PNG") and not overlay.isVisible()


def test_live_camera_previews_and_captures(qtbot, host) -> None:
    """With a video input, the overlay shows live frames, "take picture" captures through
    QImageCapture, the picture is cropped and handed over, and closing frees the device."""
    from PySide6.QtMultimedia import QMediaDevices

    if not QMediaDevices.videoInputs():
        pytest.skip("Qt Multimedia offers no video input here (no /dev/video* camera or "
                    "v4l2loopback device): only the sample-document path can run")
    got: list[bytes] = []
    overlay = CameraOverlay(host, lambda: "zh", has_camera=None)
    overlay.open_camera(got.append)
    assert overlay.live is not None and not overlay.demo_note.isVisible()
    live = overlay.live
    qtbot.waitUntil(lambda: live.active and overlay.view.has_image(), timeout=10_000)
    qtbot.waitUntil(live.ready_to_capture, timeout=10_000)
    overlay.take()
    qtbot.waitUntil(overlay.use.isVisible, timeout=10_000)
    overlay.accept()
    assert got and got[0].startswith(b"\x89PNG")
    assert overlay.live is None and not live.active


def test_a_configured_document_camera_that_is_not_connected_is_said(qtbot, host,
                                                                      caplog) -> None:
    """devices.document_camera names a camera Qt Multimedia does not list (here it lists
    none): no other camera and no sample stands in; the overlay says so in both languages
    (no "take picture"), and the technician's log names the camera it looked for."""
    import logging

    from PySide6.QtMultimedia import QMediaDevices

    from kiosk.flows.messages import MESSAGES
    from kiosk.ui.camera_choice import camera_info

    if any(camera_info(d).is_named("高拍仪 GP-1000") for d in QMediaDevices.videoInputs()):
        pytest.skip("a camera of that very name is connected here")
    for language in ("zh", "en"):
        overlay = CameraOverlay(host, lambda lang=language: lang, has_camera=lambda: True,
                                document_camera="高拍仪 GP-1000")
        with caplog.at_level(logging.WARNING, logger="kiosk.ui.camera"):
            overlay.open_camera(lambda _png: None)
        assert overlay.live is None and overlay.demo_note.isVisible()
        assert overlay.demo_note.text() == getattr(MESSAGES["camera.missing"], language)
        assert not overlay.shoot.isVisible() and not overlay.use.isVisible()
        overlay.close_camera()
    missing = [r for r in caplog.records if r.getMessage() == "document_camera.missing"]
    assert [r.ctx for r in missing] == [{"configured": "高拍仪 GP-1000"}] * 2
