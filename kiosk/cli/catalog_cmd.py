"""``kiosk catalog``: check and summarise the service catalog."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from kiosk.cli.common import EXIT_OK, EXIT_USAGE, emit, json_option
from seeds import seeds_dir


def _seeds(args: argparse.Namespace) -> Path:
    return Path(args.path) if args.path is not None else seeds_dir()


def check(args: argparse.Namespace) -> int:
    from civic.errors import ResidentsInvalid
    from kiosk.catalog.load import check_catalog, load_residents

    path = _seeds(args)
    if not path.exists():
        print(f"kiosk: {path} does not exist", file=sys.stderr)
        return EXIT_USAGE
    problems = list(check_catalog(path))
    residents = path / "residents.toml"
    if residents.exists():          # the seeds directory also holds the demo residents
        try:
            load_residents(residents)
        except ResidentsInvalid as exc:
            problems += exc.problems
    if args.json:
        emit({"ok": not problems, "path": str(path),
              "problems": [p.as_dict() for p in problems]}, True)
    else:
        for problem in problems:
            print(problem)
        if not problems:
            print(f"catalog ok: {path}")
    if problems:
        print(f"kiosk: {len(problems)} problem(s) in {path}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def stats(args: argparse.Namespace) -> int:
    from kiosk.catalog.load import load_catalog

    catalog = load_catalog(_seeds(args))
    modes = Counter(str(item.mode) for item in catalog)
    result = {
        "items": len(catalog), "departments": len(catalog.departments),
        "life_events": len(catalog.life_events),
        "modes": {mode: modes.get(mode, 0) for mode in ("apply", "query_print", "agent_only")},
        "bundles": len(catalog.bundles),
        "with_eligibility": sum(1 for i in catalog if i.eligibility is not None),
        "forms_unreviewed": sum(1 for i in catalog if not i.form.fields_reviewed),
        "version": catalog.version,
    }
    emit(result, args.json)
    return EXIT_OK


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("catalog", parents=[parent], help="check the service catalog",
                           description="Validate the service catalog and count its items.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    check_p = actions.add_parser(
        "check", parents=[parent], help="validate a catalog",
        description="Validate a catalog (default: the one installed with the terminal) and the "
                    "demo residents next to it; name every problem with file and item; exit 1 "
                    "if any.")
    check_p.add_argument("path", nargs="?", type=Path, metavar="PATH",
                         help="a seeds directory or a catalog directory")
    json_option(check_p)
    check_p.set_defaults(func=check)
    stats_p = actions.add_parser("stats", parents=[parent],
                                 help="items, departments, life events, counts per mode")
    stats_p.add_argument("path", nargs="?", type=Path, metavar="PATH",
                         help="a seeds directory or a catalog directory (default: the "
                              "installed one)")
    json_option(stats_p)
    stats_p.set_defaults(func=stats)
