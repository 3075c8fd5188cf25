"""Store test fixtures: an empty database of each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.unit.store.backends import BACKENDS, Backend, backend


@pytest.fixture(params=BACKENDS)
async def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """An empty store database of each backend (the test runs once on each)."""
    async with backend(str(request.param), tmp_path) as found:
        yield found
