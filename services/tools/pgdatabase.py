"""Databases on a PostgreSQL server, made and dropped by name: what the tests and the benchmarks
do with the server they are given (a user who may ``CREATE DATABASE``), written once."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from services.core.pgclient import close_quietly, connect, translated

CONNECT_TIMEOUT_S = 10.0


def with_database(url: str, name: str) -> str:
    """``url`` naming database ``name`` instead of its own."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def exists(server_url: str, name: str) -> bool:
    """Whether database ``name`` exists on ``server_url``'s server."""
    connection = await connect(server_url, "newsflow-admin", timeout_s=CONNECT_TIMEOUT_S)
    try:
        with translated(f"cannot look for database {name!r}"):
            found = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        return found is not None
    finally:
        await close_quietly(connection)


async def create_database(server_url: str, name: str, *, replace: bool = False) -> str:
    """Create database ``name`` on ``server_url``'s server (dropping one of that name first when
    ``replace``); the URL naming it."""
    connection = await connect(server_url, "newsflow-admin", timeout_s=CONNECT_TIMEOUT_S)
    try:
        with translated(f"cannot create database {name!r}"):
            if replace:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await close_quietly(connection)
    return with_database(server_url, name)


async def drop_database(server_url: str, name: str) -> None:
    """Drop database ``name`` if it exists, ending any session still connected to it."""
    connection = await connect(server_url, "newsflow-admin", timeout_s=CONNECT_TIMEOUT_S)
    try:
        with translated(f"cannot drop database {name!r}"):
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await close_quietly(connection)
