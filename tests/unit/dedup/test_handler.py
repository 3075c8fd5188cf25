"""Dedup's lease and state location: the lock on the file beside its state on SQLite; on a
database server, an advisory lock and a scope both named after its consumer group, and a server
that is away when the stage opens waited for."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from services.core.lease import FileLease, Holder, LeaseError
from services.core.pglease import PgLease
from services.core.settings import Settings
from services.core.topics import Topics
from services.dedup.handler import dedup_lease, dedup_stage, state_location
from services.dedup.statestore import ServerState
from services.tools import localpostgres
from tests.support.postgres import private_server

URL = "postgresql://newsflow:secret@db.example:5432/news"
ME = Holder("dedup", "here", 1, 0.0)


def test_dedup_holds_the_lock_beside_its_state_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    lease = dedup_lease(settings, ME)
    assert isinstance(lease, FileLease)
    assert lease.resource == str(tmp_path / "dedup.db.lock")
    assert state_location(settings) == tmp_path / "dedup.db"


def test_on_a_database_server_lease_and_state_are_named_after_the_consumer_group(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=URL, topic_prefix="t1.")
    lease = dedup_lease(settings, ME)
    assert isinstance(lease, PgLease)
    assert (
        lease.resource == "advisory lock 't1.newsflow.dedup' on postgresql://db.example:5432/news"
    )
    assert state_location(settings) == ServerState(URL, "t1.newsflow.dedup")
    assert "secret" not in repr(state_location(settings))
    other = Settings(data_dir=tmp_path, database_url=URL, topic_prefix="t2.")
    assert state_location(other) != state_location(settings), "pipelines never share a state"


async def test_the_stage_is_not_opened_under_a_lease_it_does_not_hold(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=URL)
    lease = dedup_lease(settings, ME)
    with pytest.raises(LeaseError, match="without holding advisory lock"):
        async with dedup_stage(settings, Topics(settings.topic_prefix), lease):
            pass


async def test_the_stage_waits_for_its_database_to_come_back(tmp_path: Path) -> None:
    async with private_server() as server:
        settings = server.model_copy(
            update={
                "data_dir": tmp_path,
                "retry_backoff_initial_s": 0.1,
                "retry_backoff_max_s": 0.5,
            }
        )
        await asyncio.to_thread(localpostgres.stop, server, "immediate")
        opening = asyncio.create_task(_open_and_close(settings))
        await asyncio.sleep(1.5)
        assert not opening.done(), "it waits, it does not fail"
        await asyncio.to_thread(localpostgres.start, server)
        assert await asyncio.wait_for(opening, 30) == "dedup"


async def _open_and_close(settings: Settings) -> str:
    async with dedup_stage(settings, Topics(settings.topic_prefix)) as stage:
        return stage.name
