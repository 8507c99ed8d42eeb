"""Which camera is the face camera and which the document camera: one rule for both, on
what Qt Multimedia lists here (nothing: this machine has no camera) and on the
descriptions and ids a terminal's Qt would list (QCameraDevice cannot be made with a
description of our choosing without hardware, so those are plain data)."""

from __future__ import annotations

import pytest

from kiosk.ui.camera_choice import CameraChoice, CameraInfo, ChoiceKind, choose_camera

FACE = CameraInfo("/dev/video0", "USB2.0 HD UVC WebCam")
TRAY = CameraInfo("/dev/video2", "高拍仪 GP-1000")


def test_on_what_qt_lists_here() -> None:
    """The real QMediaDevices answer (empty on this machine): no camera, and a configured
    one is missing, for either role; the live camera and the face camera refuse."""
    from PySide6.QtMultimedia import QMediaDevices

    from kiosk.ui.camera_choice import camera_info
    from kiosk.ui.camera_live import CameraMissing, LiveCamera
    from kiosk.ui.face_frames import CameraFrames

    listed = [camera_info(d) for d in QMediaDevices.videoInputs()]
    if listed:
        pytest.skip("a camera is connected here: the plain-data tests cover the rule")
    assert choose_camera(listed, "") == CameraChoice(ChoiceKind.NONE)
    assert choose_camera(listed, "高拍仪 GP-1000") == CameraChoice(ChoiceKind.MISSING)
    with pytest.raises(CameraMissing):
        LiveCamera("高拍仪 GP-1000")
    with pytest.raises(LookupError) as plain:
        LiveCamera()
    assert not isinstance(plain.value, CameraMissing)
    with pytest.raises(LookupError):
        CameraFrames("USB2.0 HD UVC WebCam")


@pytest.mark.parametrize(("configured", "avoid", "expected"), [
    ("高拍仪 GP-1000", "", CameraChoice(ChoiceKind.CONFIGURED, 1)),      # by description
    ("/dev/video2", "", CameraChoice(ChoiceKind.CONFIGURED, 1)),         # by id
    ("", "", CameraChoice(ChoiceKind.FIRST, 0)),                         # none set: first
    ("", "USB2.0 HD UVC WebCam", CameraChoice(ChoiceKind.FIRST, 1)),     # not the other's
    ("Document Cam X", "", CameraChoice(ChoiceKind.MISSING)),            # said, not replaced
    ("高拍仪", "", CameraChoice(ChoiceKind.MISSING)),                     # a part is no name
])
def test_the_rule_on_the_descriptions_a_terminal_lists(configured, avoid, expected) -> None:
    assert choose_camera([FACE, TRAY], configured, avoid=avoid) == expected


def test_without_the_other_camera_nothing_is_first() -> None:
    """Only the document camera connected, none configured for the face: the face camera is
    not the tray's camera."""
    assert choose_camera([TRAY], "", avoid="/dev/video2") == CameraChoice(ChoiceKind.NONE)
