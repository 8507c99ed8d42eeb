"""The process the crash tests kill: it queues a few submissions, then syncs until empty.

Run as ``python crash_child.py DATA_DIR TEMPLATE.json N_NEW SEED``. It prints one line per
step (``enqueued ID``, ``syncing``, ``drained``) so the test can tell where a kill landed.
Only the outbox's public pieces are used, exactly as the application would use them.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

from civic.submission import uuid7
from offline_queue import Outbox, credentials
from offline_queue.retry import RetryPolicy
from offline_queue.sync import SyncEngine

SIGNATURE = b"\x89PNG\r\n\x1a\n-signature-of-a-test-citizen"


def main() -> int:
    data_dir, template_path = Path(sys.argv[1]), Path(sys.argv[2])
    n_new, rng = int(sys.argv[3]), random.Random(int(sys.argv[4]))
    template = json.loads(template_path.read_text(encoding="utf-8"))
    with Outbox(data_dir) as box:
        for _ in range(n_new):
            now = dt.datetime.now(dt.UTC).isoformat()
            sid = box.enqueue({**template, "submission_id": uuid7(), "created_at": now},
                              [SIGNATURE])
            print("enqueued", sid, flush=True)
        creds = credentials.load(data_dir)
        policy = RetryPolicy(base_s=0.01, cap_s=0.1, give_up_after=1000)
        with SyncEngine(box, creds, policy=policy, batch_size=rng.choice((1, 5, 10, 20)),
                        connect_timeout_s=2.0, read_timeout_s=5.0) as engine:
            print("syncing", flush=True)
            while box.store.next_due() is not None:
                engine.sync_once()
                time.sleep(0.01)
    print("drained", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
