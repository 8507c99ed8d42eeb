"""Agent sign-in against the real sandbox: online, offline, lock-out, throttling, expiry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.agent.errors import (
    LockedOut,
    NotSignedIn,
    OfflineSignInUnavailable,
    SignInRefused,
    SignInThrottled,
    TerminalNotReady,
)
from kiosk.agent.platform import AgentPlatform
from kiosk.agent.signin import DAY_S
from kiosk.config import AgentConfig
from tests.kiosk.agent.conftest import PIN, TIMEOUTS, Terminal, WallClock, enrol, new_agent

if TYPE_CHECKING:
    from central.platform import SandboxServer


def test_online_sign_in_keeps_a_sealed_hash_and_gets_a_token(terminal: Terminal) -> None:
    """Online sign-in returns the platform's agent and token; the PIN is not on disk."""
    auth = terminal.auth()
    session = auth.sign_in(terminal.agent_number, PIN)
    assert session.online and session.agent_id.startswith("agent-")
    assert session.profile.area == "荀山村"
    assert auth.token() == session.token()
    for path in terminal.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PIN.encode() not in data and "荀山村".encode() not in data, path
    assert PIN not in repr(session) and str(session.token()) not in repr(session)


def test_offline_sign_in_within_offline_days(terminal: Terminal) -> None:
    """After one online sign-in, the agent signs in offline until offline_days have passed."""
    clock = WallClock()
    terminal.auth(clock=clock).sign_in(terminal.agent_number, PIN)
    terminal.line.down()
    clock.advance(6 * DAY_S)
    session = terminal.auth(clock=clock).sign_in(terminal.agent_number, PIN)
    assert not session.online and session.profile.area == "荀山村"
    clock.advance(1.01 * DAY_S)
    with pytest.raises(OfflineSignInUnavailable) as info:
        terminal.auth(clock=clock).sign_in(terminal.agent_number, PIN)
    assert info.value.reason == "expired" and "过期" in info.value.zh


def test_offline_sign_in_needs_one_online_sign_in_first(terminal: Terminal) -> None:
    """With no network and no record, the agent is told to sign in online once."""
    terminal.line.down()
    with pytest.raises(OfflineSignInUnavailable) as info:
        terminal.auth().sign_in(terminal.agent_number, PIN)
    assert info.value.reason == "never" and "online" in info.value.en


def test_offline_lockout_survives_a_restart(terminal: Terminal) -> None:
    """Wrong offline PINs lock sign-in, and a new AgentAuth (app restart) is still locked."""
    clock = WallClock()
    limits = AgentConfig(max_pin_failures=3, lockout_minutes=10)
    terminal.auth(clock=clock).sign_in(terminal.agent_number, PIN)
    terminal.line.down()
    auth = terminal.auth(limits, clock=clock)
    with pytest.raises(SignInRefused) as first:
        auth.sign_in(terminal.agent_number, "000000")
    assert first.value.attempts_left == 2
    with pytest.raises(SignInRefused):
        auth.sign_in(terminal.agent_number, "000000")
    with pytest.raises(LockedOut):
        auth.sign_in(terminal.agent_number, "000000")
    restarted = terminal.auth(limits, clock=clock)
    with pytest.raises(LockedOut) as locked:
        restarted.sign_in(terminal.agent_number, PIN)       # even the right PIN waits
    assert "锁定" in locked.value.zh and "locked" in locked.value.en
    clock.advance(601)
    assert restarted.sign_in(terminal.agent_number, PIN).agent_id


def test_turning_the_clock_back_does_not_end_a_lockout(terminal: Terminal) -> None:
    """A wall clock set back is taken as the latest time seen, so the lock still holds."""
    clock = WallClock()
    limits = AgentConfig(max_pin_failures=1, lockout_minutes=10)
    terminal.auth(clock=clock).sign_in(terminal.agent_number, PIN)
    terminal.line.down()
    with pytest.raises(LockedOut):
        terminal.auth(limits, clock=clock).sign_in(terminal.agent_number, "000000")
    clock.advance(-3600)
    with pytest.raises(LockedOut):
        terminal.auth(limits, clock=clock).sign_in(terminal.agent_number, PIN)


def test_wrong_pin_online_drops_the_offline_hash(terminal: Terminal) -> None:
    """A 401 bad_credentials is told apart and the stored hash no longer signs in offline."""
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    with pytest.raises(SignInRefused) as info:
        auth.sign_in(terminal.agent_number, "246802")
    assert info.value.attempts_left == 4 and "密码" in info.value.zh
    terminal.line.down()
    with pytest.raises(OfflineSignInUnavailable):
        terminal.auth().sign_in(terminal.agent_number, PIN)


def test_platform_throttling_is_told_apart(terminal: Terminal) -> None:
    """After the platform's own lock, its 429 becomes SignInThrottled with Retry-After."""
    auth = terminal.auth(AgentConfig(max_pin_failures=20))
    for _ in range(5):
        with pytest.raises(SignInRefused):
            auth.sign_in(terminal.agent_number, "111111")
    with pytest.raises(SignInThrottled) as info:
        auth.sign_in(terminal.agent_number, PIN)
    assert 800 < info.value.retry_after_s <= 900
    assert "分钟" in info.value.zh and "minute" in info.value.en


def test_kiosk_terminal_cannot_sign_agents_in(sandbox: SandboxServer, tmp_path: Path) -> None:
    """A terminal enrolled as a kiosk gets a clear 'not an agent terminal' message."""
    from kiosk.agent import Vault
    from kiosk.agent.signin import AgentAuth

    enrol(sandbox, tmp_path, "kiosk")
    auth = AgentAuth(AgentPlatform(tmp_path, **TIMEOUTS), Vault(tmp_path), AgentConfig())
    with pytest.raises(TerminalNotReady) as info:
        auth.sign_in(new_agent(sandbox), PIN)
    assert "代办终端" in info.value.zh


def test_inactivity_signs_the_agent_out(terminal: Terminal) -> None:
    """After the inactivity time-out without activity, the session is gone."""
    now = [0.0]
    auth = terminal.auth(AgentConfig(inactivity_sign_out_s=300), monotonic=lambda: now[0])
    auth.sign_in(terminal.agent_number, PIN)
    now[0] = 299
    auth.activity()
    now[0] = 598
    assert auth.session().online
    now[0] = 599
    with pytest.raises(NotSignedIn):
        auth.session()
    assert auth.token() is None


def test_offline_session_renews_its_token_when_the_line_returns(terminal: Terminal) -> None:
    """An offline sign-in gets a platform token once the network is back, without the PIN."""
    terminal.auth().sign_in(terminal.agent_number, PIN)
    terminal.line.down()
    auth = terminal.auth()
    auth.sign_in(terminal.agent_number, PIN)
    assert not auth.renew_token()
    terminal.line.up()
    assert auth.renew_token() and auth.session().online


def test_limits_come_from_the_configuration(terminal: Terminal) -> None:
    """The [agent] settings of config.toml set the lock-out and the inactivity sign-out."""
    from kiosk import config

    (terminal.data_dir / config.CONFIG_FILE).write_text(
        "[agent]\nmax_pin_failures = 2\nlockout_minutes = 5\ninactivity_sign_out_s = 120\n",
        encoding="utf-8")
    limits = config.load(terminal.data_dir, environ={}).agent
    clock, now = WallClock(), [0.0]
    terminal.auth(clock=clock).sign_in(terminal.agent_number, PIN)
    terminal.line.down()
    auth = terminal.auth(limits, clock=clock, monotonic=lambda: now[0])
    with pytest.raises(SignInRefused) as first:
        auth.sign_in(terminal.agent_number, "000000")
    assert first.value.attempts_left == 1
    with pytest.raises(LockedOut) as locked:
        auth.sign_in(terminal.agent_number, "000000")
    assert locked.value.until - clock() == 300
    clock.advance(301)
    auth.sign_in(terminal.agent_number, PIN)
    now[0] = 119
    assert auth.session()
    now[0] = 120
    with pytest.raises(NotSignedIn):
        auth.session()


def test_revoked_terminal_is_not_ready(sandbox: SandboxServer, terminal: Terminal) -> None:
    """A device token the platform revoked is not a wrong PIN: the agent is told the terminal
    needs a technician, and no attempt is counted."""
    from central import admin

    admin.revoke(sandbox.platform.settings.data_dir, terminal.creds.device_id)
    auth = terminal.auth()
    for _ in range(6):
        with pytest.raises(TerminalNotReady) as info:
            auth.sign_in(terminal.agent_number, "000000")
    assert "重新登记" in info.value.zh
