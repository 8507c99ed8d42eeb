"""The citizen session as plain Python: states, transitions, idle logic, submissions (no Qt).

* :mod:`.states` — the steps of a session (:class:`Step`, a ``StrEnum``) and the states
  of its prefill and printing (:class:`PrefillState`, :class:`PrefillOutcome`,
  :class:`PrintState`);
* :mod:`.session` — :class:`CitizenFlow`, the state machine the screens read and drive;
  put together from :mod:`.core` (state, steps, wipe), :mod:`.cards`, :mod:`.form` and
  :mod:`.printing` (submit, receipt, proof);
* :mod:`.idle` — :class:`IdleTracker`, inactivity → warning with countdown → expiry;
* :mod:`.face_check`, :mod:`.face_steps`, :mod:`.face_capture`, :mod:`.face_compare`,
  :mod:`.face_threshold` — the person-to-card check of items that need one: where a face
  is compared, the step's rules, the liveness capture of the best frame, the two
  comparisons (blocking), and the card-photo threshold applied (the terminal's or the
  platform's, the stricter);
* :mod:`.submission` — the platform-API Submission built from a finished session;
* :mod:`.services` — what the flow needs from the outside world (prefill, printing), as
  protocols; the Qt side implements them on worker threads and calls back on the GUI thread;
* :mod:`.messages` — every user-visible string, Chinese first and English, by key.

The flow never imports Qt and never does I/O on its own beyond ``Outbox.enqueue`` (which is
a local, durable write the citizen must wait for anyway). Devices and the network reach it
through methods the composition root calls on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.flows.idle import IdlePhase, IdleTracker
from kiosk.flows.states import SENSITIVE_STEPS, PrefillOutcome, PrefillState, PrintState, Step

if TYPE_CHECKING:
    from kiosk.flows.session import CitizenFlow, FlowSettings

__all__ = ["SENSITIVE_STEPS", "CitizenFlow", "FlowSettings", "IdlePhase", "IdleTracker",
           "PrefillOutcome", "PrefillState", "PrintState", "Step"]


def __getattr__(name: str) -> Any:
    # The session module is imported on first use, not with the package: the first screen
    # needs only the steps (start-up time, bench/startup.py).
    if name in ("CitizenFlow", "FlowSettings"):
        from kiosk.flows import session

        return getattr(session, name)
    raise AttributeError(name)
