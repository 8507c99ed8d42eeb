"""``kiosk central``: the sandbox central platform (one of the few importers of ``central``)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, data_dir_of, emit, finite_float, json_option, say
from kiosk.errors import KioskError

CENTRAL_SUBDIR = "central"


class CentralError(KioskError):
    exit_code = 1


def _central_dir(args: argparse.Namespace) -> Path:
    # The sandbox keeps its own database next to (not inside) a terminal's state.
    return data_dir_of(args) / CENTRAL_SUBDIR


def _fault_option(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError("use KEY=VALUE, e.g. error_503=0.2")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key.strip(), value


def _limits_option(text: str) -> Any:
    from central.card_sessions import SessionLimits

    try:
        return SessionLimits.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _ice_option(text: str) -> Any:
    from central.assist_desk import parse_ice_server

    try:
        return parse_ice_server(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("central", parents=[parent], help="the sandbox central platform",
                           description="Run and administer the sandbox platform that stands "
                                       "in for the province's servers in demos and tests. Its "
                                       "state lives in <data-dir>/central/.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    serve = actions.add_parser(
        "serve", parents=[parent], help="run the sandbox platform",
        description="Serve the terminal API. On first start it prints an enrolment code. "
                    "Faults can be injected with --fault KEY=VALUE (drop_before, drop_after, "
                    "error_500, error_503, error_429 and truncate are fractions of requests; "
                    "delay with delay_s; retry_after_s; batch_disabled=true; tamper_records=true "
                    "serves certified records changed after signing; stale_halls_min=N makes "
                    "the halls' queue figures N minutes old, stale_halls='[\"H02\"]' only "
                    "those halls) and changed at run "
                    "time through PUT/PATCH /v1/_sandbox/faults on loopback.")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--fault", type=_fault_option, action="append", default=[],
                       metavar="KEY=VALUE")
    serve.add_argument("--session-limits", type=_limits_option, default=None,
                       metavar="KIOSK_PER_HOUR,AGENT_PER_DAY",
                       help="card sessions a kiosk may open per rolling hour and an agent "
                            "terminal per rolling day (default 60,200)")
    serve.add_argument("--workflow-step-s", type=finite_float, default=5.0, metavar="S",
                       help="seconds between case status changes (0: only on request)")
    serve.add_argument("--ice-server", type=_ice_option, action="append", default=[],
                       metavar="URL|JSON",
                       help="a STUN/TURN server for video calls, given to terminals and "
                            "clerks' consoles: a URL (stun:host:3478) or "
                            '\'{"urls": ["turn:host:3478"], "username": "U", "credential": '
                            '"P"}\'; repeatable. Default none (loopback needs none)')
    serve.add_argument("--clerk-hours", metavar="TEXT",
                       help="when clerks answer video calls, in Chinese, as terminals show "
                            "it (default 工作日 8:30–12:00、13:30–17:00)")
    serve.add_argument("--clerk-hours-en", metavar="TEXT", help="the same in English")
    serve.set_defaults(func=serve_cmd)
    code = actions.add_parser("enrollment-code", parents=[parent], help="issue an enrolment code")
    code.add_argument("--kind", choices=("kiosk", "agent"))
    json_option(code)
    code.set_defaults(func=code_cmd)
    agent = actions.add_parser("agent", parents=[parent], help="village agents")
    agent_actions = agent.add_subparsers(dest="agent_action", required=True, metavar="ACTION")
    add = agent_actions.add_parser("add", parents=[parent], help="create a village agent")
    add.add_argument("number", metavar="NUMBER")
    add.add_argument("--pin", required=True)
    add.add_argument("--area", required=True, metavar="VILLAGE")
    add.add_argument("--name", help="display name")
    json_option(add)
    add.set_defaults(func=agent_add_cmd)
    clerk = actions.add_parser("clerk", parents=[parent], help="hall clerks (video help)")
    clerk_actions = clerk.add_subparsers(dest="clerk_action", required=True, metavar="ACTION")
    clerk_add = clerk_actions.add_parser(
        "add", parents=[parent], help="create a hall clerk who answers video calls",
        description="Create a clerk who signs in at the clerk's console (<platform>/clerk/) "
                    "with NUMBER and PIN to answer citizens' video calls.")
    clerk_add.add_argument("number", metavar="NUMBER")
    clerk_add.add_argument("--pin", required=True, help="6 to 12 digits")
    clerk_add.add_argument("--name", help="display name shown to the citizen")
    json_option(clerk_add)
    clerk_add.set_defaults(func=clerk_add_cmd)
    revoke = actions.add_parser("revoke", parents=[parent], help="revoke a terminal's token")
    revoke.add_argument("device_id", metavar="DEVICE_ID")
    revoke.set_defaults(func=revoke_cmd)
    fleet = actions.add_parser("fleet", parents=[parent], help="each terminal's last heartbeat")
    json_option(fleet)
    fleet.set_defaults(func=fleet_cmd)
    access = actions.add_parser("access", parents=[parent],
                                help="reads of shared data per terminal, against the limits")
    json_option(access)
    access.set_defaults(func=access_cmd)
    halls = actions.add_parser("halls", parents=[parent],
                               help="service halls, live queues, appointments from today on")
    json_option(halls)
    halls.set_defaults(func=halls_cmd)


def serve_cmd(args: argparse.Namespace) -> int:
    from central import admin
    from central.faults import FaultPlan
    from central.platform import SandboxServer, SandboxSettings
    from central.workflow import WorkflowSchedule
    from kiosk import logs

    directory = _central_dir(args)
    first_start = not (directory / "central.sqlite3").exists()
    logs.configure(directory, level="INFO", stderr_level="WARNING")
    try:
        faults = FaultPlan.from_dict(dict(args.fault))
    except Exception as exc:  # the plan's own message names the fault
        raise CentralError(f"bad --fault: {exc}") from None
    settings = SandboxSettings(directory, faults=faults,
                               workflow=WorkflowSchedule(step_s=args.workflow_step_s))
    if args.session_limits is not None:
        settings = dataclasses.replace(settings, session_limits=args.session_limits)
    settings = dataclasses.replace(settings, assist=_assist_settings(args))
    try:
        server = SandboxServer(settings, host=args.host, port=args.port)
    except OSError as exc:
        raise CentralError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}; "
                           "choose another --port") from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with server:
        say(f"sandbox platform listening on {server.url} (data in {directory})")
        if first_start:
            code = admin.issue_enrollment_code(directory)
            say(f"enrolment code for a new terminal: {code}")
            say(f"  enrol with: kiosk enroll --platform {server.url} --code {code} --kind kiosk")
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    say("sandbox platform stopped")
    return EXIT_OK


def _assist_settings(args: argparse.Namespace) -> Any:
    from central.assist_desk import DEFAULT_HOURS, AssistSettings

    hours = dict(DEFAULT_HOURS)
    if args.clerk_hours:
        hours["zh"] = args.clerk_hours
    if args.clerk_hours_en:
        hours["en"] = args.clerk_hours_en
    return AssistSettings(hours=hours, ice_servers=tuple(args.ice_server))


def code_cmd(args: argparse.Namespace) -> int:
    from central import admin

    code = admin.issue_enrollment_code(_central_dir(args), args.kind)
    emit({"enrollment_code": code, "kind": args.kind}, args.json, human=code)
    return EXIT_OK


def agent_add_cmd(args: argparse.Namespace) -> int:
    from central import admin

    try:
        agent_id = admin.add_agent(_central_dir(args), args.number, args.pin, args.area,
                                   args.name)
    except admin.AdminError as exc:
        raise CentralError(str(exc)) from None
    emit({"agent_id": agent_id, "number": args.number, "area": args.area}, args.json,
         human=agent_id)
    return EXIT_OK


def clerk_add_cmd(args: argparse.Namespace) -> int:
    from central import admin

    try:
        clerk_id = admin.add_clerk(_central_dir(args), args.number, args.pin, args.name)
    except admin.AdminError as exc:
        raise CentralError(str(exc)) from None
    emit({"clerk_id": clerk_id, "number": args.number}, args.json, human=clerk_id)
    return EXIT_OK


def revoke_cmd(args: argparse.Namespace) -> int:
    from central import admin

    try:
        admin.revoke(_central_dir(args), args.device_id)
    except admin.AdminError as exc:
        raise CentralError(str(exc)) from None
    say(f"revoked {args.device_id}; it must be enrolled again")
    return EXIT_OK


def fleet_cmd(args: argparse.Namespace) -> int:
    from central import admin

    rows = admin.fleet(_central_dir(args))
    if args.json:
        emit({"terminals": rows}, True)
        return EXIT_OK
    if not rows:
        print("no terminal is enrolled")
    for row in rows:
        beat = row["heartbeat"] or {}
        queue = beat.get("queue", {})
        devices = beat.get("devices", {})
        printer = (devices.get("printer") or {}).get("state", "?")
        print(f"{row['device_id']:<22} {row['kind']:<6} {'REVOKED ' if row['revoked'] else ''}"
              f"last {row['last_heartbeat_at'] or 'never'}  v{beat.get('app_version', '?')} "
              f"pending {queue.get('pending', '?')} dead {queue.get('dead', '?')} "
              f"damaged {'?' if row['damaged'] is None else row['damaged']} "
              f"skew {beat.get('clock_skew_s', '?')}s idcard {devices.get('idcard', '?')} "
              f"printer {printer}  sessions {row['sessions_in_window']}/"
              f"{row['session_limit'] or '?'}"
              + "".join(f"  FLAG {flag}" for flag in row["flags"]))
    sys.stdout.flush()
    return EXIT_OK


def halls_cmd(args: argparse.Namespace) -> int:
    from central import admin
    from central.halls import LOCAL

    def local(stamp: str) -> str:
        return datetime.fromisoformat(stamp).astimezone(LOCAL).strftime("%m-%d %H:%M")

    doc = admin.halls(_central_dir(args))
    if args.json:
        emit(doc, True)
        return EXIT_OK
    print(f"{doc['date']} (hall times are local, UTC+8)")
    for hall in doc["halls"]:
        state = "open  " if hall["open_now"] else "closed"
        print(f"{hall['hall_id']}  {state}  waiting {hall['waiting']:>3}  about "
              f"{hall['average_wait_min']:>3} min (as of {local(hall['updated_at'])})  "
              f"{hall['name']['zh']}  {hall['hours']['zh']}")
    print(f"appointments from today on: {len(doc['appointments'])}")
    for booked in doc["appointments"]:
        print(f"  {local(booked['slot_start'])}-{local(booked['slot_end'])[-5:]}  "
              f"{booked['hall_id']}  {booked['ticket']}  {booked['item_code']}  "
              f"{booked['resident'] or '-'}  {booked['status']}")
    sys.stdout.flush()
    return EXIT_OK


def access_cmd(args: argparse.Namespace) -> int:
    from central import admin

    doc = admin.access(_central_dir(args))
    if args.json:
        emit(doc, True)
        return EXIT_OK
    limits = doc["limits"]
    print(f"session limits: kiosk {limits['kiosk_per_hour']} per rolling hour, agent "
          f"terminal {limits['agent_per_day']} per rolling day")
    if not doc["devices"]:
        print("no terminal is enrolled")
    for device in doc["devices"]:
        near = "  NEAR LIMIT" if device["near_limit"] else ""
        print(f"{device['device_id']:<22} {device['kind']:<6} sessions "
              f"{device['sessions_in_window']}/{device['limit']}{near}")
        for read in device["reads"]:
            print(f"    {read['endpoint']}: {read['reads']} reads ({read['refused']} without "
                  f"a session), {read['residents']} residents, last {read['last_at']}")
    sys.stdout.flush()
    return EXIT_OK
