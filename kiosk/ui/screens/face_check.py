"""The person-to-card check (人证核验): the camera picture inside a face guide, a random
head-turn asked in words, a drawn picture and speech, then the comparison; or why the
check cannot be made here, or the agent's confirmation.

What to ask comes from the capture (:mod:`kiosk.flows.face_capture`: "look straight", then
the turn), what it means from the flow (:mod:`kiosk.flows.face_steps`). The frames go through
one pipeline (:mod:`kiosk.ui.face_frames`), started on entering and stopped on leaving and at
the wipe: no frame outlives the check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.flows.face_capture import CaptureStage, LivenessCapture
from kiosk.flows.face_check import FacePhase, FaceRoute, RefusalReason
from kiosk.flows.states import Topic
from kiosk.ui.accessible import describe
from kiosk.ui.face_drawing import GuideView, TurnPicture
from kiosk.ui.screens.base import Screen

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from kiosk.ui.face_frames import FacePipeline

log = logging.getLogger(__name__)

#: makes the screen's frame pipeline (kiosk.ui.bridges.faces.FaceBridge.pipeline)
PipelineFactory = Callable[["QObject"], "FacePipeline"]

#: what is asked at each stage of the capture (messages.py keys; the turn by challenge)
STAGE_PROMPTS = {CaptureStage.STRAIGHT: "face.straight", CaptureStage.NO_FACE: "face.look",
                 CaptureStage.TOO_SMALL: "face.closer", CaptureStage.SEVERAL: "face.one_person",
                 CaptureStage.DONE: "face.comparing"}


class FaceCheckScreen(Screen):
    step = Step.FACE_CHECK
    topics = frozenset({Topic.FACE, Topic.PREFILL, Topic.NOTICE})

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.make_pipeline: PipelineFactory | None = None
        self.no_camera = False               # the camera could not be opened this session
        self.pipeline: FacePipeline | None = None
        self.run: LivenessCapture | None = None
        self.title = self.label("title")
        self.body = self.label()
        self.guide = GuideView(self)
        self.picture = TurnPicture(self)
        self.prompt = self.label("big", align=Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.notice = self.label("notice")
        self.back = self.button(self.flow.back, name="back")
        self.cannot = self.button(self.flow.face_cannot, name="face_cannot")
        self.retry = self.button(self.flow.face_retry, primary=True, name="face_retry")
        self.attest = self.button(self.flow.attest_identity, primary=True, name="face_attest")
        self.finish = self.button(self.flow.restart, primary=True, name="face_finish")
        # sent to a hall: which one, how long its queue is, and a booking (issue 19)
        self.halls = self.button(self.flow.find_halls, name="find_halls")
        middle = QHBoxLayout()
        middle.setSpacing(24)
        middle.addWidget(self.guide, 3)
        middle.addWidget(self.picture, 1)
        for label in (self.title, self.body):
            self.root.addWidget(label)
        self.root.addLayout(middle, 1)
        for widget in (self.prompt, self.progress, self.notice):
            self.root.addWidget(widget)
        self.root.addLayout(self.row(self.back, self.cannot, self.retry, self.attest,
                                     self.halls, self.finish, stretch_first=True))
        self._prompt_key = "face.straight"

    # -- life cycle -------------------------------------------------------------------------
    def enter(self) -> None:
        super().enter()
        self._follow()

    def leave(self) -> None:
        self._stop()
        super().leave()

    def clear(self) -> None:
        self._stop()
        self.guide.clear()
        self.no_camera = False

    def _on_topic(self, topic: Topic) -> None:
        super()._on_topic(topic)
        if topic in (Topic.FACE, Topic.PREFILL):
            self._follow()

    # -- the camera ---------------------------------------------------------------------------
    def _capturing_route(self) -> bool:
        return self.flow.face_route in (FaceRoute.PLATFORM, FaceRoute.CARD_PHOTO)

    def _follow(self) -> None:
        """Run the camera while a face can be captured; start a capture when one is due."""
        if self.flow.step is not Step.FACE_CHECK or not self._capturing_route() \
                or self.flow.face_phase is FacePhase.REFUSED:
            self._stop()
            return
        if self.pipeline is None and self.make_pipeline is not None and not self.no_camera:
            try:
                self.pipeline = self.make_pipeline(self)
            except LookupError:           # no face camera (unplugged, never configured)
                log.warning("face_camera.missing", extra={"ctx": {}})
                self.no_camera = True
                self.redraw()
                return
            self.pipeline.preview.connect(self._preview)
            self.pipeline.stage.connect(self.show_stage)
            self.pipeline.captured.connect(self.flow.face_captured)
            self.pipeline.failed.connect(self._start_capture)
            self.pipeline.unavailable.connect(self._engine_missing)
            self.pipeline.start()
        if self.flow.face_phase is FacePhase.READY and (self.run is None
                                                        or self.run.stage is CaptureStage.DONE):
            self._start_capture()

    def _engine_missing(self) -> None:
        """No face engine on this terminal: nothing can be checked here (said like a
        missing camera; the technician's log says why)."""
        self.no_camera = True
        self._stop()
        self.redraw()

    def _start_capture(self) -> None:
        if self.pipeline is None or self.flow.face_phase is FacePhase.COMPARING:
            return
        self.run = LivenessCapture()
        self.pipeline.capture(self.run)
        self.show_stage(CaptureStage.STRAIGHT)
        self.redraw()

    def _stop(self) -> None:
        if self.pipeline is not None:
            self.pipeline.stop()
            self.pipeline.deleteLater()
            self.pipeline = None
        if self.run is not None:
            self.run.drop()
            self.run = None
        self.guide.clear()

    def _preview(self, image: QImage) -> None:
        self.guide.show_frame(image)

    def show_stage(self, stage: CaptureStage) -> None:
        run = self.run
        key = f"face.{run.challenge}" if stage is CaptureStage.TURN and run is not None \
            else STAGE_PROMPTS[stage]
        if stage is not CaptureStage.NO_FACE:
            self.flow.activity()          # someone is there, moving: not idle
        source = self.pipeline.source if self.pipeline is not None else None
        act = getattr(source, "act", None)
        if act is not None and run is not None:
            act(stage, str(run.challenge))   # the synthetic citizen does as asked
        if key != self._prompt_key:
            self._prompt_key = key
            self.flow.face_prompt(key)       # spoken (the narrator), then redrawn here

    # -- drawing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        flow, route, phase = self.flow, self.flow.face_route, self.flow.face_phase
        if self.no_camera and self._capturing_route():
            route = FaceRoute.NOT_HERE      # nothing to look into: say where it can be done
        camera = route in (FaceRoute.PLATFORM, FaceRoute.CARD_PHOTO) \
            and phase is not FacePhase.REFUSED
        busy_key = {FaceRoute.PENDING: "face.pending"}.get(route) or \
            ("face.comparing" if phase is FacePhase.COMPARING and camera else None) or \
            ("face.starting" if camera and not self.guide.has_frame() else None)
        title, body = "face.title", "face.body"
        if route is FaceRoute.AGENT:
            title, body = "face.agent_title", "face.agent_body"
        elif route is FaceRoute.NOT_HERE:
            title = "face.not_here_title"
            body = "face.not_here_declined" if flow.consent is not True \
                else "face.no_camera" if self.no_camera else "face.not_here_offline"
        elif phase is FacePhase.REFUSED:
            title = "face.refused_title"
            body = "face.refused_cannot" if flow.face_refusal is RefusalReason.CANNOT \
                else "face.refused_failed"
        self.title.setText(self.t(title))
        self.body.setText(self.t(body))
        self.guide.setVisible(camera)
        self.picture.setVisible(camera)
        turn = self._prompt_key in ("face.turn_left", "face.turn_right")
        self.picture.set_direction(self._prompt_key.removeprefix("face.turn_") if turn
                                   else "straight")
        describe(self.guide, self.t("face.guide"))
        describe(self.picture, self.t("face.picture", what=self.t(self._prompt_key)))
        ended = route is FaceRoute.NOT_HERE or phase is FacePhase.REFUSED
        asking = camera and phase is FacePhase.READY
        self.prompt.setVisible(asking or ended)
        self.prompt.setText(self.t("refused.take") if ended else
                            self.t("face.starting") if busy_key == "face.starting" else
                            self.t(self._prompt_key))
        self.progress.setVisible(busy_key is not None)
        describe(self.progress, self.t(busy_key or "face.progress"))
        request = flow.face_request
        notice = request.get(flow.language) if request is not None and camera else ""
        if phase is FacePhase.RETRY and camera:
            notice = self.t("face.no_match", count=flow.face_tries_left)
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.back.setVisible(not ended or route is FaceRoute.NOT_HERE)
        self.cannot.setVisible(camera)
        self.retry.setVisible(camera and phase is FacePhase.RETRY)
        self.attest.setVisible(route is FaceRoute.AGENT)
        self.finish.setVisible(ended)
        self.halls.setVisible(ended and flow.offers_halls and route is not FaceRoute.AGENT)
        self.halls.setText(self.t("halls.find"))
        self.back.setText(self.t("nav.back"))
        self.cannot.setText(self.t("face.cannot"))
        self.retry.setText(self.t("face.retry"))
        self.attest.setText(self.t("face.agent_confirm"))
        self.finish.setText(self.t("face.finish"))
        size = 260 if self.theme.elder else 200
        self.picture.setMinimumSize(size, size)
