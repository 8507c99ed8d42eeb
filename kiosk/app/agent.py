"""Agent mode: the village agent's laptop or tablet (``kiosk run --mode agent``).

The shared parts come from :class:`~kiosk.app.terminal.TerminalApp` (outbox, card readers,
receipt printer, heartbeat); :func:`kiosk.ui.agent.wiring.build_agent_mode` builds the rest
over them (sign-in, work list, the sync engine asking for the agent's session per item,
the dashboard, the window). An agent's first screen is the sign-in, which needs the
outbox and the catalog, so everything is opened before the window is shown; the agent's
terminal is not a street kiosk: no lockdown, a normal window, maximised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.app.terminal import TerminalApp

if TYPE_CHECKING:
    from kiosk.ui.agent.wiring import AgentMode
    from offline_queue.sync import SyncEngine
    from offline_queue.worker import SyncWorker


class AgentApp(TerminalApp):
    mode: AgentMode

    def open(self, *, show: bool = True) -> AgentApp:
        from kiosk.ui.agent.wiring import build_agent_mode

        self.open_services()
        assert self.invoker is not None and self.outbox is not None \
            and self.outbox_bridge is not None
        readers = self.open_readers()
        extra = self.wiring.extra
        self.mode = build_agent_mode(
            data_dir=self.data_dir, config=self.config, outbox=self.outbox,
            catalog=self.load_catalog(), invoker=self.invoker,
            outbox_bridge=self.outbox_bridge, idcard=readers.idcard,
            smartcard=readers.smartcard, printer=self.open_printer(),
            flow_settings=extra.get("flow"), retry_cap_s=extra.get("retry_cap_s"),
            offline_probe_s=extra.get("offline_probe_s", 15.0),
            tick_ms=extra.get("tick_ms", 1000),
            has_camera=None if self.wiring.probe_camera else (lambda: False))
        self.closers.append(self.mode.close)
        self.window = self.mode.window
        self.first_screen = self.window
        if show:
            self.window.showMaximized()
        return self

    def start_background(self) -> None:
        assert self.readers is not None and self.printer is not None
        self.readers.start()
        self.printer.check_status()
        super().start_background()

    def sync_parts(self) -> tuple[SyncEngine | None, SyncWorker | None]:
        return self.mode.engine, self.mode.worker
