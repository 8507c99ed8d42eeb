"""Blocking work (HTTP, device I/O) on one worker thread; the outcome back on the GUI thread.

Known failures of the world (:class:`~kiosk.errors.KioskError` with ``zh``/``en``, device
errors) come back as an :class:`TaskResult` carrying the words to show; anything else is a
bug: logged with its traceback, and the screen hears a generic failure instead of nothing
(a button must never stay "busy" forever).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from civic.text import Text
from devices.errors import DeviceError
from kiosk.errors import KioskError
from kiosk.ui.bridges.invoker import GuiInvoker, Worker

log = logging.getLogger(__name__)

BUG = Text("出现内部错误，已记录。请重试，或联系技术人员。",
                "Something went wrong inside the terminal (it has been logged). Try again, "
                "or call a technician.")


@dataclass(frozen=True)
class TaskResult:
    ok: bool
    value: Any = None
    message: Text | None = None
    error: BaseException | None = None


def words_of(exc: BaseException) -> Text:
    zh, en = getattr(exc, "zh", ""), getattr(exc, "en", "") or str(exc)
    return Text(zh or en, en)


class Tasks:
    """``Tasks(invoker, "agent").run(job, done)``: ``job()`` on the worker, ``done(Outcome)``
    on the GUI thread; jobs run one at a time, in order."""

    def __init__(self, invoker: GuiInvoker, name: str) -> None:
        self.name = name
        self._worker = Worker(name, invoker)
        self.busy = 0

    def run(self, job: Callable[[], Any], done: Callable[[TaskResult], None]) -> None:
        self.busy += 1

        def work() -> TaskResult:
            try:
                return TaskResult(True, job())
            except (KioskError, DeviceError) as exc:
                log.info("ui.task_failed", extra={"ctx": {"worker": self.name,
                                                          "error": type(exc).__name__}})
                return TaskResult(False, None, words_of(exc), exc)
            except Exception as exc:  # a bug: traceback kept, the screen still hears back
                log.exception("ui.task_bug", extra={"ctx": {"worker": self.name}})
                return TaskResult(False, None, BUG, exc)

        def finished(outcome: TaskResult) -> None:
            self.busy -= 1
            done(outcome)
        self._worker.submit(work, finished)

    def close(self) -> None:
        self._worker.close()
