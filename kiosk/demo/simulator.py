"""The demo's simulator window: place or remove a demo resident's card, cut or restore the
network, run the receipt printer out of paper, and see each printed slip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civic.pii import mask_name
from devices.printer import PrinterState
from kiosk.demo.launcher import DEMO_AGENT_NUMBER, DEMO_AGENT_PIN, Demo
from kiosk.ui.widgets import ImageView


class SimulatorWindow(QWidget):
    def __init__(self, demo: Demo, kiosk: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo, self.kiosk = demo, kiosk
        self.setWindowTitle("模拟器 Simulator")
        self.setProperty("closing_allowed", True)
        layout = QVBoxLayout(self)
        self.resident = QComboBox(self)
        for r in demo.residents:
            # masked even here: the wipe's residue check looks at every widget
            self.resident.addItem(f"{r.ref}  {mask_name(r.name)}  {r.card_type}", r.ref)
        layout.addWidget(QLabel("居民 Resident", self))
        layout.addWidget(self.resident)
        grid = QGridLayout()
        actions = [
            ("放身份证 Place ID card", lambda: demo.place_id_card(self.ref())),
            ("取走身份证 Remove ID card", demo.remove_id_card),
            ("插社保卡 Insert SS card", lambda: demo.insert_social_security_card(self.ref())),
            ("拔社保卡 Remove SS card", demo.remove_social_security_card),
            ("断网 Cut network", lambda: self.network(True)),
            ("恢复网络 Restore network", lambda: self.network(False)),
            ("打印机缺纸 Paper out", lambda: demo.set_paper(PrinterState.PAPER_OUT)),
            ("装纸 Paper in", lambda: demo.set_paper(PrinterState.OK)),
        ]
        self.buttons: dict[str, QPushButton] = {}
        for i, (text, action) in enumerate(actions):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _c=False, a=action: a())
            grid.addWidget(button, i // 2, i % 2)
            self.buttons[text] = button
        if demo.virtual_card is None:
            for text, _ in actions[2:4]:
                self.buttons[text].setEnabled(False)
                self.buttons[text].setToolTip("pcscd + vsmartcard-vpcd not available")
        layout.addLayout(grid)
        if demo.kind == "agent":
            layout.addWidget(QLabel(f"代办员 Agent: {DEMO_AGENT_NUMBER}  PIN: {DEMO_AGENT_PIN}",
                                    self))
        self.state = QLabel(self)
        layout.addWidget(self.state)
        layout.addWidget(QLabel("打印的回执 Printed slips", self))
        self.slip = ImageView(self)
        self.slip.setMinimumSize(320, 480)
        layout.addWidget(self.slip, 1)
        demo.on_slip = lambda path: kiosk.invoker.post(lambda: self.show_slip(path))
        self.resize(420, 900)
        self.refresh()

    def ref(self) -> str:
        return str(self.resident.currentData())

    def network(self, cut: bool) -> None:
        self.demo.cut_network(cut)
        worker = self.kiosk.sync_parts()[1]
        if not cut and worker is not None:
            worker.trigger()
        self.refresh()

    def show_slip(self, path: Path) -> None:
        self.slip.set_png(path.read_bytes())
        self.refresh()

    def refresh(self) -> None:
        net = "断网 offline" if self.demo.network_cut else "联网 online"
        self.state.setText(f"{net} · {len(self.demo.slips)} slips · {self.demo.sandbox.url}")
        self.state.setAlignment(Qt.AlignmentFlag.AlignLeft)
