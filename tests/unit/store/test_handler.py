"""The store's lease: one writer of a SQLite file; none needed on a database server."""

from __future__ import annotations

from pathlib import Path

from services.core.lease import FileLease, Holder
from services.core.settings import Settings
from services.store.handler import store_lease

ME = Holder("store", "here", 1, 0.0)


def test_on_sqlite_the_store_holds_the_lock_beside_its_database(tmp_path: Path) -> None:
    lease = store_lease(Settings(data_dir=tmp_path), ME)
    assert isinstance(lease, FileLease)
    assert lease.resource == str(tmp_path / "newsflow.db.lock")


def test_on_a_database_server_store_processes_need_no_lease(tmp_path: Path) -> None:
    server = Settings(data_dir=tmp_path, database_url="postgresql://newsflow@127.0.0.1:5432/db")
    assert store_lease(server, ME) is None  # several store processes split the partitions
