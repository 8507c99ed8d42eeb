"""Catalog updates from the platform: fetched, checked and indexed on the ``catalog`` worker,
handed to the GUI thread finished.

A served catalog at a province's size takes seconds to parse, check and index (10 000
items: about 3 s, ``bench/catalog_search.py``), which on the GUI thread would freeze the
screen under a citizen's finger. Here the worker asks the platform (``If-None-Match``,
:class:`~offline_queue.catalog_cache.CatalogCache`), builds the new catalog with its search
index while checking it (so it is built once, and a bad one is never saved), and the GUI
thread only receives the finished :class:`~civic.catalog.Catalog`: the receiver swaps it in
with one assignment, so that no search ever sees part of one catalog and part of another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QTimer

from civic.catalog import Catalog
from civic.errors import CatalogInvalid
from kiosk.catalog.load import load_document
from kiosk.ui.bridges.invoker import GuiInvoker, Worker
from offline_queue.catalog_cache import CatalogCache, Refresh
from offline_queue.errors import OutboxError

log = logging.getLogger(__name__)


class CatalogUpdates:
    """``refresh()`` asks for a newer catalog (and ``start(interval_s)`` keeps asking);
    ``on_catalog(catalog)`` receives each new one on the GUI thread. ``http``: a client
    to the platform (base URL and token), closed with this object."""

    def __init__(self, invoker: GuiInvoker, data_dir: Path, http: httpx.Client,
                 on_catalog: Callable[[Catalog], None]) -> None:
        self._http = http
        self._cache = CatalogCache(data_dir, http, self._build)
        self._on_catalog = on_catalog
        self._worker = Worker("catalog", invoker)
        self._built: Catalog | None = None      # touched on the worker thread only
        self._timer: QTimer | None = None
        self._closed = False

    def start(self, interval_s: float) -> None:
        """Ask now, then every ``interval_s``."""
        self._timer = QTimer()
        self._timer.setInterval(int(interval_s * 1000))
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        if not self._closed:
            self._worker.submit(self._fetch, self._deliver)

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._worker.close()
        self._http.close()

    # -- on the worker ----------------------------------------------------------------------
    def _fetch(self) -> Catalog | None:
        self._built = None
        try:
            outcome = self._cache.refresh()
        except OutboxError as exc:        # disk full, read-only: the old catalog stays
            log.warning("catalog.not_saved", extra={"ctx": {"why": type(exc).__name__}})
            return None
        log.info("catalog.refreshed", extra={"ctx": {"outcome": outcome}})
        return self._built if outcome is Refresh.UPDATED else None

    def _build(self, document: dict[str, Any]) -> list[str]:
        """The cache's check: the catalog built, with its index, or its problems."""
        try:
            self._built = load_document(document)
        except CatalogInvalid as exc:
            return [str(problem) for problem in exc.problems]
        return []

    # -- on the GUI thread ------------------------------------------------------------------
    def _deliver(self, catalog: Catalog | None) -> None:
        if catalog is not None and not self._closed:
            self._on_catalog(catalog)
