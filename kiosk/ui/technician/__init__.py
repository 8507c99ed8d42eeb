"""Technician mode's screens (Qt): thin views over :mod:`kiosk.technician`.

* :mod:`.window` — :class:`TechnicianWindow`: the PIN gate, then a page per task;
* :mod:`.gate`, :mod:`.devices`, :mod:`.platform`, :mod:`.settings`, :mod:`.queue`,
  :mod:`.logs` — one page each; every action goes through ``TechnicianConsole`` (audited)
  on a worker thread (device I/O and HTTP never on the GUI thread).

They are put together in :mod:`kiosk.app.technician_mode`.
"""
