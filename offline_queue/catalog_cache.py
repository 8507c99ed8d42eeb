"""The service catalog kept on disk, refreshed with ``If-None-Match``, validated before use.

The outbox does not know the catalog model: the application hands in ``validate``, which
returns a list of problems (empty when the document is good). A catalog that fails
validation is rejected and the last good one stays.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from offline_queue.files import write_durably

log = logging.getLogger(__name__)

Validator = Callable[[dict[str, Any]], list[str]]


class CatalogCache:
    def __init__(self, data_dir: Path, client: httpx.Client, validate: Validator) -> None:
        self.dir = data_dir / "catalog"
        self.client, self.validate = client, validate

    def current(self) -> dict[str, Any] | None:
        path = self.dir / "catalog.json"
        if not path.exists():
            return None
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return doc

    def refresh(self) -> str:
        """'unchanged', 'updated', 'rejected' or 'offline'; the last good catalog stays."""
        self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        etag_path = self.dir / "etag"
        headers = {}
        if etag_path.exists() and (self.dir / "catalog.json").exists():
            headers["If-None-Match"] = etag_path.read_text()
        try:
            answer = self.client.get("/v1/catalog", headers=headers)
            if answer.status_code == 304:
                return "unchanged"
            if answer.status_code != 200:
                return "offline"
            doc = answer.json()
        except (httpx.HTTPError, ValueError):
            return "offline"
        problems = self.validate(doc) if isinstance(doc, dict) else ["not a JSON object"]
        if problems:
            log.warning("catalog.rejected", extra={"ctx": {"problems": problems[:5]}})
            return "rejected"
        self._write(self.dir / "catalog.json", json.dumps(doc, ensure_ascii=False).encode())
        self._write(etag_path, answer.headers.get("ETag", "").encode())
        return "updated"

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        write_durably(path, data)
