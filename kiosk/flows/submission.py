"""The platform-API Submission a finished session becomes (``platform-api.md``).

Built once, when the citizen presses Submit: a fresh UUIDv7 ``submission_id`` (time
ordered), the applicant from the card (:meth:`Identity.applicant`), the form values, every
attachment (the signature PNG, document photos) by SHA-256, and the consent: signed, or
confirmed on the keypad with no signature (``civic.submission.ConsentMethod``), and for a
face item the person-to-card check (``civic.submission.IdentityCheck``). The result is
handed to ``Outbox.enqueue`` with the attachment bytes; ``local_receipt`` is left for the
outbox to assign, so the number printed offline is the one the platform later receives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from civic.catalog.model import Item
from civic.catalog.vocab import FieldType
from civic.identity import Identity
from civic.submission import ConsentMethod, IdentityCheck, uuid7


@dataclass(frozen=True)
class Attachment:
    data: bytes
    media_type: str
    role: str                      # signature | document | photo

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def describe(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": len(self.data), "media_type": self.media_type,
                "role": self.role}

    def __repr__(self) -> str:     # photos are personal data: never their bytes
        return f"Attachment({self.role}, {self.media_type}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class BuiltSubmission:
    body: dict[str, Any]
    attachments: tuple[Attachment, ...]

    @property
    def submission_id(self) -> str:
        return str(self.body["submission_id"])

    def blobs(self) -> list[bytes]:
        return [a.data for a in self.attachments]

    def __repr__(self) -> str:
        return f"BuiltSubmission({self.submission_id}, {len(self.attachments)} attachments)"


def build_submission(*, item: Item, catalog_version: str, identity: Identity,
                     values: Mapping[str, Any], signature_png: bytes | None,
                     files: Mapping[str, Attachment], prefill_authorised: bool,
                     now: dt.datetime, channel: str = "kiosk",
                     identity_check: IdentityCheck | None = None) -> BuiltSubmission:
    """The Submission body and its attachments. ``now`` must be timezone-aware.
    ``signature_png`` None: the citizen confirmed on the keypad instead of signing.
    ``identity_check``: the person-to-card check the flow made (a face item needs one; the
    platform refuses the submission without it), carried as it is."""
    if now.tzinfo is None:
        raise ValueError("created_at needs a timezone (RFC 3339 with offset)")
    signature = None if signature_png is None else \
        Attachment(signature_png, "image/png", "signature")
    signature_sha = None if signature is None else signature.sha256
    attachments: dict[str, Attachment] = {} if signature is None else \
        {signature.sha256: signature}
    form: dict[str, Any] = {}
    for field in item.form.fields:
        if field.type == FieldType.SIGNATURE:
            form[field.key] = signature_sha
        elif field.type == FieldType.FILE:
            if field.key in files:
                attachment = files[field.key]
                attachments.setdefault(attachment.sha256, attachment)
                form[field.key] = attachment.sha256
        elif field.key in values and values[field.key] not in (None, "", []):
            form[field.key] = values[field.key]
    stamp = now.isoformat(timespec="seconds")
    body: dict[str, Any] = {
        "submission_id": uuid7(), "item_code": item.code, "catalog_version": catalog_version,
        "channel": channel, "created_at": stamp, "applicant": identity.applicant(),
        "form": form, "attachments": [a.describe() for a in attachments.values()],
        "consent": {"signed_at": stamp, "signature_sha256": signature_sha,
                    "method": str(ConsentMethod.SIGNATURE if signature is not None
                                  else ConsentMethod.KEYPAD_CONFIRMATION),
                    "prefill_authorised": prefill_authorised},
        "replaces": None,
    }
    if identity_check is not None:
        body["identity_check"] = identity_check.as_dict()
    return BuiltSubmission(body, tuple(attachments.values()))
