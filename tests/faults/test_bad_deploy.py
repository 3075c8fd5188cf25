"""A bad deploy: a stage whose code fails on every record stops the line instead of draining it.

The echo stage runs as a real process with a handler that raises on every record. It must
dead-letter nothing, publish nothing, commit nothing, and report ``failing`` on its own
``/readyz`` and in the gateway's ``/v1/status``; once a working build is started in its place,
every record comes out exactly once.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from services.core.records import OutgoingRecord
from services.core.settings import Settings
from services.gateway.app import create_app
from services.tools.processes import ServiceProcess
from tests.faults.harness import health_base
from tests.integration.flow import (
    committed_offsets,
    create_topics,
    produce,
    read_committed,
    wait_for,
)
from tests.integration.pipeline import ROOT
from tests.integration.servers import serving

COUNT = 30


def echo_process(settings: Settings, base: int, *, broken: bool) -> ServiceProcess:
    """The echo stage as its own process, failing on every record when ``broken``."""
    child = Settings().model_copy(
        update={
            "topic_prefix": settings.topic_prefix,
            "data_dir": settings.data_dir,
            "health_port_base": base,
            "session_timeout_ms": 6000,
            "errors_retry_limit": 2,
            "retry_backoff_initial_s": 0.05,
            "retry_backoff_max_s": 0.2,
        }
    )
    return ServiceProcess.start(
        "echo",
        child,
        module="tests.integration.echo_stage",
        extra_env={"NEWSFLOW_TEST_BROKEN": "1" if broken else "0"},
        log_path=settings.data_dir.parent / f"echo-{'broken' if broken else 'fixed'}.log",
        cwd=ROOT,
    )


async def stop(process: ServiceProcess) -> int | None:
    return await asyncio.to_thread(process.stop, 30)


async def failing_readyz(client: httpx.AsyncClient, base: int) -> dict[str, Any]:
    found: dict[str, Any] = {}

    async def failing() -> bool:
        try:
            answer = await client.get(f"http://127.0.0.1:{base}/readyz")
        except httpx.HTTPError:
            return False
        found.update(answer.json())
        return answer.status_code == 503 and found.get("status") == "failing"

    await wait_for(failing, 60, "the stage's /readyz to say failing", poll_s=0.2)
    return found


async def failing_in_status(settings: Settings) -> dict[str, Any]:
    row: dict[str, Any] = {}
    app = create_app(settings, poll_interval_s=0.3)
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:

        async def failing() -> bool:
            status = (await client.get("/v1/status")).json()
            row.update(next(s for s in status["services"] if s["name"] == "parser"))
            return bool(row["status"] == "failing")

        await wait_for(failing, 30, "/v1/status to show the stage failing", poll_s=0.3)
    return row


async def test_a_bad_deploy_stops_the_line_and_a_fixed_one_delivers_each_record_once(
    settings: Settings,
) -> None:
    base = health_base()
    settings = settings.model_copy(update={"health_port_base": base})
    topics = await create_topics(settings)
    values = [f"article {i}".encode() for i in range(COUNT)]
    await produce(
        settings, [OutgoingRecord(topics.raw, f"k{i}".encode(), v) for i, v in enumerate(values)]
    )
    broken = echo_process(settings, base, broken=True)
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            health = await failing_readyz(client, base)
        row = await failing_in_status(settings)
    finally:
        code = await stop(broken)
    assert code == 0, "a failing stage still stops cleanly on SIGTERM"
    assert {f["error_class"] for f in health["failures"]} == {"RuntimeError"}
    assert health["failures"][0]["error_message"] == "echo is broken in this build"
    assert "failing" in health["detail"]
    assert row["failures"] and row["failures"][0]["error_class"] == "RuntimeError"
    assert await read_committed(settings, topics.dlq, expected=1, timeout_s=2, settle_s=0) == []
    assert await read_committed(settings, topics.parsed, expected=1, timeout_s=2, settle_s=0) == []
    committed = await committed_offsets(settings, topics.group_of("echo"), topics.raw)
    assert sum(committed.values()) == 0

    fixed = echo_process(settings, base, broken=False)
    try:
        out = await read_committed(settings, topics.parsed, expected=COUNT, settle_s=2)
    finally:
        assert await stop(fixed) == 0
    assert sorted(r.value or b"" for r in out) == sorted(v.upper() for v in values)
    assert await read_committed(settings, topics.dlq, expected=1, timeout_s=2, settle_s=0) == []
    committed = await committed_offsets(settings, topics.group_of("echo"), topics.raw)
    assert sum(committed.values()) == COUNT
