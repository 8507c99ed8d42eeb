"""The video call with a clerk, docked beside the screen the citizen was on.

The panel shows one :class:`~kiosk.flows.assist.AssistDesk`: the question before the camera
starts, the queue while waiting, then the clerk's video large with the citizen's own small
in its corner, an "on a call" mark, messages both ways (typed with the on-screen keyboard),
what the clerk asks (a document, an item) with the citizen's two answers, and a hang-up
button; after the call, why it ended and "back". The screen beside it stays usable: the
clerk guides while the citizen fills in. Everything shown is dropped when the call ends.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civic.text import Text
from kiosk.flows.assist import Ask, AssistDesk, CallStage, DeskTopic
from kiosk.flows.messages import tr
from kiosk.ui.accessible import describe, label_controls
from kiosk.ui.fields import SENSITIVE
from kiosk.ui.video_view import VideoView
from kiosk.ui.widgets import ImageView, text_label, touch_button

#: chat lines kept on screen (older ones scroll away; none is kept after the call)
CHAT_LINES = 6
#: the panel's width: the clerk's video at 4:3 about 410 × 300, the screens keep 840 px
PANEL_WIDTH = 440


class VideoPair(QWidget):
    """The clerk's video filling the box, the citizen's own small in its bottom corner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remote = VideoView(self)
        self.own = VideoView(self)
        self.setMinimumSize(QSize(240, 180))

    def sizeHint(self) -> QSize:
        # small: the column's stretch gives the video what the other parts leave, so in
        # elder mode the messages still fit without scrolling
        return QSize(320, 240)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.remote.setGeometry(self.rect())
        width = max(96, self.width() // 3)
        height = width * 3 // 4
        self.own.setGeometry(self.width() - width - 8, self.height() - height - 8,
                             width, height)
        self.own.raise_()

    def clear(self) -> None:
        self.remote.clear()
        self.own.clear()


class CallPanel(QFrame):
    """``CallPanel(desk, language, take_picture)``; ``take_picture(done)`` opens the
    document camera and calls ``done(png)`` with the picture the citizen kept."""

    def __init__(self, desk: AssistDesk, language: Callable[[], str],
                 take_picture: Callable[[Callable[[bytes], None]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callpanel")
        self.setFixedWidth(PANEL_WIDTH)
        self.desk, self._language, self._take_picture = desk, language, take_picture
        # The column scrolls rather than grow past the screen (elder mode's large type with
        # a picture to confirm); what must never scroll away is on top: the "on a call"
        # mark with the hang-up button, then what the clerk asks.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(scroll)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        column = QVBoxLayout(inner)
        column.setContentsMargins(16, 12, 16, 12)
        column.setSpacing(10)
        self.mark = text_label(inner, "notice")          # ● 通话中: seen from a step away
        self.hang_up_button = touch_button(inner, desk.hang_up, name="hang_up")
        self.hang_up_button.setObjectName("danger")
        self.title = text_label(inner, "title")
        self.status = text_label(inner)
        # before the camera starts (the question is the status line)
        self.start_button = touch_button(inner, desk.start, primary=True, name="assist_start")
        self.cancel_button = touch_button(inner, desk.cancel, name="assist_cancel")
        # what the clerk asks
        self.ask_text = text_label(inner, "notice")
        self.picture = ImageView(inner)
        self.picture.setMinimumSize(240, 160)
        self.ask_yes = touch_button(inner, self._yes, primary=True, name="assist_yes")
        self.ask_no = touch_button(inner, self._no, name="assist_no")
        self.videos = VideoPair(inner)
        # messages
        self.chat_log = text_label(inner)
        self.chat_log.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
        self.chat_text = QLineEdit(inner)
        self.chat_text.setMaxLength(200)
        # typed on the on-screen keyboard like a form field, and like one never learned by
        # it: what a citizen tells a clerk may be personal
        self.chat_text.setInputMethodHints(SENSITIVE)
        self.chat_text.returnPressed.connect(self._say)
        self.chat_send = touch_button(inner, self._say, name="chat_send")
        self.back_button = touch_button(inner, desk.dismiss, primary=True, name="assist_back")

        column.addLayout(self._row(self.mark, self.hang_up_button))
        for widget in (self.title, self.status):
            column.addWidget(widget)
        column.addLayout(self._row(self.cancel_button, self.start_button))
        column.addWidget(self.ask_text)
        column.addWidget(self.picture)
        column.addLayout(self._row(self.ask_no, self.ask_yes))
        column.addWidget(self.videos, 1)
        column.addWidget(self.chat_log)
        column.addLayout(self._row(self.chat_text, self.chat_send))
        column.addWidget(self.back_button)
        column.addStretch(0)
        self._unsubscribe = desk.subscribe(self._on_topic)
        self.hide()

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget, 1 if isinstance(widget, QLineEdit | QLabel) else 0)
        return row

    # -- the citizen's answers -----------------------------------------------------------
    def _say(self) -> None:
        self.desk.say(self.chat_text.text())
        self.chat_text.clear()

    def _yes(self) -> None:
        ask = self.desk.ask
        if ask is Ask.DOCUMENT and self.desk.show_document():
            self._take_picture(self._picture_kept)
        elif ask is Ask.SEND:
            self.desk.send_picture()
        elif ask is Ask.ITEM:
            self.desk.accept_item()

    def _no(self) -> None:
        self.desk.decline()

    def _picture_kept(self, png: bytes) -> None:
        from assist.frames import RgbFrame
        from assist.snapshots import fit_jpeg

        image = QImage.fromData(png).convertToFormat(QImage.Format.Format_RGB888)
        if image.isNull():
            return
        width, height, stride = image.width(), image.height(), image.bytesPerLine()
        data = bytes(image.constBits())          # type: ignore[call-overload]
        if stride != width * 3:
            data = b"".join(data[y * stride:y * stride + width * 3] for y in range(height))
        self.desk.picture_taken(fit_jpeg(RgbFrame(width, height, data)))

    # -- following the desk ------------------------------------------------------------------
    def _on_topic(self, topic: DeskTopic) -> None:
        if topic is DeskTopic.STAGE and self.desk.stage in (CallStage.IDLE, CallStage.ENDED):
            self.videos.clear()               # a face: gone with the call
            self.chat_text.clear()
        self.redraw()

    def show_remote(self, image: QImage) -> None:
        if self.desk.stage is CallStage.CONNECTED:
            self.videos.remote.set_image(image)

    def show_own(self, image: QImage) -> None:
        if self.desk.in_call:
            self.videos.own.set_image(image)

    def redraw(self) -> None:
        desk, lang = self.desk, self._language()
        stage = desk.stage
        self.title.setText(tr("assist.title", lang))
        self.title.setVisible(not desk.in_call)
        self.mark.setText("● " + tr("assist.on_call", lang))
        self.mark.setVisible(desk.in_call)
        self.videos.setVisible(desk.in_call)
        self.status.setText(self.status_words(lang))
        self.status.setVisible(bool(self.status.text()))
        confirming = stage is CallStage.CONFIRM
        for widget in (self.start_button, self.cancel_button):
            widget.setVisible(confirming)
        self.start_button.setText(tr("assist.start", lang))
        self.cancel_button.setText(tr("assist.cancel", lang))
        self._redraw_ask(lang)
        connected = stage is CallStage.CONNECTED
        lines = desk.chat[-CHAT_LINES:]
        self.chat_log.setText("\n".join(
            tr("assist.from_clerk" if line.from_clerk else "assist.from_me", lang,
               text=line.text) for line in lines))
        self.chat_log.setVisible(connected)
        self.chat_text.setVisible(connected)
        self.chat_text.setPlaceholderText(tr("assist.chat_text", lang))
        describe(self.chat_text, tr("assist.chat_text", lang))
        self.chat_send.setVisible(connected)
        self.chat_send.setText(tr("assist.chat_send", lang))
        self.hang_up_button.setVisible(desk.in_call)
        self.hang_up_button.setText(tr("assist.hang_up", lang))
        self.back_button.setVisible(stage is CallStage.ENDED)
        self.back_button.setText(tr("assist.back", lang))
        describe(self.videos.remote, tr("assist.clerk_video", lang))
        describe(self.videos.own, tr("assist.own_video", lang))
        label_controls(self, lang)
        # last: shown with its parts already laid out for this stage, so the window never
        # sees every part at once (it would grow to hold them all)
        self.setVisible(stage is not CallStage.IDLE)

    def status_words(self, lang: str) -> str:
        """The call's state in words (what the status line shows and speech reads)."""
        desk = self.desk
        if desk.stage is CallStage.STARTING:
            return tr("assist.starting", lang)
        if desk.stage is CallStage.WAITING:
            ahead = max(0, (desk.queue_position or 1) - 1)
            return tr("assist.waiting", lang, count=ahead) if ahead \
                else tr("assist.waiting_next", lang)
        if desk.stage is CallStage.CONNECTED:
            return tr("assist.on_call_with", lang, name=desk.clerk_name) if desk.clerk_name \
                else tr("assist.on_call", lang)
        if desk.stage is CallStage.CONFIRM:
            return tr("assist.confirm", lang)
        if desk.stage is CallStage.ENDED:
            words = desk.end_words()
            return words.get(lang) if words is not None else ""
        return ""

    def ask_words(self, lang: str) -> tuple[str, str, str] | None:
        """What the clerk asks now, and the two answers' message keys (None: nothing)."""
        ask = self.desk.ask if self.desk.stage is CallStage.CONNECTED else Ask.NONE
        if ask is Ask.DOCUMENT:
            return tr("assist.ask_document", lang), "assist.show_document", "assist.no"
        if ask is Ask.SEND:
            return tr("assist.send_picture", lang), "assist.send", "assist.dont_send"
        if ask is Ask.ITEM:
            return self._suggestion(lang), "assist.open_item", "assist.no"
        return None

    def _redraw_ask(self, lang: str) -> None:
        asked = self.ask_words(lang)
        for widget in (self.ask_text, self.ask_yes, self.ask_no):
            widget.setVisible(asked is not None)
        sending = self.desk.ask is Ask.SEND and self.desk.picture is not None
        self.picture.setVisible(sending)
        if sending:
            assert self.desk.picture is not None
            self.picture.set_png(self.desk.picture.data)   # the JPEG that Send would send
        else:
            self.picture.clear_image()
        if asked is not None:
            question, yes, no = asked
            self.ask_text.setText(question)
            self.ask_yes.setText(tr(yes, lang))
            self.ask_no.setText(tr(no, lang))

    def _suggestion(self, lang: str) -> str:
        code = self.desk.item_suggested() or ""
        name = self.desk.item_name(code) or Text(code, code)
        words = tr("assist.suggest", lang, name=name.get(lang))
        if self.desk.form_in_progress():
            words += "\n" + tr("assist.suggest_drop", lang)
        return words

    def hasHeightForWidth(self) -> bool:
        # Wrapped labels make the column's height depend on its width; reported upwards,
        # that makes the window ask for the height of the screens beside it laid out
        # narrow, and grow past the kiosk's screen. The panel has a fixed width instead.
        return False

    def close(self) -> bool:
        self._unsubscribe()
        return super().close()
