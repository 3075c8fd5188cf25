"""Shared fixtures: the settings the test command exported, a fresh topic prefix per test, and a
fresh PostgreSQL database per test module."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from services.core.settings import Settings
from tests.support.postgres import fresh_database, server_under_test

DATA = Path(__file__).parent / "data"


@pytest.fixture
def prefix() -> str:
    """A topic prefix no other test (or run) uses."""
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings for one test: its own topics and data directory, the broker of the test run."""
    yield Settings(
        topic_prefix=prefix,
        data_dir=tmp_path / "data",
        retry_backoff_initial_s=0.05,
        retry_backoff_max_s=0.5,
        consumer_fetch_timeout_ms=100,
        session_timeout_ms=6000,
    )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def postgres_url() -> AsyncIterator[str]:
    """The URL of a new, empty database for this test module, on the test run's PostgreSQL
    server (``NEWSFLOW_TEST_DATABASE_URL``, which `make test` sets); dropped after the module.
    Fails, never skips, when the variable is unset."""
    async with fresh_database(server_under_test()) as url:
        yield url
