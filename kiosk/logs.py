"""Structured logs without personal data.

Records are JSON lines in ``<data-dir>/logs/kiosk.log`` (rotated) and short lines on
stderr. Code in every package logs with the standard library: an event name as the message
and its context under ``extra={"ctx": {...}}``::

    log.info("outbox.enqueued", extra={"ctx": {"submission": sid, "item": code}})

:class:`RedactingFilter` sits on every handler: whatever a record carries, ID numbers are
masked (``330***********1234``) and :class:`~civic.pii.Personal` values print masked, so a
slip in some module cannot put a citizen's number on disk. Uncaught exceptions in any
thread are logged with their traceback (redacted too).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
import threading
import types
from pathlib import Path
from typing import Any

from civic.pii import Personal, redact_text

LOG_DIR = "logs"
LOG_FILE = "kiosk.log"
_OWN_HANDLER_FLAG = "_kiosk_handler"


def _clean(value: Any) -> Any:
    if isinstance(value, Personal):
        return value.masked()
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact_text(str(value))


class RedactingFilter(logging.Filter):
    """Masks ID numbers and personal fields in the message, its arguments and the context."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact_text(message)
        record.args = None
        ctx = getattr(record, "ctx", None)
        if ctx is not None:
            record.ctx = _clean(ctx)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
            record.exc_info = None  # already rendered (and redacted) into exc_text
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "thread": record.threadName,
            "event": record.getMessage(),
        }
        ctx = getattr(record, "ctx", None)
        if isinstance(ctx, dict):
            doc.update({k: v for k, v in ctx.items() if k not in doc})
        if record.exc_text:
            doc["traceback"] = record.exc_text
        return json.dumps(doc, ensure_ascii=False, default=str)


class ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ctx = getattr(record, "ctx", None)
        extra = " ".join(f"{k}={v}" for k, v in ctx.items()) if isinstance(ctx, dict) else ""
        line = f"{record.levelname.lower()}: {record.getMessage()}" + (f" {extra}" if extra else "")
        if record.exc_text:
            line += "\n" + record.exc_text
        return line


def _private_file_handler(path: Path) -> logging.Handler:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8")
    os.chmod(path, 0o600)
    return handler


def configure(data_dir: Path | None, *, level: str = "INFO", stderr_level: str = "WARNING",
              stream: Any = None) -> None:
    """Install the handlers on the root logger (replacing ours from an earlier call)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OWN_HANDLER_FLAG, False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[tuple[logging.Handler, logging.Formatter, str]] = [
        (logging.StreamHandler(stream or sys.stderr), ConsoleFormatter(), stderr_level)]
    if data_dir is not None:
        handlers.append((_private_file_handler(data_dir / LOG_DIR / LOG_FILE),
                         JsonFormatter(), level))
    for handler, formatter, handler_level in handlers:
        handler.setLevel(handler_level)
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        setattr(handler, _OWN_HANDLER_FLAG, True)
        root.addHandler(handler)
    root.setLevel(min(logging.getLevelName(level), logging.getLevelName(stderr_level)))
    install_excepthooks()


_crash_log = logging.getLogger("kiosk.crash")


def _log_uncaught(exc_type: type[BaseException], exc: BaseException,
                  tb: types.TracebackType | None, thread: str) -> None:
    _crash_log.critical("uncaught_exception", exc_info=(exc_type, exc, tb),
                        extra={"ctx": {"thread": thread, "error": exc_type.__name__}})


def install_excepthooks() -> None:
    """No error disappears: uncaught exceptions in any thread reach the log."""

    def on_main(exc_type: type[BaseException], exc: BaseException,
                tb: types.TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        _log_uncaught(exc_type, exc, tb, threading.current_thread().name)

    def on_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread else "?"
        _log_uncaught(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback, name)

    sys.excepthook = on_main
    threading.excepthook = on_thread
