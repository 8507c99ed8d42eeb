"""Disk full and read-only storage on a real, size-limited filesystem (a small tmpfs).

Mounting needs root: CI runs as root; elsewhere these tests skip (and the permission-based
read-only test runs instead, since root ignores file permissions).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from offline_queue import Outbox
from offline_queue.errors import DiskFullError, ReadOnlyError
from tests.conftest import IN_CI, require_tool
from tests.offline_queue.conftest import SIGNATURE, make_submission

BALLAST = 256 * 1024   # deleted to "free some space"

Mount = Callable[..., None]


def _need_root(why: str) -> None:
    if os.geteuid() != 0:
        message = f"needs root to mount a small tmpfs ({why}); CI runs these as root"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[tuple[Path, Mount]]:
    """A 1.5 MiB tmpfs with a ballast file in it; yields (mount point, mount(options))."""
    _need_root("disk-full and read-only tests on a real filesystem")
    mount = require_tool("mount", "the disk tests mount a size-limited tmpfs")
    umount = require_tool("umount", "the disk tests mount a size-limited tmpfs")
    point = tmp_path / "fs"
    point.mkdir()
    subprocess.run([mount, "-t", "tmpfs", "-o", "size=1536k,mode=0700", "tmpfs", str(point)],
                   check=True, capture_output=True)

    def remount(options: str) -> None:
        subprocess.run([mount, "-o", f"remount,{options}", str(point)], check=True,
                       capture_output=True)

    (point / "ballast").write_bytes(os.urandom(BALLAST))
    try:
        yield point, remount
    finally:
        subprocess.run([umount, str(point)], check=False, capture_output=True)


def test_database_full_refuses_then_recovers(small_fs: tuple[Path, Mount]) -> None:
    """When the database cannot grow, enqueue refuses clearly, keeps all, and works once freed."""
    point, _ = small_fs
    data_dir = point / "data"
    kept: list[str] = []
    with Outbox(data_dir) as box:
        with pytest.raises(DiskFullError, match="disk is full") as full:
            for _ in range(10_000):   # same attachment: only the database grows
                sub = make_submission(form={"text": os.urandom(3000).hex()})
                kept.append(box.enqueue(sub, [SIGNATURE]))
        assert "NOT queued" in str(full.value) and "queueing" in str(full.value)
        assert len(kept) > 20
        with pytest.raises(DiskFullError):   # still full: the same item is refused again
            box.enqueue(make_submission(form={"text": os.urandom(3000).hex()}), [SIGNATURE])
        assert [i["submission_id"] for i in box.items()] == kept
        (point / "ballast").unlink()
        kept.append(box.enqueue(make_submission(), [SIGNATURE]))
    with Outbox(data_dir) as box:
        assert [i["submission_id"] for i in box.items()] == kept
        assert box.stats()["pending"] == len(kept)


def test_attachments_full_refuses_then_recovers(small_fs: tuple[Path, Mount]) -> None:
    """When an attachment cannot be written, nothing is queued, no partial file stays."""
    point, _ = small_fs
    data_dir = point / "data"
    kept: list[tuple[str, bytes]] = []
    with Outbox(data_dir) as box:
        # whichever fills the last bytes, the photo's file or the row naming it, refuses
        with pytest.raises(DiskFullError, match=r"saving an attachment|queueing a submission"):
            for _ in range(1000):
                photo = os.urandom(200_000)
                sub = make_submission(attachments=[
                    *make_submission()["attachments"],
                    {"sha256": hashlib.sha256(photo).hexdigest(),
                     "size": len(photo), "media_type": "image/jpeg", "role": "photo"}])
                kept.append((box.enqueue(sub, [SIGNATURE, photo]), photo))
        assert len(kept) >= 3
        blobs = list((data_dir / "blobs").iterdir())
        assert not [p for p in blobs if p.name.startswith(".")]      # no temporary left
        sizes = {len(c) + 28 for _, c in kept} | {len(SIGNATURE) + 28}
        assert {p.stat().st_size for p in blobs} <= sizes           # no partial blob
        assert [i["submission_id"] for i in box.items()] == [sid for sid, _ in kept]
        (point / "ballast").unlink()
        photo = os.urandom(200_000)
        sha = hashlib.sha256(photo).hexdigest()
        box.enqueue(make_submission(attachments=[
            *make_submission()["attachments"],
            {"sha256": sha, "size": len(photo), "media_type": "image/jpeg", "role": "photo"}]),
            [SIGNATURE, photo])
    with Outbox(data_dir) as box:
        assert len(box.items()) == len(kept) + 1
        for _sid, content in kept:   # every earlier attachment is intact and decrypts
            assert box.store.blobs.read(hashlib.sha256(content).hexdigest()) \
                == content


def test_read_only_mount_refuses_and_keeps_everything(small_fs: tuple[Path, Mount]) -> None:
    """On a read-only mount the outbox says so clearly; after remounting nothing is lost."""
    point, remount = small_fs
    data_dir = point / "data"
    with Outbox(data_dir) as box:
        ids = [box.enqueue(make_submission(), [SIGNATURE]) for _ in range(3)]
    remount("ro")
    with pytest.raises(ReadOnlyError, match="read-only") as refused:
        Outbox(data_dir).open()
    assert "kept" in str(refused.value)
    remount("rw")
    with Outbox(data_dir) as box:
        assert [i["submission_id"] for i in box.items()] == ids
        ids.append(box.enqueue(make_submission(), [SIGNATURE]))
        assert box.stats()["pending"] == 4


def test_read_only_permissions_refuse_and_keep_everything(data_dir: Path) -> None:
    """A data dir the terminal's user may not write is reported read-only; nothing is lost."""
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions; the read-only mount test covers this")
    with Outbox(data_dir) as box:
        ids = [box.enqueue(make_submission(), [SIGNATURE]) for _ in range(2)]
    os.chmod(data_dir, 0o500)
    try:
        with pytest.raises(ReadOnlyError, match="read-only"):
            Outbox(data_dir).open()
    finally:
        os.chmod(data_dir, 0o700)
    with Outbox(data_dir) as box:
        assert [i["submission_id"] for i in box.items()] == ids


def test_database_files_are_owner_only(data_dir: Path) -> None:
    """The database and its WAL and shared-memory files are readable by the owner only."""
    with Outbox(data_dir) as box:
        box.enqueue(make_submission(), [SIGNATURE])
        for name in ("outbox.db", "outbox.db-wal", "outbox.db-shm"):
            assert (data_dir / name).stat().st_mode & 0o077 == 0, name


def test_catalog_cache_disk_full_is_the_outboxs_error(small_fs: tuple[Path, Mount]) -> None:
    """A catalog that cannot be written raises DiskFullError (not a raw OSError), the last
    good catalog stays whole, and the next refresh after freeing space fetches it again."""
    import httpx

    from offline_queue.catalog_cache import CatalogCache

    point, _ = small_fs
    docs = [{"version": "1", "items": ["x"]},
            {"version": "2", "items": ["y" * 400_000]}, {"version": "2", "items": ["y"]}]
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("If-None-Match"))
        doc = docs.pop(0)
        return httpx.Response(200, json=doc, headers={"ETag": f'"{doc["version"]}"'})

    filler = point / "filler"
    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://p") as client:
        cache = CatalogCache(point / "data", client, lambda doc: [])
        assert cache.refresh() == "updated"
        (point / "ballast").unlink()
        with filler.open("wb") as fh:   # leave less room than the next catalog needs
            fh.write(b"\0" * (os.statvfs(point).f_bavail * os.statvfs(point).f_frsize
                              - 200_000))
        with pytest.raises(DiskFullError, match="catalog"):
            cache.refresh()
        assert cache.current() == {"version": "1", "items": ["x"]}
        assert not [p for p in (point / "data" / "catalog").iterdir()
                    if p.name.startswith(".")]                  # no temporary left
        filler.unlink()
        assert cache.refresh() == "updated"
    assert seen == [None, '"1"', None]   # the failed write dropped the old ETag
    assert cache.current() == {"version": "2", "items": ["y"]}
