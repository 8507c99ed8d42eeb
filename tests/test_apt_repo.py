"""The fleet's apt repository and night-time updates (docs/deployment.md): a repository
made by ``scripts/apt-repo.sh`` with a throwaway signing key is read by the real apt
through ``deploy/apt/gov-kiosk.sources`` (apt's own lists and cache under tmp_path, never
the machine's sources), and the unattended-upgrades snippet and timer overrides say what
the docs promise."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, require_tool

APT = REPO / "deploy" / "apt"
pytestmark = pytest.mark.slow


def run(*cmd: str | Path, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})
    if check:
        assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done


def fake_deb(where: Path, version: str) -> Path:
    """A small package named gov-kiosk (the repository does not look inside it)."""
    root = where / f"pkg-{version}"
    (root / "DEBIAN").mkdir(parents=True)
    (root / "DEBIAN" / "control").write_text(
        f"Package: gov-kiosk\nVersion: {version}\nArchitecture: all\n"
        "Maintainer: test <test@example.invalid>\nDescription: test package\n")
    out = where / f"gov-kiosk_{version}_all.deb"
    run("dpkg-deb", "--root-owner-group", "-b", root, out)
    return out


@pytest.fixture
def signing_key(tmp_path: Path) -> tuple[dict[str, str], str]:
    """A GNUPGHOME with a passphrase-less signing key, and its fingerprint."""
    require_tool("gpg", "signs the repository")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = {"GNUPGHOME": str(home)}
    run("gpg", "--batch", "--passphrase", "", "--quick-gen-key",
        "Test kiosk releases <test@example.invalid>", "ed25519", "sign", "never", env=env)
    listing = run("gpg", "--batch", "--with-colons", "--list-secret-keys", env=env).stdout
    fingerprint = next(line.split(":")[9] for line in listing.splitlines()
                       if line.startswith("fpr:"))
    return env, fingerprint


def apt_options(tmp_path: Path, sources: Path) -> list[str]:
    """apt with its own sources, lists and cache: the machine's are neither read nor
    written (the dpkg status is only read)."""
    for d in ("lists/partial", "cache/archives/partial"):
        (tmp_path / d).mkdir(parents=True, exist_ok=True)
    return ["-o", "Dir::Etc::SourceList=/dev/null", "-o", f"Dir::Etc::SourceParts={sources}",
            "-o", f"Dir::State::Lists={tmp_path / 'lists'}",
            "-o", f"Dir::Cache={tmp_path / 'cache'}", "-o", "APT::Sandbox::User=root",
            "-o", "Debug::NoLocking=1"]


def test_a_signed_repository_is_read_by_apt_through_the_shipped_sources(
        tmp_path: Path, signing_key: tuple[dict[str, str], str]) -> None:
    """apt-repo.sh indexes two versions and signs the index; apt, given the shipped
    sources entry (pointed at it) and the exported key, verifies it and offers the newer
    version; with another key it refuses the repository."""
    require_tool("apt-ftparchive", "indexes the repository (apt-utils)")
    env, fingerprint = signing_key
    repo = tmp_path / "repo"
    debs = [fake_deb(tmp_path, v) for v in ("0.1.0", "0.1.1")]
    run(REPO / "scripts" / "apt-repo.sh", repo, *debs, env={**env, "GPG_KEY": fingerprint})
    for name in ("Packages", "Packages.gz", "Release", "InRelease", "Release.gpg",
                 "gov-kiosk-archive-keyring.gpg"):
        assert (repo / name).is_file(), name
    release = (repo / "Release").read_text()
    assert "Origin: GovKiosk" in release and "Label: gov-kiosk" in release

    parts = tmp_path / "sources.list.d"
    parts.mkdir()
    keyring = tmp_path / "keyrings" / "gov-kiosk-archive-keyring.gpg"   # the terminal's copy
    keyring.parent.mkdir()
    keyring.write_bytes((repo / "gov-kiosk-archive-keyring.gpg").read_bytes())
    shipped = (APT / "gov-kiosk.sources").read_text()
    assert "Signed-By: /usr/share/keyrings/gov-kiosk-archive-keyring.gpg" in shipped
    (parts / "gov-kiosk.sources").write_text(
        re.sub(r"^URIs: .*$", f"URIs: file://{repo}/", shipped, flags=re.M).replace(
            "/usr/share/keyrings/gov-kiosk-archive-keyring.gpg", str(keyring)))
    options = apt_options(tmp_path, parts)
    update = run("apt-get", *options, "update")
    assert "W:" not in update.stdout + update.stderr, update.stdout + update.stderr
    policy = run("apt-cache", *options, "policy", "gov-kiosk").stdout
    assert "Candidate: 0.1.1" in policy and "0.1.0" in policy, policy
    assert "o=GovKiosk" in run("apt-cache", *options, "policy").stdout

    # the same repository signed again by a key the terminal does not hold is refused
    other_env, other = signing_key_of(tmp_path / "other")
    run(REPO / "scripts" / "apt-repo.sh", repo, env={**other_env, "GPG_KEY": other})
    refused = run("apt-get", *options, "update", check=False)
    said = refused.stdout + refused.stderr
    assert "NO_PUBKEY" in said or "not signed" in said, said


def signing_key_of(home: Path) -> tuple[dict[str, str], str]:
    home.mkdir(mode=0o700, parents=True)
    env = {"GNUPGHOME": str(home)}
    run("gpg", "--batch", "--passphrase", "", "--quick-gen-key",
        "Someone else <else@example.invalid>", "ed25519", "sign", "never", env=env)
    listing = run("gpg", "--batch", "--with-colons", "--list-secret-keys", env=env).stdout
    return env, next(line.split(":")[9] for line in listing.splitlines()
                     if line.startswith("fpr:"))


def test_unattended_upgrades_allows_the_fleet_repository_only() -> None:
    """Read by apt's own parser after a stand-in for the package's defaults, the snippet
    leaves one allowed origin, the one apt-repo.sh writes into Release, and no reboot."""
    require_tool("apt-config", "parses apt configuration")
    snippet = APT / "52gov-kiosk-unattended-upgrades"
    script = (REPO / "scripts" / "apt-repo.sh").read_text()
    origin = re.search(r"^ORIGIN=(\S+)$", script, re.M)
    label = re.search(r"^LABEL=(\S+)$", script, re.M)
    assert origin is not None and label is not None
    dump = run("apt-config", "-o", 'Unattended-Upgrade::Origins-Pattern::="origin=Debian"',
               "-c", snippet, "dump", "Unattended-Upgrade").stdout
    patterns = re.findall(r'^Unattended-Upgrade::Origins-Pattern:: "([^"]*)";$', dump, re.M)
    assert patterns == [f"origin={origin.group(1)},label={label.group(1)}"], dump
    assert 'Unattended-Upgrade::Automatic-Reboot "false";' in dump
    assert 'Unattended-Upgrade::Allow-downgrade "false";' in dump


@pytest.mark.parametrize("timer", ["apt-daily.timer", "apt-daily-upgrade.timer"])
def test_the_timers_run_at_night_only(timer: str) -> None:
    """Each override clears the packaged times and sets one night-time start whose
    randomised spread ends before 05:00, and does not catch up after a night switched off;
    the lists come before the upgrade."""
    analyze = require_tool("systemd-analyze", "checks calendar expressions")
    text = (APT / f"{timer}.d" / "gov-kiosk.conf").read_text()
    calendars = re.findall(r"^OnCalendar=(.*)$", text, re.M)
    assert calendars[0] == "" and len(calendars) == 2
    run(analyze, "calendar", calendars[1])
    hour, minute = map(int, re.search(r"(\d\d):(\d\d)$", calendars[1]).groups())  # type: ignore[union-attr]
    spread = re.search(r"^RandomizedDelaySec=(\d+)m$", text, re.M)
    assert spread is not None
    assert hour * 60 + minute + int(spread.group(1)) <= 5 * 60
    assert re.search(r"^Persistent=false$", text, re.M)
    if timer == "apt-daily-upgrade.timer":
        lists = (APT / "apt-daily.timer.d" / "gov-kiosk.conf").read_text()
        lists_at = re.search(r"^OnCalendar=\*-\*-\* (\d\d):(\d\d)$", lists, re.M)
        assert lists_at is not None
        lists_end = int(lists_at.group(1)) * 60 + int(lists_at.group(2)) + int(
            re.search(r"RandomizedDelaySec=(\d+)m", lists).group(1))  # type: ignore[union-attr]
        assert lists_end <= hour * 60 + minute
