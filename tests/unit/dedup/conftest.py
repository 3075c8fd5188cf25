"""Dedup test fixtures: the state's backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.dedup.backends import BACKENDS, POSTGRESQL, StateBackend


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> StateBackend:
    """Where this test's dedup states live: each test runs once with SQLite files and once with
    scopes of the module's PostgreSQL database (``postgres_url``, which fails without a server)."""
    name = str(request.param)
    url = str(request.getfixturevalue("postgres_url")) if name == POSTGRESQL else None
    return StateBackend(name, tmp_path, url)
