"""Composition roots: the one place that builds configuration, devices, outbox and windows.

Nothing else in the application creates long-lived objects on its own; each part receives
what it needs from here, and everything started here is stopped here, in reverse order.

- ``wiring``: :class:`Wiring`, what the demo or a test points the app at instead of the
  configuration;
- ``parts``: what every mode builds alike (sync, prefill client, printer, tracking link);
- ``terminal``: :class:`~kiosk.app.terminal.TerminalApp`, what every mode shares (outbox,
  card readers, printer, heartbeat, technician mode);
- ``readers``: the ID-card and social-security card bridges, paused for a technician;
- ``citizen``: :class:`~kiosk.app.citizen.KioskApp`, the street kiosk;
- ``agent``: the village agent's laptop or tablet (:func:`~kiosk.app.agent.build_agent_mode`);
- ``technician_mode``: technician mode, built for citizen mode's hidden gesture and for
- ``technician``: technician mode on its own;
- ``launch``: :func:`~kiosk.app.launch.run`, ``kiosk run``: the Qt application, "ready",
  systemd, signals.

Importing this package, or ``wiring``, imports no Qt (``kiosk.demo.launcher`` uses
:class:`Wiring`); ``launch`` imports PySide6 once the command line is read, and each mode's
module is imported by ``launch.composition_root`` after that.
"""

from kiosk.app.wiring import Wiring

__all__ = ["Wiring"]


