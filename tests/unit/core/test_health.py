"""The health endpoint of a stage: ready, unready, and failing with what it failed on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx

from services.core.health import health_app

STOPPED = {
    "topic": "articles.raw.v1",
    "partition": 2,
    "offset": 41,
    "error_class": "KeyError",
    "error_message": "'title'",
    "since": 1.0,
}


async def readyz(
    ready: tuple[bool, str], failures: Sequence[Mapping[str, object]] = ()
) -> httpx.Response:
    app = health_app("parser", lambda: (True, "polling"), lambda: ready, lambda: failures)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://stage") as client:
        return await client.get("/readyz")


async def test_a_ready_stage_answers_ok() -> None:
    answer = await readyz((True, "consuming"))
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok" and "failures" not in answer.json()


async def test_an_unready_stage_answers_unavailable() -> None:
    answer = await readyz((False, "consumer starting"))
    assert answer.status_code == 503 and answer.json()["status"] == "unavailable"


async def test_a_failing_stage_answers_503_with_each_failure() -> None:
    answer = await readyz((False, "failing: raw/2 stopped at offset 41"), [STOPPED])
    body = answer.json()
    assert answer.status_code == 503
    assert body["status"] == "failing" and body["failures"] == [STOPPED]
    assert body["detail"].startswith("failing")


async def test_failing_wins_even_when_the_check_says_ready() -> None:
    answer = await readyz((True, "consuming"), [STOPPED])
    assert answer.status_code == 503 and answer.json()["status"] == "failing"
