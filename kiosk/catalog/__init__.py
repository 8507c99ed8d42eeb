"""The terminal's side of the service catalog: reading it from disk, and searching it.

The catalog itself (model, forms, eligibility, residents, the served document) is the
domain package's ``civic.catalog``; this package adds what the terminal needs around it and
re-exports nothing of it:

``kiosk.catalog.load``
    ``load_catalog(path) -> Catalog`` reads ``seeds/catalog/`` (or the seeds directory) and
    builds the search index; raises :class:`~civic.errors.CatalogInvalid` naming every
    problem. ``check_catalog(path) -> list[Problem]`` returns the same problems without
    raising (``kiosk catalog check``). ``load_served(data) -> Catalog``: a document the
    platform served (JSON bytes), validated and searchable; seconds at a province's size, so
    the terminal calls it on a worker thread. ``load_residents(path) -> list[Resident]``.

``kiosk.catalog.search``
    ``SearchIndex``: Chinese, full pinyin, initials, partial and mixed input, built with the
    catalog (``civic.catalog.catalog_from_document(doc, index=SearchIndex)``).

``kiosk.catalog.bulk``
    ``without_gc()``: the cycle collector paused while a catalog and its index are built.
"""
