"""Integration tests run against the real broker that the test command started.

There is no skipping: if the broker cannot be reached, every integration test fails loudly.
"""

from __future__ import annotations

import asyncio

import pytest

from services.core import kafka
from services.core.errors import BrokerUnavailableError
from services.core.settings import Settings


@pytest.fixture(scope="session", autouse=True)
def broker_reachable() -> None:
    settings = Settings()

    async def probe() -> None:
        async with kafka.admin_client(settings) as admin:
            await admin.list_topics()

    try:
        asyncio.run(asyncio.wait_for(probe(), 30))
    except (BrokerUnavailableError, TimeoutError) as error:
        pytest.fail(
            f"no Kafka broker at {settings.bootstrap_servers}: run the tests with `make test`, "
            f"which starts one ({error})",
            pytrace=False,
        )
