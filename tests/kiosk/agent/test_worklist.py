"""The work list: fetched from the sandbox, sealed on disk, matched to cards, expiring."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from civic.catalog.residents import Resident
from devices.idcard.card import IdCard
from kiosk.agent import WorklistBook, id_hash
from kiosk.agent.errors import NotSignedIn, WorklistExpired, WorklistUnavailable
from kiosk.agent.worklist import Worklist, parse_time
from tests.kiosk.agent.conftest import AREA, PIN, Terminal, WallClock, identity_of, new_agent

if TYPE_CHECKING:
    from central.platform import SandboxServer


def test_id_hash_is_the_platforms() -> None:
    """The terminal's hash equals the sandbox's for the same salt and number, x upper-cased."""
    from central.api.residents import id_hash as platform_hash

    for number in ("11010519491231002X", "11010519491231002x", "330110194610230210"):
        assert id_hash("salt", number) == platform_hash("salt", number)
    assert id_hash("s", "11010519491231002x") == id_hash("s", "11010519491231002X")


def test_sync_match_and_reasons(terminal: Terminal, id_cards: dict[str, IdCard],
                                residents: dict[str, Resident]) -> None:
    """A synced list matches a local resident's card, with eligible items and both reasons."""
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    book = WorklistBook(terminal.platform, terminal.vault, auth)
    worklist = book.sync()
    assert worklist.residents and all(r.village == AREA for r in worklist.residents)
    local, _, elsewhere = id_cards
    found = book.match(identity_of(id_cards[local]))
    assert found is not None and found.resident_ref == local
    assert found.name_masked.startswith(residents[local].name[0])
    assert residents[local].name not in found.name_masked
    assert found.eligible, "a demo resident of the area has something to apply for"
    item = found.eligible[0]
    assert item.reason("zh") and item.reason("en") and item.reason("zh") != item.reason("en")
    assert book.match(identity_of(id_cards[elsewhere])) is None


def test_stored_list_works_offline_until_valid_until(terminal: Terminal,
                                                     id_cards: dict[str, IdCard]) -> None:
    """Offline, the sealed list still matches; past valid_until it is refused and deleted."""
    clock = WallClock()
    auth = terminal.auth(clock=clock)
    auth.sign_in(terminal.agent_number, PIN)
    fetched = WorklistBook(terminal.platform, terminal.vault, auth, clock=clock).sync()
    terminal.line.down()
    offline_auth = terminal.auth(clock=clock)
    offline_auth.sign_in(terminal.agent_number, PIN)
    book = WorklistBook(terminal.platform, terminal.vault, offline_auth, clock=clock)
    assert book.load() == fetched
    assert book.match(identity_of(id_cards[next(iter(id_cards))])) is not None
    clock.t = parse_time(fetched.valid_until) + 1
    with pytest.raises(WorklistExpired) as info:
        book.load()
    assert "过期" in info.value.zh and "expired" in info.value.en
    assert not list((terminal.data_dir / "agent").glob("worklist-*"))
    with pytest.raises(WorklistUnavailable):
        book.load()


def test_another_agent_does_not_see_the_list(terminal: Terminal,
                                             sandbox: SandboxServer) -> None:
    """Each agent's list is their own: another agent on the same terminal has none."""
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    WorklistBook(terminal.platform, terminal.vault, auth).sync()
    auth.sign_in(new_agent(sandbox), PIN)
    with pytest.raises(WorklistUnavailable):
        WorklistBook(terminal.platform, terminal.vault, auth).load()


def test_stale_token_is_renewed_once(terminal: Terminal) -> None:
    """A token the platform no longer knows is replaced by signing in again, silently."""
    auth = terminal.auth()
    session = auth.sign_in(terminal.agent_number, PIN)
    session.set_token("not-a-token")
    worklist = WorklistBook(terminal.platform, terminal.vault, auth).sync()
    assert worklist.residents and auth.token() not in (None, "not-a-token")


def test_work_list_needs_a_signed_in_agent(terminal: Terminal) -> None:
    """Without a sign-in there is no list to fetch or open."""
    book = WorklistBook(terminal.platform, terminal.vault, terminal.auth())
    with pytest.raises(NotSignedIn):
        book.load()


def test_malformed_lists_are_refused() -> None:
    """A list without valid_until or with a resident lacking id_hash is not accepted."""
    good = {"generated_at": "2026-01-01T00:00:00Z", "valid_until": "2026-01-08T00:00:00Z",
            "salt": "ab", "residents": [{"id_hash": "AA", "eligible": [{"item_code": "X"}]}]}
    parsed = Worklist.from_document(good, "agent-1")
    assert parsed.residents[0].id_hash == "aa"
    assert Worklist.from_document(parsed.to_document(), "agent-1") == parsed
    for broken in ({**good, "valid_until": "tomorrow"}, {**good, "residents": [{}]},
                   {**good, "salt": ""}, []):
        with pytest.raises(ValueError):
            Worklist.from_document(broken, "agent-1")
