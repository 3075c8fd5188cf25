"""Dedup's lease: one writer of its state, the lock on the file beside it."""

from __future__ import annotations

from pathlib import Path

from services.core.lease import FileLease, Holder
from services.core.settings import Settings
from services.dedup.handler import dedup_lease


def test_dedup_holds_the_lock_beside_its_state_file(tmp_path: Path) -> None:
    lease = dedup_lease(Settings(data_dir=tmp_path), Holder("dedup", "here", 1, 0.0))
    assert isinstance(lease, FileLease)
    assert lease.resource == str(tmp_path / "dedup.db.lock")
