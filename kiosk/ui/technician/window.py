"""Technician mode's window: the gate, then one page per task behind a row of tabs.

A plain ``QWidget`` so that it can be a window of its own (``kiosk run --mode technician``)
or a page of the citizen window's stack (the hidden gesture). The console (audited) is
made when the gate lets a technician in, named after them, and dropped when they leave.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from kiosk.fleet import DeviceStates
from kiosk.technician.console import TechnicianConsole
from kiosk.technician.gate import TechnicianGate
from kiosk.ui import chrome
from kiosk.ui.accessible import keyboard_reachable, label_controls
from kiosk.ui.agent.page import translate
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.lockdown import SessionEventFilter
from kiosk.ui.technician.devices import DevicesPage
from kiosk.ui.technician.gate import GatePage
from kiosk.ui.technician.logs import LogsPage
from kiosk.ui.technician.page import TechPage
from kiosk.ui.technician.platform import PlatformPage
from kiosk.ui.technician.queue import TechQueuePage
from kiosk.ui.technician.settings import SettingsPage
from kiosk.ui.technician.texts import TEXTS
from kiosk.ui.theme import NORMAL, stylesheet

TABS = ("devices", "platform", "settings", "queue", "logs")
#: a console left open this long without a touch or key closes (back to the gate, and to
#: citizen mode when entered through the gesture): a street kiosk must not stay unlocked
IDLE_EXIT_S = 300.0


class TechnicianWindow(QWidget):
    def __init__(self, gate: TechnicianGate, make_console: Callable[[str], TechnicianConsole],
                 tasks: Tasks, *, devices: DeviceStates | None = None,
                 on_enrolled: Callable[[], None] = lambda: None,
                 on_leave: Callable[[int], None] = lambda _status: None,
                 on_exit: Callable[[], None] | None = None, export_dir: Path | None = None,
                 language: str = "zh", idle_exit_s: float = IDLE_EXIT_S,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen_technician")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(stylesheet(NORMAL))
        self._make_console, self.tasks, self._on_exit = make_console, tasks, on_exit
        self.language = language
        self.technician_console: TechnicianConsole | None = None
        lang = lambda: self.language  # noqa: E731
        layout = chrome.column(self)
        layout.addWidget(self._top_bar())
        self.tabs: dict[str, QPushButton] = {}
        tab_row = QHBoxLayout()
        tab_row.setContentsMargins(24, 12, 24, 0)
        for name in TABS:
            button = QPushButton(self)
            button.setCheckable(True)
            keyboard_reachable(button)
            button.setProperty("role", f"tab:{name}")
            button.clicked.connect(lambda _c=False, n=name: self.show_tab(n))
            tab_row.addWidget(button)
            self.tabs[name] = button
        tab_row.addStretch(1)
        self.tab_bar = QWidget(self)
        self.tab_bar.setLayout(tab_row)
        layout.addWidget(self.tab_bar)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        self.gate_page = GatePage(gate, tasks, self.open_console, lang, self.stack)
        self.stack.addWidget(self.gate_page)
        console = self._console
        self.pages: dict[str, TechPage] = {
            "devices": DevicesPage(console, tasks, lang, devices, self.stack),
            "platform": PlatformPage(console, tasks, lang, on_enrolled, self.stack),
            "settings": SettingsPage(console, tasks, lang, self.stack),
            "queue": TechQueuePage(console, tasks, lang, self.stack),
            "logs": LogsPage(console, tasks, lang, on_leave, export_dir, self.stack),
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.idle_exit_s = idle_exit_s
        self._last_activity = time.monotonic()
        self._filter = SessionEventFilter(self._activity, lockdown=False, parent=self)
        self._idle = QTimer(self)
        self._idle.setInterval(1000)
        self._idle.timeout.connect(self._check_idle)
        self.current = "gate"
        self.show_gate()

    def _top_bar(self) -> QWidget:
        bar, row, self.title = chrome.top_bar(self)
        self.who = QLabel(bar)
        self.language_button = QPushButton(bar)
        self.exit_button = QPushButton(bar)
        self.exit_button.setProperty("role", "exit")
        self.language_button.setProperty("role", "language")
        keyboard_reachable(self.language_button, self.exit_button)
        self._bar = bar
        self.language_button.clicked.connect(lambda _c=False: self.set_language(
            "en" if self.language == "zh" else "zh"))
        self.exit_button.clicked.connect(lambda _c=False: self.exit())
        row.addWidget(self.title)
        row.addWidget(self.who, 1)
        chrome.add_all(row, self.language_button, self.exit_button)
        return bar

    def _console(self) -> TechnicianConsole:
        if self.technician_console is None:
            raise RuntimeError("no technician has entered")   # pages are shown only after
        return self.technician_console

    # -- navigation ----------------------------------------------------------------------
    def show_gate(self) -> None:
        if self.technician_console is not None:
            self._idle.stop()
            app = QApplication.instance()
            assert app is not None              # a widget exists only in an application
            app.removeEventFilter(self._filter)
        self.technician_console = None
        for page in self.pages.values():
            page.clear()
        self.current = "gate"
        self.tab_bar.hide()
        self.stack.setCurrentWidget(self.gate_page)
        self.gate_page.enter()
        self.refresh()

    def open_console(self, technician: str) -> None:
        self.technician_console = self._make_console(technician)
        self._activity()
        app = QApplication.instance()
        assert app is not None                  # a widget exists only in an application
        app.installEventFilter(self._filter)
        self._idle.start()
        self.tab_bar.show()
        self.show_tab("devices")

    def show_tab(self, name: str) -> None:
        if self.technician_console is None:
            return
        self.current = name
        for tab, button in self.tabs.items():
            button.setChecked(tab == name)
        page = self.pages[name]
        self.stack.setCurrentWidget(page)
        page.enter()  # type: ignore[attr-defined]
        self.refresh()

    def set_language(self, language: str) -> None:
        self.language = language
        self.refresh()
        self.gate_page.refresh()
        if self.current in self.pages:          # the others redraw when shown
            self.pages[self.current].refresh()

    def refresh(self) -> None:
        lang = self.language
        self.title.setText(translate(TEXTS, "title", lang))
        console = self.technician_console
        self.who.setText(translate(TEXTS, "who", lang, who=console.technician)
                         if console is not None else "")
        self.language_button.setText(translate(TEXTS, "lang", lang))
        self.exit_button.setText(translate(TEXTS, "exit", lang))
        self.exit_button.setVisible(self._on_exit is not None)
        for name, button in self.tabs.items():
            button.setText(translate(TEXTS, f"nav.{name}", lang))
        label_controls(self._bar, lang)

    def _activity(self) -> None:
        self._last_activity = time.monotonic()

    def _check_idle(self) -> None:
        if time.monotonic() - self._last_activity >= self.idle_exit_s:
            self.exit("inactivity")

    def exit(self, why: str = "button") -> None:
        """Back to the service (citizen or agent mode): the next entry asks for the PIN."""
        if self.technician_console is not None:
            self.technician_console.leave(why)
        self.show_gate()
        if self._on_exit is not None:
            self._on_exit()
