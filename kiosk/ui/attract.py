"""The first screen a citizen sees: where to put the card."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class AttractScreen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attract")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("政务服务自助终端\nGovernment self-service terminal")
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        prompt = QLabel("请将身份证或社保卡放在读卡区\nPlace your ID card or social-security "
                        "card on the reader")
        prompt.setObjectName("prompt")
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        prompt.setWordWrap(True)
        layout.addWidget(title)
        layout.addSpacing(40)
        layout.addWidget(prompt)
        layout.addStretch(2)
        self.setStyleSheet(
            "#attract { background: #ffffff; }"
            "#title { font-size: 40pt; font-weight: bold; color: #0b3d91; }"
            "#prompt { font-size: 26pt; color: #1a1a1a; }")
