"""Calling back onto the GUI thread, and one worker thread per kind of blocking job."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class GuiInvoker(QObject):
    """``post(fn)`` from any thread runs ``fn()`` on the thread that owns this object."""

    _call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)
        self._closed = False

    def post(self, fn: Callable[[], Any]) -> None:
        if not self._closed:
            self._call.emit(fn)

    def close(self) -> None:
        self._closed = True

    @Slot(object)
    def _run(self, fn: Callable[[], Any]) -> None:
        if self._closed:
            return
        try:
            fn()
        except Exception:  # a bug in a callback: keep the traceback, keep the GUI alive
            log.exception("ui.callback_failed", extra={"ctx": {}})


class Worker:
    """One named thread that runs jobs in order; ``done(result)`` comes back on the GUI
    thread. Never sleeps on the GUI thread, never runs two jobs of one kind at once."""

    def __init__(self, name: str, invoker: GuiInvoker) -> None:
        self.name = name
        self._invoker = invoker
        self._jobs: queue.Queue[tuple[Callable[[], Any], Callable[[Any], None]] | None] = \
            queue.Queue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._jobs.put((job, done))

    def close(self, timeout: float = 10.0) -> None:
        self._jobs.put(None)
        self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            entry = self._jobs.get()
            if entry is None:
                return
            job, done = entry
            del entry
            try:
                result = job()
            except Exception:  # a bug in a job: logged; the caller hears nothing
                log.exception("worker.job_failed", extra={"ctx": {"worker": self.name}})
                del job, done
                continue
            self._invoker.post(partial(done, result))
            # Forget the job now, not when the next one comes: its closure may hold personal
            # data (a face frame, a captured face) that must not outlive the citizen.
            del job, done, result
