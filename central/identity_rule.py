"""Which person-to-card checks the platform accepts in a submission of a face item.

platform-api.md, "In a submission": for an item whose catalog entry (in the version the
submission names) says ``identity_assurance = "face"``, a submission is ``422 validation``
with ``fields: {"identity_check": ...}`` unless its check is one of

* ``platform_face``: a check of this device, made in a session that named the applicant,
  that matched, at most :data:`CHECK_VALID_MINUTES` before ``created_at``, and named by no
  other submission;
* ``card_photo_face`` (kiosk channel only, ``civic.submission`` checks the channel): a
  score at least the card-photo threshold the platform names in every terminal's
  configuration (the heartbeat's ``config.card_photo_threshold``). A submission cannot
  carry its terminal's threshold in a way the platform could trust, and a terminal whose
  own setting was lower would pass anything it liked; so the one threshold is the
  platform's, the terminal applies the stricter of its own and that one, and the platform
  records the score (it cannot verify the comparison);
* ``agent_attested`` (agent channel only): the signed-in agent named in ``agent.agent_id``
  attests (the desk has already refused a submission naming another agent). A check id the
  agent added is recorded with the case, not required.

"Named by no other submission" must hold across concurrent deliveries: :meth:`claim` marks
the check inside the transaction that accepts the submission, where a second claim finds
it taken. Submissions of other items may carry a check too; it is kept, not judged.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any, Final

from central import access_log
from civic.catalog import Catalog
from civic.catalog.vocab import IdentityAssurance
from civic.submission import IdentityCheck, IdentityMethod, identity_check, parse_rfc3339

Fields = dict[str, dict[str, str]]

CHECK_VALID_MINUTES: Final = 15
#: how far a terminal's clock may run behind the platform's: a check the platform timed
#: slightly after the terminal's Submit is the same check, not one from the future
CLOCK_SKEW: Final = dt.timedelta(minutes=2)
FIELD: Final = "identity_check"


def _refused(zh: str, en: str) -> Fields:
    return {FIELD: {"zh": zh, "en": en}}


class IdentityRule:
    """Judges and claims a submission's identity check (see the module docstring)."""

    def __init__(self, catalog_for: Callable[[str], Catalog | None],
                 card_photo_threshold: float) -> None:
        self._catalog_for = catalog_for
        self.card_photo_threshold = card_photo_threshold

    def needs_face(self, body: dict[str, Any]) -> bool:
        catalog = self._catalog_for(str(body["catalog_version"]))
        if catalog is None or body["item_code"] not in catalog:
            return False              # the form's validation names the version or item
        return catalog.get(body["item_code"]).identity_assurance is IdentityAssurance.FACE

    def problems(self, conn: sqlite3.Connection, device_id: str,
                 body: dict[str, Any]) -> Fields:
        """Why the submission's check does not do for its item (empty: it does). ``body``
        passed ``civic.submission.shape_problems``."""
        if not self.needs_face(body):
            return {}
        check = identity_check(body)
        if check is None:
            return _refused("此事项须先核验本人（人脸与身份证比对）",
                            "this item needs a person-to-card check (identity_check)")
        if check.method is IdentityMethod.PLATFORM_FACE:
            return self._platform_face(conn, device_id, body, check)
        if check.method is IdentityMethod.CARD_PHOTO_FACE and (
                check.score is None or check.score < self.card_photo_threshold):
            return _refused("本机人脸比对分数未达到要求",
                            f"a card-photo comparison must score at least "
                            f"{self.card_photo_threshold}")
        return {}

    def _platform_face(self, conn: sqlite3.Connection, device_id: str,
                       body: dict[str, Any], check: IdentityCheck) -> Fields:
        row = conn.execute(
            "SELECT f.device_id, f.checked_at, f.result, f.submission_id, s.resident_hash "
            "FROM face_checks f JOIN card_sessions s ON s.session_id = f.session_id "
            "WHERE f.check_id = ?", (check.check_id,)).fetchone()
        if row is None or row["device_id"] != device_id:
            return _refused("平台没有这台终端的这次人脸核验",
                            "the platform has no such face check from this terminal")
        applicant = access_log.resident_hash(conn, str(body["applicant"]["id_number"]))
        if row["resident_hash"] != applicant:
            return _refused("人脸核验不是为申请人做的",
                            "the face check was made in another resident's session")
        if row["result"] != "match":
            return _refused("人脸核验未通过", "the face check did not match")
        created = parse_rfc3339(str(body["created_at"]))
        checked = parse_rfc3339(str(row["checked_at"]))
        assert created is not None and checked is not None
        if created - checked > dt.timedelta(minutes=CHECK_VALID_MINUTES) \
                or checked - created > CLOCK_SKEW:
            return _refused(f"人脸核验须在提交前{CHECK_VALID_MINUTES}分钟内完成，请重新核验",
                            f"the face check must be made at most {CHECK_VALID_MINUTES} "
                            f"minutes before the submission; check again")
        if row["submission_id"] not in (None, body["submission_id"]):
            return _refused("这次人脸核验已用于另一份申请",
                            "this face check was already used by another submission")
        return {}

    def claim(self, conn: sqlite3.Connection, body: dict[str, Any]) -> Fields:
        """Inside the transaction that accepts the submission: mark its platform check as
        named by it; a refusal when another submission took it in the meantime."""
        check = identity_check(body)
        if check is None or check.method is not IdentityMethod.PLATFORM_FACE \
                or not self.needs_face(body):
            return {}
        taken = conn.execute("UPDATE face_checks SET submission_id = ? WHERE check_id = ? "
                             "AND (submission_id IS NULL OR submission_id = ?)",
                             (body["submission_id"], check.check_id, body["submission_id"]))
        if taken.rowcount == 1:
            return {}
        return _refused("这次人脸核验已用于另一份申请",
                        "this face check was already used by another submission")
