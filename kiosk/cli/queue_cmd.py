"""``kiosk queue``: the offline outbox."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.cli.common import (
    EXIT_NOTHING,
    EXIT_OK,
    data_dir_of,
    emit,
    finite_float,
    json_option,
    say,
)
from kiosk.errors import KioskError

#: ``sync --until-empty``: the longest wait between two runs while items are in back-off
WAITING_PERSON_RETRY_S = 2.0


class QueueCommandError(KioskError):
    exit_code = 3


class QueueInputError(KioskError):
    exit_code = 1


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("queue", parents=[parent], help="the offline queue of submissions",
                           description="Queue submissions durably and deliver them to the "
                                       "enrolled platform exactly once.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    enqueue = actions.add_parser("enqueue", parents=[parent], help="durably queue one submission")
    enqueue.add_argument("--submission", type=Path, required=True, metavar="FILE.json")
    enqueue.add_argument("--attach", type=Path, action="append", default=[], metavar="FILE")
    enqueue.set_defaults(func=_guard(_enqueue))
    sync = actions.add_parser("sync", parents=[parent], help="deliver what is queued",
                              description="Deliver what is queued now, items waiting out a "
                                          "retry back-off included (never before a platform's "
                                          "Retry-After). Agent items wait for their agent to "
                                          "sign in online in agent mode.")
    sync.add_argument("--until-empty", action="store_true")
    sync.add_argument("--max-seconds", type=finite_float, default=300.0, metavar="S")
    sync.set_defaults(func=_guard(_sync))
    stats = actions.add_parser("stats", parents=[parent], help="counts by state")
    json_option(stats)
    stats.set_defaults(func=_guard(_stats))
    dead = actions.add_parser("dead", parents=[parent], help="items the platform rejected",
                              description="Rejected items nobody has dealt with yet (corrected "
                                          "with `retry` or dismissed), with the reasons.")
    dead.add_argument("--all", action="store_true",
                      help="also those already corrected or dismissed")
    json_option(dead)
    dead.set_defaults(func=_guard(_dead))
    dismiss = actions.add_parser("dismiss", parents=[parent],
                                 help="mark a rejected item as dealt with (no correction)")
    dismiss.add_argument("id", metavar="ID")
    dismiss.set_defaults(func=_guard(_dismiss))
    retry = actions.add_parser("retry", parents=[parent], help="queue a corrected copy")
    retry.add_argument("id", metavar="ID")
    retry.add_argument("--submission", type=Path, required=True, metavar="FILE.json")
    retry.set_defaults(func=_guard(_retry))
    reset = actions.add_parser(
        "reset", parents=[parent], help="start over after a queue that cannot be read",
        description="For a queue that cannot be read (lost key, damaged database): moves what "
                    "is there aside into <data-dir>/outbox.lost-<time>/ with lost.json, a "
                    "record of what was lost, and starts an empty queue. The heartbeat then "
                    "tells the platform the lost ids, so each citizen's tracking page says "
                    "to apply again. Restoring the data dir from a backup loses nothing: "
                    "try that first.")
    reset.add_argument("--i-understand", action="store_true", dest="understood",
                       help="confirm that the applications in the unreadable queue are lost")
    reset.set_defaults(func=_guard(_reset))


def _guard(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Translate the outbox's known errors to the command's exit codes (one boundary)."""
    def handler(args: argparse.Namespace) -> int:
        from offline_queue import errors

        try:
            return fn(args)
        except (errors.InvalidSubmissionError, errors.NotFoundError,
                errors.NotDeadError, errors.AlreadyReplacedError) as exc:
            raise QueueInputError(str(exc)) from exc
        except errors.OutboxError as exc:
            raise QueueCommandError(str(exc)) from exc
    return handler


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value (numbers must be finite)")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"), parse_constant=_not_json)
    except RecursionError as exc:
        raise QueueInputError(f"{path} is nested too deeply to be a submission") from exc
    except (OSError, ValueError) as exc:
        raise QueueInputError(f"cannot read {path} as JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise QueueInputError(f"{path} must hold one JSON object (a Submission)")
    return doc


def _config(args: argparse.Namespace) -> Any:
    """The terminal's configuration (defaults when none is written; a broken one is an error
    naming the setting, not something to ignore)."""
    from kiosk import config

    return config.load(data_dir_of(args))


def _outbox(args: argparse.Namespace) -> Any:
    """The terminal's one queue, where the application keeps it (offline_queue.location)."""
    from offline_queue.location import open_terminal_outbox

    return open_terminal_outbox(data_dir_of(args),
                                retention_s=_config(args).queue.retention_days * 86400)


def _enqueue(args: argparse.Namespace) -> int:
    doc = _read_json(args.submission)
    for path in args.attach:
        if not path.is_file():
            raise QueueInputError(f"attachment {path} does not exist")
    with _outbox(args) as box:
        sid = box.enqueue(doc, list(args.attach))
    print(sid, flush=True)
    return EXIT_OK


def _sync(args: argparse.Namespace) -> int:
    from offline_queue import credentials
    from offline_queue.events import RunState
    from offline_queue.sync import SyncEngine

    deadline = time.monotonic() + args.max_seconds
    platform = _config(args).platform
    with _outbox(args) as box:
        creds = credentials.load(data_dir_of(args))
        # A person asked for delivery now: items in back-off go too (not before a Retry-After).
        box.retry_waiting_now()
        with SyncEngine(box, creds, client_settings=platform.client_settings()) as engine:
            while True:
                report = engine.sync_once()
                stopped = f"; stopped: {report.stopped}" if report.stopped else ""
                # why it stopped (the line, a certificate...); a fault's and a pause's own
                # message follows below
                if report.stopped not in (None, RunState.FAULT, RunState.PAUSED) and report.errors:
                    stopped += f" ({'; '.join(report.errors)})"
                held = (f", held {report.held} (agent items: the agent must sign in online "
                        "in agent mode)") if report.held else ""
                damaged = (f", damaged {report.damaged} (unreadable on this terminal: see "
                           "`kiosk queue dead`; those citizens must apply again)"
                           ) if report.damaged else ""
                say(f"sent {report.sent}, retry later {report.retry}, dead {report.dead}"
                    + damaged + held + stopped)
                if report.stopped is RunState.PAUSED:
                    raise QueueCommandError("the platform refused this device's credentials: "
                                            "re-enrol with `kiosk enroll`; nothing was lost")
                if report.stopped is RunState.FAULT:
                    raise QueueCommandError("; ".join(report.errors) + " (nothing queued was "
                                            "lost; sync again once this is dealt with)")
                due = engine.next_due()
                if due is None:
                    return EXIT_OK
                if not args.until_empty:
                    return EXIT_OK if report.stopped is None else EXIT_NOTHING
                # A person is waiting: an item's back-off (up to minutes after many tries)
                # is cut to a few seconds, but a platform's Retry-After is always honoured.
                now = box.clock()
                hold = box.store.get_meta("hold_until", 0.0)
                wait = max(min(due, now + WAITING_PERSON_RETRY_S), hold) - now
                if time.monotonic() + max(wait, 0) > deadline:
                    say(f"items remain; stopping after {args.max_seconds:g} s")
                    return EXIT_NOTHING
                if wait > 0:
                    time.sleep(min(wait, max(0.0, deadline - time.monotonic())))
                box.retry_waiting_now()


def _stats(args: argparse.Namespace) -> int:
    with _outbox(args) as box:
        emit(box.stats(), args.json)
    return EXIT_OK


def _dead(args: argparse.Namespace) -> int:
    with _outbox(args) as box:
        dead = box.items("dead", open_only=not args.all)
    if args.json:
        emit({"dead": dead}, True)
    else:
        for item in dead:
            reasons = item.get("reasons") or {}
            done = (f"  (corrected as {item['replaced_by']})" if item["replaced_by"] else
                    "  (dismissed)" if item["resolved_at"] else "")
            print(f"{item['submission_id']}  {item['last_error']}  "
                  f"{reasons.get('detail') or ''}{done}")
            for key, msg in (reasons.get("fields") or {}).items():
                print(f"    {key}: {msg.get('zh', '')} / {msg.get('en', '')}")
    return EXIT_OK if dead else EXIT_NOTHING


def _dismiss(args: argparse.Namespace) -> int:
    with _outbox(args) as box:
        box.dismiss(args.id)
    say(f"{args.id} marked as dealt with; its reasons stay in `kiosk queue dead --all`")
    return EXIT_OK


def _retry(args: argparse.Namespace) -> int:
    doc = _read_json(args.submission)
    with _outbox(args) as box:
        new = box.retry(args.id, doc)
    print(new, flush=True)
    return EXIT_OK


def _reset(args: argparse.Namespace) -> int:
    from offline_queue.location import reset_queue

    if not args.understood:
        raise QueueInputError("`kiosk queue reset` gives up every application waiting in an "
                              "unreadable queue; restore the data dir from a backup if you "
                              "can, else run it again with --i-understand")
    record = reset_queue(data_dir_of(args), why="kiosk queue reset --i-understand")
    say(f"moved the unreadable queue to {record['aside']} ({len(record['items'])} waiting "
        f"applications lost, listed in lost.json); an empty queue is ready, and the platform "
        "will be told the lost ids with the next heartbeat")
    return EXIT_OK
