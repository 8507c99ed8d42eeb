"""The service catalog: items, forms, eligibility rules, demo residents (pure: no I/O).

The terminal (``kiosk``) and the sandbox platform (``central``) both use this package; each
reads the seed files itself and hands their bytes in (``kiosk.catalog.load`` adds the
search index). Public API:

Building and checking
    ``read_sources(files, directory, problems) -> Sources`` and ``build(sources, problems,
    index=None) -> Catalog``: the catalog in a seed directory's files (``sourcefiles``), every
    problem collected in a :class:`Problems` with file, item and place; a caller that finds
    problems raises :class:`~civic.errors.CatalogInvalid`.
    ``index`` builds a search index from the items (``Catalog.search`` needs one).

Serving
    ``catalog.to_document(generated_at=None) -> dict``: JSON-ready ``{"version",
    "generated_at", "items", "departments", "life_events", "item_types", "bundles",
    "form_parts"}``; ``version`` is ``"sha256:<hex>"`` over the content, so the same seeds
    give the same version (use it as the ETag). ``catalog_from_document(doc, index=None) ->
    Catalog`` rebuilds and validates a served document (and its version);
    :class:`~civic.errors.CatalogInvalid` if it is bad.

Items
    ``catalog.get(code)``, ``catalog.items``, ``item.mode`` (``Mode.APPLY``, ``QUERY_PRINT``,
    ``AGENT_ONLY``), ``item.materials`` (``exempt_via_shared_data``, ``source``),
    ``item.output`` (receipt, or an A4 proof with ``title`` and printed ``fields``),
    ``item.handling`` (agent_only: service hall, steps, ``agent_can_handle``).

Forms
    ``item.form.fields`` (key, label zh/en, type, required, prefill, choices, ...);
    ``item.form.validate(values, today=date) -> {field_key: {"zh", "en"}}`` (empty = valid):
    required, types, patterns, ranges, choices, ID-number checksum, phone, bank account,
    dates, cross-field rules. A file or signature value is the attachment's sha256 hex.

Prefill
    ``prefill_values(form, card, shared) -> dict``; ``prefill_response(item, card, shared)
    -> {"fields", "exempt_materials"}`` for ``GET /v1/residents/{id}/prefill``; sources are
    ``card:<name|gender|nation|birth_date|address|id_number>`` and ``shared:<key>``
    (``vocab.SHARED_KEYS``).

Eligibility
    ``eligible_items(catalog, profile, today, include_unknown=False) -> [(code, Text)]``;
    ``assess_items(...) -> [Assessment]`` with eligible / not_eligible / unknown (and the
    missing facts); ``profile`` is a mapping (``Resident.as_profile()``) or a Resident.
    Rules are ``civic.catalog.expr`` expressions, parsed, never ``eval``-ed.

Residents
    ``parse_residents(data, shown) -> list[Resident]``: card fields, ``shared_data()``,
    ``card_fields()``, optional ``social_security_card``; ``repr`` masks name and ID number;
    :class:`~civic.errors.ResidentsInvalid` lists every problem of the file.

Browsing and search
    ``catalog.by_department(key)``, ``by_life_event(key)``, ``bundles`` / ``bundle_items(key)``
    ("one thing" 一件事), ``popular(limit)``; ``catalog.search(query, limit=20) -> [Hit]``
    (``hit.item``, ``hit.tier``, ``hit.matched``) when an index was handed in.
"""

from civic.catalog.build import Sources, build
from civic.catalog.eligibility import Assessment, assess, assess_items, eligible_items, facts_of
from civic.catalog.forms import Choice, Field, Form, FormRule
from civic.catalog.model import (
    Bundle,
    Catalog,
    Department,
    Eligibility,
    Handling,
    Hit,
    Index,
    IndexFactory,
    Item,
    LifeEvent,
    Material,
    Output,
)
from civic.catalog.prefill import exempt_materials, prefill_response, prefill_values
from civic.catalog.problems import CatalogProblem, Problems
from civic.catalog.residents import IssuedSocialSecurityCard, Resident, parse_residents
from civic.catalog.served import catalog_from_document
from civic.catalog.sourcefiles import read_sources
from civic.catalog.verdict import EligibilityOutcome, Verdict
from civic.catalog.vocab import FieldType, Mode, OutputKind

__all__ = [
    "Assessment",
    "Bundle",
    "Catalog",
    "CatalogProblem",
    "Choice",
    "Department",
    "Eligibility",
    "EligibilityOutcome",
    "Field",
    "FieldType",
    "Form",
    "FormRule",
    "Handling",
    "Hit",
    "Index",
    "IndexFactory",
    "IssuedSocialSecurityCard",
    "Item",
    "LifeEvent",
    "Material",
    "Mode",
    "Output",
    "OutputKind",
    "Problems",
    "Resident",
    "Sources",
    "Verdict",
    "assess",
    "assess_items",
    "build",
    "catalog_from_document",
    "eligible_items",
    "exempt_materials",
    "facts_of",
    "parse_residents",
    "prefill_response",
    "prefill_values",
    "read_sources",
]
