"""The service catalog: items, forms, eligibility rules, search, demo residents (no Qt).

The terminal and the sandbox platform (``central``) both use this package. Public API:

Loading and checking
    ``load_catalog(path) -> Catalog``: reads ``seeds/catalog/`` (or the seeds directory);
    raises :class:`CatalogInvalid` (a :class:`CatalogError`) whose ``problems`` name every
    problem with file, item and place. ``check_catalog(path) -> list[Problem]`` returns the
    same problems without raising (``kiosk catalog check``).

Serving
    ``catalog.to_document(generated_at=None) -> dict``: JSON-ready ``{"version",
    "generated_at", "items", "departments", "life_events", "item_types", "bundles"}``;
    ``version`` is ``"sha256:<hex>"`` over the content, so the same seeds give the same
    version (use it as the ETag). ``catalog_from_document(doc) -> Catalog`` rebuilds and
    validates a served document (and its version); :class:`CatalogInvalid` if it is bad.

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
    Rules are ``kiosk.catalog.expr`` expressions, parsed, never ``eval``-ed.

Residents
    ``load_residents(path) -> list[Resident]``: card fields, ``shared_data()``,
    ``card_fields()``, optional ``social_security_card``; ``repr`` masks name and ID number.

Search and browsing
    ``catalog.search(query, limit=20) -> [Hit]`` (``hit.item``, ``hit.tier``, ``hit.matched``):
    Chinese, full pinyin, initials, partial and mixed input, precomputed at load.
    ``catalog.by_department(key)``, ``by_life_event(key)``, ``bundles`` / ``bundle_items(key)``
    ("one thing" 一件事), ``popular(limit)``.
"""

from kiosk.catalog.document import catalog_from_document
from kiosk.catalog.eligibility import Assessment, assess, assess_items, eligible_items, facts_of
from kiosk.catalog.errors import CatalogError, CatalogInvalid, ResidentsInvalid, RuleSyntaxError
from kiosk.catalog.expr import Outcome, Verdict
from kiosk.catalog.forms import Choice, Field, Form, FormRule
from kiosk.catalog.load import check_catalog, load_catalog
from kiosk.catalog.model import (
                                 Bundle,
                                 Catalog,
                                 Department,
                                 Eligibility,
                                 Handling,
                                 Item,
                                 LifeEvent,
                                 Material,
                                 Output,
)
from kiosk.catalog.prefill import exempt_materials, prefill_response, prefill_values
from kiosk.catalog.problems import Problem
from kiosk.catalog.residents import Resident, SocialSecurityCard, load_residents
from kiosk.catalog.search import Hit
from kiosk.catalog.vocab import FieldType, Mode, OutputKind

__all__ = [
    "Assessment", "Bundle", "Catalog", "CatalogError", "CatalogInvalid", "Choice", "Department",
    "Eligibility", "Field", "FieldType", "Form", "FormRule", "Handling", "Hit", "Item",
    "LifeEvent", "Material", "Mode", "Outcome", "Output", "OutputKind", "Problem", "Resident",
    "ResidentsInvalid", "RuleSyntaxError", "SocialSecurityCard", "Verdict", "assess",
    "assess_items", "catalog_from_document", "check_catalog", "eligible_items",
    "exempt_materials", "facts_of", "load_catalog", "load_residents", "prefill_response",
    "prefill_values",
]
