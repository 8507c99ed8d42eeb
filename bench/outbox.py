"""Outbox benchmark: durable enqueues, drain rate to the sandbox, memory while draining.

    .venv/bin/python bench/outbox.py [--enqueue N] [--drain N] [--memory N]

Prints, from one run, each figure next to a baseline measured in the same run:

1. durable enqueues per second against plain SQLite (WAL, ``synchronous=FULL``, one commit
   per item holding the same JSON body) — target at least 0.5x;
2. submissions per second drained to the sandbox platform on loopback against a naive
   loop of one ``POST /v1/submissions`` per item over one keep-alive httpx client, each
   against a fresh sandbox of its own in a separate process — target 3x, aim 10x;
3. the peak resident memory (``ru_maxrss``) of a process that opens an outbox holding
   ``--memory`` queued items (default 100 000) and drains it to the sandbox — target
   200 MB or less.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from offline_queue import Outbox, credentials  # noqa: E402
from offline_queue.sync import SyncEngine  # noqa: E402

SIGNATURE = b"\x89PNG\r\n\x1a\n-signature-of-a-test-citizen"
TIMEOUTS = {"connect_timeout_s": 5.0, "read_timeout_s": 60.0}


# -- the sandbox in a process of its own -----------------------------------------------------
class Sandbox:
    """``kiosk central serve`` as shipped, in a process of its own."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "sandbox"
        with socketless_port() as port:
            self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli.main", "central", "serve", "--port", str(port),
             "--workflow-step-s", "0", "--data-dir", str(self.dir)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit("the sandbox did not start")
            time.sleep(0.1)

    def enrol(self, data_dir: Path) -> credentials.Credentials:
        from central import admin

        code = admin.issue_enrollment_code(self.dir / "central", "kiosk")
        return credentials.enroll(data_dir, self.url, code, "kiosk", hostname="bench",
                                  app_version="bench", site={"region_code": "330110",
                                                             "name": "bench"})

    def created(self) -> int:
        doc = httpx.get(f"{self.url}/v1/_sandbox/counters").json()
        return int(doc["events"].get("submissions_created", 0))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


class socketless_port:
    """A free port on 127.0.0.1 (bound, then released for the sandbox to take)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        pass


def template() -> dict[str, Any]:
    """A submission the sandbox accepts, built from the real catalog once."""
    from kiosk.catalog.load import load_catalog
    from seeds import seeds_dir
    from tests.central.builders import submission

    catalog = load_catalog(seeds_dir() / "catalog")
    code = next(i.code for i in catalog.items if str(i.mode) == "apply"
                and all(str(f.type) != "bank_account" for f in i.form.fields))
    return submission(catalog, code)


def fresh(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "submission_id": str(uuid.uuid4())}


# -- 1. durable enqueues ----------------------------------------------------------------------
def bench_enqueue(doc: dict[str, Any], n: int, root: Path) -> tuple[float, float, float]:
    conn = sqlite3.connect(root / "baseline.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE items (id TEXT PRIMARY KEY, state TEXT, body BLOB)")
    bodies = [json.dumps(fresh(doc), ensure_ascii=False).encode() for _ in range(n)]
    started = time.perf_counter()
    for i, body in enumerate(bodies):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO items VALUES (?, 'pending', ?)", (str(i), body))
        conn.execute("COMMIT")
    baseline = n / (time.perf_counter() - started)
    conn.close()

    docs = [fresh(doc) for _ in range(n)]
    with Outbox(root / "enqueue") as box:
        started = time.perf_counter()
        for d in docs:
            box.enqueue(d, [SIGNATURE])
        ours = n / (time.perf_counter() - started)
        # each item with a fresh 8 KiB attachment of its own (a scan): one more file fsynced
        scans = [os.urandom(8192) for _ in range(n)]
        docs = [fresh(doc) for _ in range(n)]
        for d, scan in zip(docs, scans, strict=True):
            d["attachments"] = [*d["attachments"], {
                "sha256": hashlib.sha256(scan).hexdigest(), "size": len(scan),
                "media_type": "image/jpeg", "role": "document"}]
        started = time.perf_counter()
        for d, scan in zip(docs, scans, strict=True):
            box.enqueue(d, [SIGNATURE, scan])
        with_scan = n / (time.perf_counter() - started)
    return baseline, ours, with_scan


# -- 2. drain rate ------------------------------------------------------------------------------
def bench_naive(doc: dict[str, Any], n: int, root: Path) -> float:
    sandbox = Sandbox(root / "naive")
    try:
        creds = sandbox.enrol(root / "naive-terminal")
        bodies = [fresh(doc) for _ in range(n)]
        with httpx.Client(base_url=sandbox.url, timeout=60,
                          headers={"Authorization": f"Bearer {creds.token}"}) as client:
            client.put(f"/v1/blobs/{doc['consent']['signature_sha256']}", content=SIGNATURE)
            started = time.perf_counter()
            for body in bodies:
                answer = client.post("/v1/submissions", json=body,
                                     headers={"Idempotency-Key": body["submission_id"]})
                assert answer.status_code == 201, answer.text
            rate = n / (time.perf_counter() - started)
        assert sandbox.created() == n
        return rate
    finally:
        sandbox.stop()


def bench_outbox_drain(doc: dict[str, Any], n: int, root: Path) -> float:
    sandbox = Sandbox(root / "drain")
    try:
        data_dir = root / "drain-terminal"
        creds = sandbox.enrol(data_dir)
        with Outbox(data_dir) as box:
            for _ in range(n):
                box.enqueue(fresh(doc), [SIGNATURE])
            with SyncEngine(box, creds, **TIMEOUTS) as engine:
                started = time.perf_counter()
                while box.store.next_due() is not None:
                    report = engine.sync_once()
                    if report.stopped:
                        raise SystemExit(f"the drain stopped: {report}")
                rate = n / (time.perf_counter() - started)
        assert sandbox.created() == n
        return rate
    finally:
        sandbox.stop()


# -- 3. memory while draining many ---------------------------------------------------------
class StubPlatform:
    """A minimal platform on a thread: accepts everything at once, so the memory run measures
    the terminal, not the sandbox (``--memory-to-sandbox`` drains to the sandbox instead);
    the terminal's memory does not depend on which server answers."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, status: int, doc: Any = None) -> None:
                body = b"" if doc is None else json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_HEAD(self) -> None:
                self._answer(200)

            def do_PUT(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                self._answer(201, {})

            def do_GET(self) -> None:
                self._answer(200, {"changes": [], "next": "c"})

            def do_POST(self) -> None:
                doc = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                subs = doc.get("submissions", [doc])
                results = [{"submission_id": d["submission_id"], "status": 201,
                            "body": {"submission_id": d["submission_id"], "status": "received",
                                     "case_number": f"330110-{d['submission_id'][:8]}"}}
                           for d in subs]
                self._answer(200, {"results": results})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def fill(data_dir: Path, doc: dict[str, Any], n: int) -> None:
    with Outbox(data_dir) as box:
        for _ in range(n):
            box.enqueue(fresh(doc), [SIGNATURE])


def memory_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (high-water mark) of this process, in KiB. Unlike ru_maxrss,
    VmHWM starts afresh at exec, so the parent's size before the fork does not count."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def drain_child(data_dir: Path) -> None:
    """Runs in its own process: open, drain, report the peak RSS as JSON on stdout."""
    before = memory_kb("VmRSS")
    creds = credentials.load(data_dir)
    with Outbox(data_dir) as box, SyncEngine(box, creds, **TIMEOUTS) as engine:
        stats = box.stats()
        started = time.perf_counter()
        while box.store.next_due() is not None:
            report = engine.sync_once()
            if report.stopped:
                raise SystemExit(f"the drain stopped: {report}")
        took = time.perf_counter() - started
        sent = box.stats()["sent"]
    peak = memory_kb("VmHWM")
    print(json.dumps({"before_kb": before, "peak_kb": peak, "queued": stats["pending"],
                      "sent": sent, "seconds": took}))


def bench_memory(doc: dict[str, Any], n: int, root: Path, *, to_sandbox: bool) -> dict[str, Any]:
    platform: Sandbox | StubPlatform = Sandbox(root / "memory") if to_sandbox else StubPlatform()
    try:
        data_dir = root / "memory-terminal"
        if isinstance(platform, Sandbox):
            platform.enrol(data_dir)
        else:
            credentials.save(data_dir, credentials.Credentials(
                platform.url, "bench", "bench-token", platform.url + "/track/{submission_id}",
                "kiosk"))
        started = time.perf_counter()
        fill(data_dir, doc, n)
        filled = time.perf_counter() - started
        done = subprocess.run([sys.executable, __file__, "--drain-child", str(data_dir)],
                              capture_output=True, text=True, cwd=REPO, check=False)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        result["fill_seconds"] = filled
        result["created"] = platform.created() if isinstance(platform, Sandbox) else None
        return result
    finally:
        platform.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enqueue", type=int, default=2000, metavar="N")
    parser.add_argument("--drain", type=int, default=500, metavar="N")
    parser.add_argument("--memory", type=int, default=100_000, metavar="N")
    parser.add_argument("--memory-to-sandbox", action="store_true",
                        help="drain the memory run to the sandbox instead of a stub platform "
                             "(slow: about ten minutes for 100 000 items)")
    parser.add_argument("--drain-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drain_child:
        drain_child(args.drain_child)
        return
    doc = template()
    print(f"submission body: {len(json.dumps(doc, ensure_ascii=False).encode())} bytes, "
          "one signature attachment")
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp:
        root = Path(tmp)
        baseline, ours, with_scan = bench_enqueue(doc, args.enqueue, root)
        print(f"\n1. durable enqueues/s ({args.enqueue} items)")
        print(f"   plain SQLite WAL synchronous=FULL, 1 commit/item: {baseline:8.0f}/s")
        print(f"   Outbox.enqueue (sealed, shape-checked):           {ours:8.0f}/s  "
              f"ratio {ours / baseline:.2f}x (target >= 0.5x)")
        print(f"   Outbox.enqueue with a fresh 8 KiB scan each:      {with_scan:8.0f}/s  "
              f"ratio {with_scan / baseline:.2f}x (one more file written and fsynced)")

        print(f"\n2. submissions/s delivered to the sandbox on loopback ({args.drain} items)")
        naive = bench_naive(doc, args.drain, root)
        drained = bench_outbox_drain(doc, args.drain, root)
        print(f"   naive: one POST per item, keep-alive httpx:       {naive:8.0f}/s")
        print(f"   outbox drain (batches of 100):                    {drained:8.0f}/s  "
              f"ratio {drained / naive:.2f}x (target >= 3x, aim 10x)")

        if args.memory:
            mem = bench_memory(doc, args.memory, root, to_sandbox=args.memory_to_sandbox)
            where = "the sandbox" if args.memory_to_sandbox else "a stub platform"
            print(f"\n3. draining {args.memory} queued items to {where} (filled in "
                  f"{mem['fill_seconds']:.0f} s, drained in {mem['seconds']:.0f} s, "
                  f"{mem['sent']} sent)")
            print(f"   RSS at start:      {mem['before_kb'] / 1024:6.1f} MB (interpreter, imports)")
            print(f"   peak RSS:          {mem['peak_kb'] / 1024:6.1f} MB (target <= 200 MB)")


if __name__ == "__main__":
    main()
