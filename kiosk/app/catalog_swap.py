"""A newer catalog from the platform, held until the mode is between citizens.

The catalog arrives built and indexed from the ``catalog`` worker (``kiosk.ui.bridges.catalog``)
at any moment; it replaces the flow's only when no citizen's session is open, in one
assignment, so that a session keeps the catalog it began with: its item, its form and the
``catalog_version`` it submits agree. Each mode says what "between citizens" means for it
(the kiosk's attract screen, the agent's work list) and calls :meth:`CatalogSwap.try_swap`
whenever that may have become true.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civic.catalog.model import Catalog
    from kiosk.flows.session import CitizenFlow

log = logging.getLogger(__name__)


class CatalogSwap:
    def __init__(self, flow: CitizenFlow, between_citizens: Callable[[], bool]) -> None:
        self.flow, self.between_citizens = flow, between_citizens
        self.waiting: Catalog | None = None

    def offer(self, catalog: Catalog) -> None:
        """A newer catalog (on the GUI thread): swapped in now if no session is open."""
        self.waiting = catalog
        self.try_swap()

    def try_swap(self, *_topic: Any) -> None:
        """Swap the waiting catalog in if the mode is between citizens (a flow or visit
        listener: the topic is not needed)."""
        catalog = self.waiting
        if catalog is not None and self.between_citizens():
            self.flow.catalog, self.waiting = catalog, None
            log.info("app.catalog_swapped", extra={"ctx": {"items": len(catalog)}})
