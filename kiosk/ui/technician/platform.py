"""Platform enrolment with a one-time code (the code is never audited or logged): the
platform URL, the code and the terminal's kind; the current enrolment shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QGridLayout, QWidget

from civic.extensions import WITHOUT, Extension
from kiosk.technician.console import TechnicianConsole
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.technician.page import TechPage
from offline_queue import credentials
from offline_queue.errors import OutboxError

KINDS = ("kiosk", "agent")


class PlatformPage(TechPage):
    name = "platform"

    def __init__(self, console: Callable[[], TechnicianConsole], tasks: Tasks,
                 language: Callable[[], str], on_enrolled: Callable[[], None] = lambda: None,
                 parent: QWidget | None = None) -> None:
        super().__init__(console, tasks, language, parent)
        self.on_enrolled = on_enrolled
        self.current = self.label("muted")
        self.url_label, self.code_label, self.kind_label = (self.label() for _ in range(3))
        self.url = self.edit("platform_url")
        self.code = self.edit("enrolment_code")
        self.kind = QComboBox(self)
        self.kind.setProperty("role", "kind")
        self.go = self.button(self.enrol, primary=True, name="enrol")
        self.features = self.button(self.check_features, name="platform_features")
        self.root.addWidget(self.current)
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, (label, field) in enumerate(((self.url_label, self.url),
                                            (self.code_label, self.code),
                                            (self.kind_label, self.kind))):
            label.setBuddy(field)                   # the field's accessible name
            grid.addWidget(label, i, 0)
            grid.addWidget(field, i, 1)
        grid.addWidget(self.go, 2, 2)
        grid.addWidget(self.features, 3, 2)
        grid.setColumnStretch(1, 1)
        self.root.addLayout(grid)
        self.add_message()
        self.root.addStretch(1)

    def enter(self) -> None:
        self.url.setText(self.console.settings()["platform"]["url"])
        self.refresh()

    def refresh(self) -> None:
        self.title.setText(self.t("plat.title"))
        try:
            creds = credentials.load(self.console.data_dir)
            self.current.setText(self.t("plat.current", kind=self.t(f"kind.{creds.kind}")
                                        if creds.kind in KINDS else creds.kind,
                                        device=creds.device_id, url=creds.platform_url))
        except OutboxError:
            self.current.setText(self.t("plat.none"))
        self.url_label.setText(self.t("plat.url"))
        self.code_label.setText(self.t("plat.code"))
        self.kind_label.setText(self.t("plat.kind"))
        chosen = self.kind.currentIndex()
        self.kind.clear()
        self.kind.addItems([self.t(f"kind.{k}") for k in KINDS])
        self.kind.setCurrentIndex(max(chosen, 0))
        self.go.setText(self.t("plat.go"))
        self.features.setText(self.t("plat.features"))

    def enrol(self) -> None:
        url, code = self.url.text().strip(), self.code.text().strip()
        kind = KINDS[max(self.kind.currentIndex(), 0)]
        self.code.clear()                       # one use, and not to be seen again

        def done(result: dict[str, str]) -> str:
            self.refresh()
            self.on_enrolled()
            return self.t("plat.ok", device=result["device_id"])
        self.act(lambda c: c.enroll(url, code, kind), done)

    def check_features(self) -> None:
        """The December 2026 extensions the platform names, and what this terminal does
        without each one it lacks (civic.extensions)."""
        def done(result: dict[str, list[str]]) -> str:
            lang = self.language()
            sep = "；" if lang == "zh" else "; "
            if not result["missing"]:
                names = ("、" if lang == "zh" else ", ").join(
                    WITHOUT[Extension(e)][0].get(lang) for e in result["offered"])
                return self.t("plat.features_all", names=names)
            missing = sep.join(f"{WITHOUT[Extension(e)][0].get(lang)}"
                               f"（{WITHOUT[Extension(e)][1].get(lang)}）" if lang == "zh" else
                               f"{WITHOUT[Extension(e)][0].get(lang)} "
                               f"({WITHOUT[Extension(e)][1].get(lang)})"
                               for e in result["missing"])
            return self.t("plat.features_missing", missing=missing)
        self.act(lambda c: c.platform_extensions(), done)
