"""The top-level window: a stack of screens, nothing else."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from kiosk.ui.attract import AttractScreen


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("政务服务自助终端")
        self.stack = QStackedWidget(self)
        self.attract = AttractScreen(self.stack)
        self.stack.addWidget(self.attract)
        self.setCentralWidget(self.stack)
        self.resize(1280, 800)
