"""Composition roots: the one place that builds configuration, devices, outbox and windows.

Nothing else in the application creates long-lived objects on its own; each part receives
what it needs from here, and everything started here is stopped here, in reverse order.

- ``wiring``: :class:`Wiring`, what the demo or a test points the app at instead of the
  configuration;
- ``terminal``: :class:`~kiosk.app.terminal.TerminalApp`, what every mode shares (outbox,
  card readers, printer, heartbeat, technician mode);
- ``readers``: the ID-card and social-security card bridges, paused for a technician;
- ``citizen``: :class:`KioskApp`, the street kiosk;
- ``agent``: the village agent's laptop or tablet;
- ``technician``: technician mode on its own;
- ``launch``: :func:`run`, ``kiosk run``: the Qt application, "ready", systemd, signals.

Importing this package imports no Qt (``kiosk.demo.launcher`` uses :class:`Wiring`); the
modules import PySide6 inside the functions that build windows.
"""

from typing import TYPE_CHECKING

from kiosk.app.wiring import Wiring

if TYPE_CHECKING:                       # imported when asked for: __getattr__ below
    from kiosk.app.citizen import KioskApp
    from kiosk.app.launch import run

__all__ = ["KioskApp", "Wiring", "run"]


def __getattr__(name: str) -> object:
    # The citizen app and the launcher are imported when asked for, so that importing
    # Wiring (the demo launcher, Qt-free) does not pull them in.
    if name == "KioskApp":
        from kiosk.app.citizen import KioskApp

        return KioskApp
    if name == "run":
        from kiosk.app.launch import run

        return run
    raise AttributeError(f"module 'kiosk.app' has no attribute {name!r}")
