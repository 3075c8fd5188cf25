"""The ``postgres_url`` fixture: a fresh, empty database per test module on the test run's server,
dropped afterwards; no server named means a loud failure, never a skip."""

from __future__ import annotations

from urllib.parse import urlsplit

import asyncpg
import pytest

from tests.support.postgres import (
    TEST_DATABASE_VARIABLE,
    create_database,
    drop_database,
    fresh_database,
    server_under_test,
    with_database,
)


async def _databases(server: str) -> set[str]:
    connection = await asyncpg.connect(server)
    try:
        rows = await connection.fetch("SELECT datname FROM pg_database")
    finally:
        await connection.close()
    return {row["datname"] for row in rows}


async def test_the_module_database_is_new_and_empty(postgres_url: str) -> None:
    name = urlsplit(postgres_url).path.lstrip("/")
    assert name.startswith("t_") and name != urlsplit(server_under_test()).path.lstrip("/")
    connection = await asyncpg.connect(postgres_url)
    try:
        assert await connection.fetchval("SELECT current_database()") == name
        tables = await connection.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
            "'information_schema')"
        )
        assert tables == 0
        assert await connection.fetchval("SHOW server_encoding") == "UTF8"
        await connection.execute("CREATE TABLE kept_for_the_next_test (id int)")
    finally:
        await connection.close()


async def test_the_module_shares_its_database(postgres_url: str) -> None:
    connection = await asyncpg.connect(postgres_url)
    try:
        assert await connection.fetchval("SELECT to_regclass('kept_for_the_next_test')::text")
    finally:
        await connection.close()


def test_a_synchronous_test_gets_the_same_url(postgres_url: str) -> None:
    assert urlsplit(postgres_url).scheme == "postgresql"
    assert urlsplit(postgres_url).path.startswith("/t_")


async def test_each_fresh_database_is_another_and_is_dropped_after() -> None:
    server = server_under_test()
    async with fresh_database(server) as first, fresh_database(server) as second:
        names = {urlsplit(url).path.lstrip("/") for url in (first, second)}
        assert len(names) == 2 and names <= await _databases(server)
        held = await asyncpg.connect(first)  # a session left open does not stop the drop
    assert not names & await _databases(server)
    assert held.is_closed() or not await _alive(held)


async def _alive(connection: asyncpg.Connection) -> bool:
    try:
        await connection.fetchval("SELECT 1")
    except (asyncpg.PostgresError, asyncpg.InterfaceError, ConnectionError):
        return False
    return True


async def test_dropping_twice_is_harmless() -> None:
    server = server_under_test()
    name = await create_database(server)
    await drop_database(server, name)
    await drop_database(server, name)
    assert name not in await _databases(server)


def test_the_url_names_the_new_database() -> None:
    assert (
        with_database("postgresql://u:p@127.0.0.1:15432/postgres?sslmode=disable", "t_1")
        == "postgresql://u:p@127.0.0.1:15432/t_1?sslmode=disable"
    )


def test_no_server_named_fails_loudly() -> None:
    with pytest.raises(pytest.fail.Exception, match=f"{TEST_DATABASE_VARIABLE} is not set"):
        server_under_test({})
    with pytest.raises(pytest.fail.Exception, match="newsflow postgres exec"):
        server_under_test({TEST_DATABASE_VARIABLE: ""})
