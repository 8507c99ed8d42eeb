"""The clerk's voice through Qt Multimedia: 16-bit PCM pushed into a ``QAudioSink``.

Built on the first slice of sound of a call, on the GUI thread, for the default output
device; a terminal without one (a build machine, a kiosk whose speaker is unplugged) drops
the sound and says so once in the log: the call goes on with video and messages.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QIODevice
    from PySide6.QtMultimedia import QAudioSink

log = logging.getLogger(__name__)


class CallAudio:
    def __init__(self, sample_rate: int, channels: int) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

        self.sink: QAudioSink | None = None
        self._io: QIODevice | None = None
        self.format = (sample_rate, channels)
        device = QMediaDevices.defaultAudioOutput()
        wanted = QAudioFormat()
        wanted.setSampleRate(sample_rate)
        wanted.setChannelCount(channels)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if device.isNull() or not device.isFormatSupported(wanted):
            log.info("assist.no_audio_output", extra={"ctx": {"rate": sample_rate,
                                                                "channels": channels}})
            return
        self.sink = QAudioSink(device, wanted)
        self._io = self.sink.start()

    def write(self, pcm: bytes) -> None:
        if self._io is not None:
            self._io.write(pcm)

    def stop(self) -> None:
        if self.sink is not None:
            self.sink.stop()
            self.sink.deleteLater()
        self.sink, self._io = None, None
