"""The catalog as the platform serves it, and the demo residents behind its shared data.

Every catalog version the platform has served is kept (in ``catalog_versions``), so a
submission is validated against the version it names, even after the seeds changed.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

from central.clock import Clock, rfc3339
from central.db import Database, write
from civic import catalog as catalog_model
from civic.catalog.sourcefiles import FileData
from civic.errors import CatalogInvalid


def _read(path: Path) -> FileData:
    try:
        return path.read_bytes()
    except OSError as exc:
        return exc


def load_catalog(root: Path) -> catalog_model.Catalog:
    """The catalog in the seed directory ``root`` (no search index: the platform does not
    search); :class:`CatalogInvalid` lists every problem."""
    files = {p.relative_to(root).as_posix(): _read(p) for p in sorted(root.rglob("*.toml"))}
    problems = catalog_model.Problems()
    catalog = catalog_model.build(catalog_model.read_sources(files, str(root), problems),
                                  problems)
    if problems:
        raise CatalogInvalid(problems.items)
    return catalog


class CatalogSource:
    def __init__(self, seeds_dir: Path, db: Database, clock: Clock) -> None:
        self._db = db
        self.catalog = load_catalog(seeds_dir / "catalog")
        self.residents = catalog_model.parse_residents(_read(seeds_dir / "residents.toml"),
                                                       str(seeds_dir / "residents.toml"))
        self.document = self.catalog.to_document()
        self.version: str = self.document["version"]
        self.document_bytes = json.dumps(self.document, ensure_ascii=False,
                                         separators=(",", ":")).encode()
        self.etag = f'"{self.version}"'
        self._by_version: dict[str, Any] = {self.version: self.catalog}
        self._lock = threading.Lock()
        with db.session() as conn, write(conn):
            conn.execute("INSERT OR IGNORE INTO catalog_versions VALUES (?, ?, ?)",
                         (self.version, self.document_bytes, rfc3339(clock())))

    def catalog_for(self, version: str) -> Any | None:
        with self._lock:
            if version in self._by_version:
                return self._by_version[version]
        with self._db.session() as conn:
            row = conn.execute("SELECT document FROM catalog_versions WHERE version = ?",
                               (version,)).fetchone()
        if row is None:
            return None
        catalog = catalog_model.catalog_from_document(json.loads(row["document"]))
        with self._lock:
            self._by_version[version] = catalog
        return catalog

    def validate_form(self, item_code: str, version: str, form: dict[str, Any],
                      today: dt.date, keypad_confirmed: bool = False
                      ) -> dict[str, dict[str, str]]:
        catalog = self.catalog_for(version)
        if catalog is None:
            return {"catalog_version": {"zh": "服务目录版本未知，请更新目录后重新填写",
                                        "en": "unknown catalog version; update the catalog "
                                              "and fill the form in again"}}
        if item_code not in catalog:
            return {"item_code": {"zh": "该事项不在此版本的服务目录中",
                                  "en": "the item is not in this catalog version"}}
        return dict(catalog.get(item_code).form.validate(form, today=today,
                                                         keypad_confirmed=keypad_confirmed))

    def resident_by_id(self, id_number: str) -> Any | None:
        wanted = id_number.strip().upper()
        return next((r for r in self.residents if r.id_number.upper() == wanted), None)
