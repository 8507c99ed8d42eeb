"""Technician mode on its own (``kiosk run --mode technician``): installing or repairing a
terminal before (or instead of) it serves anyone.

No card reader or printer is opened by the app here: the technician's tests open them,
each port having one owner at a time. The outbox is opened for its counts and dead items,
and the fleet heartbeat runs, so an enrolment or a printer running out of paper during a
test reaches the platform's fleet view at once. The mode itself is built by
:func:`kiosk.app.technician_mode.build_technician_mode`, as citizen mode builds it.
"""

from __future__ import annotations

from kiosk.app.terminal import TerminalApp


class TechnicianApp(TerminalApp):
    def open(self, *, show: bool = True) -> TechnicianApp:
        self.open_services()
        # the heartbeat exists before technician mode, which wakes it after an enrolment
        self.start_heartbeat()
        self.window = self.technician_mode().window
        self.window.setWindowTitle("技术人员模式 Technician mode")
        self.first_screen = self.window
        if show:
            self.window.resize(1280, 800)
            self.window.showMaximized()
        return self
