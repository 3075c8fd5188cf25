"""Shared fixtures: the settings the test command exported, and a fresh topic prefix per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.core.settings import Settings

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
