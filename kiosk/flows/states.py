"""The steps of a citizen session.

::

    ATTRACT → IDENTIFY → CHOOSE → ITEM → CONSENT → [FACE_CHECK] → FORM → REVIEW → SIGN → SUBMIT
       ▲         │          │       │        (face items)            │                     │
       │      REFUSED       │   AGENT_ONLY (explanation)             └→ PROOF (query_print) │
       │                    │       └→ HALLS (where to go; book a slot; also from FACE_CHECK)
       │                    │                                              │             RECEIPT
       └───────────────────────────── wipe ◀──────────────────────────── GOODBYE ◀──────┘

Any step after ATTRACT can be ended by the idle timer or (at a sensitive step) by the card
being taken away; both end in the one wipe. ERROR is shown when our code failed (a bug):
it offers only "start again".
"""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    ATTRACT = "attract"        # waiting for a card
    IDENTIFY = "identify"      # a card is being read
    REFUSED = "refused"        # the card cannot identify the citizen here (expired, ...)
    CHOOSE = "choose"          # departments, life events, "one thing", popular, search
    ITEM = "item"              # what the item is, time limit, fee, materials
    AGENT_ONLY = "agent_only"  # where and how it is done; the village agent can help
    HALLS = "halls"            # where to go: the halls' live queues, booking a slot (issue 19)
    CONSENT = "consent"        # authorise the use of shared data (or not)
    FACE_CHECK = "face_check"  # a face item: the person checked against the card (人证核验)
    FORM = "form"              # prefilled form with inline validation
    REVIEW = "review"          # everything once more before signing
    SIGN = "sign"              # signature pad
    SUBMIT = "submit"          # queued durably; waiting a few seconds for the case number
    RECEIPT = "receipt"        # slip printed and shown (case number or local number)
    PROOF = "proof"            # query_print: A4 proof preview, then print
    GOODBYE = "goodbye"        # take your card and receipt
    ERROR = "error"            # our code failed: apologise, start again


#: Steps at which a removed card ends the session at once (the form holds personal data
#: and nobody is identified any more).
SENSITIVE_STEPS = frozenset({Step.CONSENT, Step.FACE_CHECK, Step.FORM, Step.REVIEW, Step.SIGN})

#: Steps at which the citizen is expected to take the card: removal is not an interruption.
TAKE_CARD_STEPS = frozenset({Step.SUBMIT, Step.RECEIPT, Step.PROOF, Step.GOODBYE})

#: Steps that hold an identified citizen.
SESSION_STEPS = frozenset(Step) - {Step.ATTRACT, Step.IDENTIFY}


class PrefillState(StrEnum):
    """Where the platform's shared data for the form is (``CitizenFlow.prefill_state``)."""

    IDLE = "idle"              # not asked for (no consent, or not yet)
    LOADING = "loading"        # asked; the answer has not come
    DONE = "done"              # arrived and merged into the form
    FAILED = "failed"          # no shared data this time (PrefillOutcome says why)


class PrefillOutcome(StrEnum):
    """The platform's answer to a prefill request (``PrefillResult.outcome``), or to opening
    the card session it needs (``SessionResult.outcome``)."""

    OK = "ok"
    NOT_FOUND = "not_found"    # the platform holds nothing for this resident and item
    OFFLINE = "offline"        # no answer, or a server error: no session, no shared data
    REFUSED = "refused"        # 401/403
    NO_SESSION = "no_session"  # 403 no_session: the card session is gone (closed, expired)
    RATE_LIMITED = "rate_limited"  # 429 session_rate: this terminal opened too many sessions
    OUTSIDE_AREA = "outside_area"  # 403 outside_area: not a resident of the agent's area
    ERROR = "error"            # another answer, or one we could not read


class PrintState(StrEnum):
    """The receipt's or proof's printing (``CitizenFlow.print_state``)."""

    IDLE = "idle"              # nothing printing (a proof: previewed, ready to print)
    PREPARING = "preparing"    # a proof is being made (waiting for shared data or pages)
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"          # print_message (or notice) says why


class Topic(StrEnum):
    """What changed in a session, as the flow announces it to its subscribers (the screens
    redraw what concerns them). A ``StrEnum``, so a log line shows the plain word."""

    STEP = "step"                  # another step: show its screen
    PREFS = "prefs"                # language, elder mode or volume (kiosk.flows.prefs)
    WIPED = "wiped"                # the session ended: every widget empties itself
    IDLE = "idle"                  # the idle warning counts down, or was dismissed
    VALUES = "values"              # the form's values
    ERRORS = "errors"              # the form's checks
    PREFILL = "prefill"            # shared data arrived, or will not
    NOTICE = "notice"              # a notice for the citizen on the current screen
    SUBMIT = "submit"              # the application was queued
    CASE_NUMBER = "case_number"    # the platform's case number arrived
    PRINT = "print"                # the receipt's or proof's printing moved on
    FACE = "face"                  # the face check moved on (comparing, retry, refused)
    AHEAD = "ahead"                # "For you", the halls or a booking moved on (issue 19)
