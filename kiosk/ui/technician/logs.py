"""The log, redacted (ID numbers masked again on the way to the screen), its export with the
audit trail to a folder (a USB stick), and leaving kiosk mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from kiosk.technician.console import TechnicianConsole
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.technician.page import TechPage


class LogsPage(TechPage):
    name = "logs"

    def __init__(self, console: Callable[[], TechnicianConsole], tasks: Tasks,
                 language: Callable[[], str], on_leave: Callable[[int], None],
                 export_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(console, tasks, language, parent)
        self.on_leave = on_leave
        self.view = QPlainTextEdit(self)
        self.view.setReadOnly(True)
        self.view.setObjectName("log_view")
        self.view.setFont(QFont("monospace", 11))
        self.reload = self.button(self.enter, name="refresh_log")
        self.dest_label = self.label()
        self.dest = self.edit("export_dir")
        self.dest_label.setBuddy(self.dest)
        self.dest.setText(str(export_dir or "/media"))
        self.export = self.button(self.export_logs, name="export_logs")
        self.leave_title = self.label("big")
        self.leave_explain = self.label("muted")
        self.leave = self.button(self.leave_kiosk, name="leave_kiosk")
        # the title's row carries "refresh": the log gets the height
        self.root.removeWidget(self.title)
        head = self.row(self.title, self.reload)
        head.setStretch(0, 1)
        self.root.insertLayout(0, head)
        self.root.addWidget(self.view, 1)
        line = self.row(self.dest_label, self.dest, self.export)
        line.setStretch(1, 1)
        self.root.addLayout(line)
        self.add_message()
        line = self.row(self.leave_title, self.leave_explain, self.leave)
        line.setStretch(1, 1)
        self.root.addLayout(line)

    def enter(self) -> None:
        self.refresh()

        def show(lines: list[str]) -> str:
            self.view.setPlainText("\n".join(lines))
            self.view.verticalScrollBar().setValue(self.view.verticalScrollBar().maximum())
            return ""
        self.act(lambda c: c.read_log(200), show)

    def refresh(self) -> None:
        self.title.setText(self.t("log.title"))
        self.reload.setText(self.t("log.refresh"))
        self.dest_label.setText(self.t("log.dest"))
        self.export.setText(self.t("log.export"))
        self.leave_title.setText(self.t("leave.title"))
        self.leave_explain.setText(self.t("leave.explain"))
        self.leave.setText(self.t("leave.go"))

    def export_logs(self) -> None:
        target = Path(self.dest.text().strip())
        self.act(lambda c: c.export_logs(target),
                 lambda path: self.t("log.exported", file=str(path)))

    def leave_kiosk(self) -> None:
        self.act(lambda c: c.leave_kiosk_mode(), self._left)

    def _left(self, status: int) -> str:
        self.on_leave(status)
        return ""

    def clear(self) -> None:
        self.view.clear()
