"""The gateway's background tasks are supervised, and a stale status makes it unready."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI

from services.core.settings import Settings
from services.gateway.app import create_app
from services.gateway.models import StatusSnapshot
from services.gateway.poller import StatusPoller
from tests.integration.flow import create_topics, wait_for
from tests.integration.gateway.conftest import store_articles
from tests.integration.servers import serving
from tests.unit.store.factory import make_article


@contextlib.asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        yield client


async def ready_setup(settings: Settings) -> Settings:
    await create_topics(settings)
    await store_articles(settings, [make_article(0)])
    return settings.model_copy(update={"retry_backoff_initial_s": 0.05, "retry_backoff_max_s": 0.2})


async def test_a_crashed_poller_is_restarted_and_polls_again(settings: Settings) -> None:
    settings = await ready_setup(settings)
    app = create_app(settings, poll_interval_s=0.2)
    poller: StatusPoller = app.state.gateway.poller
    original = poller.poll_once
    calls: list[str] = []

    async def crashing_once(client: httpx.AsyncClient) -> StatusSnapshot:
        calls.append("crash" if not calls else "poll")
        if len(calls) == 1:
            raise RuntimeError("injected poller bug")
        return await original(client)

    poller.poll_once = crashing_once  # type: ignore[method-assign]
    async with served(app) as client:

        async def polled_again() -> bool:
            return calls.count("poll") >= 2 and (await client.get("/readyz")).status_code == 200

        await wait_for(polled_again, 30, "the poller to run again after its crash")
        status = (await client.get("/v1/status")).json()
    assert calls[0] == "crash"
    assert status["totals"]["stored"] == 1  # a snapshot from the restarted poller


async def test_a_stale_status_makes_readyz_fail_and_a_fresh_one_passes(
    settings: Settings,
) -> None:
    settings = await ready_setup(settings)
    settings = settings.model_copy(update={"gateway_status_max_age_s": 1.0})
    app = create_app(settings, poll_interval_s=0.2)
    poller: StatusPoller = app.state.gateway.poller
    original = poller.poll_once
    stalled = asyncio.Event()
    released = asyncio.Event()

    async def stalling(client: httpx.AsyncClient) -> StatusSnapshot:
        if stalled.is_set():
            await released.wait()  # a poll that hangs (a stuck dependency, a deadlock)
        return await original(client)

    poller.poll_once = stalling  # type: ignore[method-assign]
    async with served(app) as client:

        async def answers(code: int) -> bool:
            return (await client.get("/readyz")).status_code == code

        await wait_for(lambda: answers(200), 30, "/readyz 200 with a fresh status")
        stalled.set()
        try:
            await wait_for(lambda: answers(503), 10, "/readyz 503 once the status is stale")
            assert "stale" in (await client.get("/readyz")).json()["detail"]
        finally:
            stalled.clear()
            released.set()  # a failed test must not leave the poll hanging at shutdown
        await wait_for(lambda: answers(200), 10, "/readyz 200 again once it is fresh")
