"""Probing a service's health endpoint: a failing stage is reported as failing, with why."""

from __future__ import annotations

import httpx

from services.gateway.probes import probe
from services.gateway.status import service_status

FAILING = {
    "service": "parser",
    "status": "failing",
    "detail": "failing: articles.raw.v1/0 stopped at offset 3: RuntimeError: broken",
    "version": "1.0",
    "uptime_s": 12.5,
    "failures": [
        {
            "topic": "articles.raw.v1",
            "partition": 0,
            "offset": 3,
            "error_class": "RuntimeError",
            "error_message": "broken",
            "since": 100.0,
        }
    ],
}


def client_answering(body: object, status: int = 503) -> httpx.AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/readyz":
            return httpx.Response(status, json=body)
        return httpx.Response(200, text="")

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


async def test_a_failing_stage_is_failing_with_its_error() -> None:
    async with client_answering(FAILING) as client:
        found = await probe(client, "parser", "http://stage")
    row = service_status("parser", found, found, [], found.at)
    assert row.status == "failing"
    [failure] = row.failures
    assert (failure.partition, failure.offset) == (0, 3)
    assert (failure.error_class, failure.error_message) == ("RuntimeError", "broken")
    assert "stopped at offset 3" in row.detail


async def test_an_unready_stage_without_failures_is_unready() -> None:
    body = {"status": "unavailable", "detail": "consumer starting"}
    async with client_answering(body) as client:
        found = await probe(client, "parser", "http://stage")
    assert service_status("parser", found, found, [], found.at).status == "unready"


async def test_an_unreadable_failure_report_still_says_failing() -> None:
    async with client_answering({**FAILING, "failures": [{"partition": "zero"}]}) as client:
        found = await probe(client, "parser", "http://stage")
    row = service_status("parser", found, found, [], found.at)
    assert row.status == "failing" and "unreadable" in row.failures[0].error_message
