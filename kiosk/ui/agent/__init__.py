"""Agent mode's screens (Qt): thin views over :mod:`kiosk.agent` and the citizen flow.

* :mod:`.window` — :class:`AgentWindow`: top bar, a stack of pages that follows
  :class:`kiosk.agent.visit.AgentVisit`, inactivity sign-out, the card reader's events;
* :mod:`.signin`, :mod:`.worklist`, :mod:`.resident`, :mod:`.queue`, :mod:`.correct` —
  one page each; :mod:`.visit` hosts the citizen flow's own screens (item, consent, form,
  review, signature, receipt); :mod:`.syncpanel` — the sync button, progress, last sync;
* :mod:`.tasks` — platform calls on a worker thread, answers back on the GUI thread.

They are put together in :mod:`kiosk.app.agent` (:func:`~kiosk.app.agent.build_agent_mode`).

See ``docs/agent-technician.md`` ("The screens").
"""
