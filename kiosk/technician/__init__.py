"""Technician mode as plain Python: the services the technician's screens call (no Qt).

* :mod:`.discovery` — serial ports probed for ID-card readers, PC/SC readers, printers
  (shared with ``kiosk devices list``), and suggested settings;
* :mod:`.console` — :class:`TechnicianConsole`: device tests, enrolment, configuration,
  queue counts, logs, leaving kiosk mode; every action audited;
* :mod:`.gate` — the technician PIN with a persisted lock-out;
* :mod:`.audit` — the append-only, hash-chained local audit log.

See ``docs/agent-technician.md``.
"""
