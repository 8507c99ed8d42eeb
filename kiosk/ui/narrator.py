"""Speech prompts whenever the terminal speaks (elder mode, a headphone in, a citizen on the
keypad: ``Prefs.speaks``): each new screen's title and instruction, and the idle warning.
Only fixed prompts are spoken — never a form value, a name or an ID number (and
:func:`kiosk.ui.speech.speakable` masks any ID number that slipped in)."""

from __future__ import annotations

from kiosk.flows import CitizenFlow, IdlePhase, Step
from kiosk.flows.messages import tr
from kiosk.flows.states import Topic
from kiosk.ui.speech import Speaker

#: what is read aloud on entering each step (message keys)
PROMPTS: dict[Step, tuple[str, ...]] = {
    Step.ATTRACT: ("attract.prompt",),
    Step.IDENTIFY: ("identify.reading",),
    Step.REFUSED: ("refused.title", "refused.take"),
    Step.CHOOSE: ("choose.search",),
    Step.ITEM: ("item.materials",),
    Step.AGENT_ONLY: ("agent.title", "agent.helper"),
    Step.HALLS: ("halls.title", "halls.sorted"),
    Step.CONSENT: ("consent.title", "consent.body"),
    Step.FACE_CHECK: ("face.title",),
    Step.FORM: ("form.title",),
    Step.REVIEW: ("review.title",),
    Step.SIGN: ("sign.title", "sign.keypad_hint"),
    Step.SUBMIT: ("submit.saving",),
    Step.RECEIPT: ("receipt.printing",),
    Step.PROOF: ("proof.title",),
    Step.GOODBYE: ("goodbye.title", "goodbye.take"),
    Step.ERROR: ("error.title", "error.body"),
}


class Narrator:
    def __init__(self, flow: CitizenFlow, speaker: Speaker) -> None:
        self.flow, self.speaker = flow, speaker
        self._warned = False
        self._halls_said: list[str] = []
        self._unsubscribe = flow.subscribe(self._on_topic)

    def _on_topic(self, topic: Topic) -> None:
        if not self.flow.prefs.speaks:
            return
        lang = self.flow.language
        if topic in (Topic.STEP, Topic.PREFS):
            self._warned = False
            self._halls_said = []
            self.speaker.stop()
            for key in PROMPTS.get(self.flow.step, ()):
                self.speaker.say(tr(key, lang), lang)
        elif topic is Topic.FACE and self.flow.face_prompt_key is not None:
            # what the face check asks now (look straight, turn left...): said at once
            self.speaker.stop()
            self.speaker.say(tr(self.flow.face_prompt_key, lang), lang)
        elif topic is Topic.AHEAD and self.flow.step is Step.CHOOSE:
            # "For you" arrived (or will not): its items, reasons and dates read out
            self.speaker.stop()
            for text in self.flow.for_you_spoken():
                self.speaker.say(text, lang)
        elif topic is Topic.AHEAD and self.flow.step is Step.HALLS:
            # a refusal in words, or the booking's ticket, time and hall: said once each
            said = self.flow.halls_spoken()
            if said and said != self._halls_said:
                self._halls_said = said
                self.speaker.stop()
                for text in said:
                    self.speaker.say(text, lang)
        elif topic is Topic.IDLE:
            status = self.flow.idle_status()
            if status.phase is IdlePhase.WARNING and not self._warned:
                self._warned = True
                self.speaker.say(tr("idle.title", lang), lang)
                self.speaker.say(tr("idle.countdown", lang, seconds=status.seconds_left), lang)
            elif status.phase is IdlePhase.ACTIVE:
                self._warned = False

    def close(self) -> None:
        self._unsubscribe()
