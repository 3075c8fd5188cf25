"""``/v1/status`` and ``/v1/articles/{id}/status`` against the real pipeline and broker."""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import httpx

from services.core.records import OutgoingRecord
from services.core.settings import Settings
from services.ingest.app import create_app as ingest_app
from tests.integration.flow import create_topics, produce, wait_for
from tests.integration.gateway.conftest import gateway
from tests.integration.pipeline import service_process, stages_running
from tests.integration.servers import serving


def article(n: int, source: str = "wire.example") -> dict[str, str]:
    return {
        "id": f"gw-{n}",
        "source": source,
        "content": f"Headline {n} about harbour cranes\n\nBody {n}: cranes, ships and tides "
        f"at berth {n} moved {n * 7} containers before noon.",
    }


def ingest_settings(settings: Settings, base: str) -> Settings:
    return settings.model_copy(update={"ingest_port": int(base.rsplit(":", 1)[1])})


def stage(status: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in status["stages"] if s["name"] == name)


def service(status: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in status["services"] if s["name"] == name)


async def test_article_status_totals_and_zero_lag_through_the_pipeline(
    settings: Settings,
) -> None:
    topics = await create_topics(settings)
    async with serving(ingest_app(settings)) as base, httpx.AsyncClient(base_url=base) as push:
        gw = ingest_settings(settings, base)
        async with gateway(gw) as client:
            accepted = await push.post("/v1/articles:batch", json=[article(n) for n in range(6)])
            assert accepted.json()["accepted"] == 6

            async def seen(article_id: str, stage_name: str) -> bool:
                answer = await client.get(f"/v1/articles/{article_id}/status")
                return answer.status_code == 200 and answer.json()["stage"] == stage_name

            await wait_for(lambda: seen("gw-0", "accepted"), 30, "gw-0 accepted")
            async with stages_running(settings, "parser", "dedup", "store"):
                await produce(settings, [OutgoingRecord(topics.raw, b"gw-bad", b"{not json")])
                for n in range(6):
                    await wait_for(
                        functools.partial(seen, f"gw-{n}", "stored"), 60, f"gw-{n} stored"
                    )
                await wait_for(lambda: seen("gw-bad", "dead_lettered"), 60, "gw-bad in DLQ")

                async def settled() -> bool:
                    status = (await client.get("/v1/status")).json()
                    lags = [stage(status, name)["lag"] for name in ("parser", "dedup", "store")]
                    return lags == [0, 0, 0] and status["totals"]["stored"] == 6

                await wait_for(settled, 60, "every stage caught up")
            bad = (await client.get("/v1/articles/gw-bad/status")).json()
            status = (await client.get("/v1/status")).json()

    assert bad["stage"] == "dead_lettered" and bad["topic"] == topics.dlq
    assert bad["dead_letter"]["stage"] == "parser"
    assert bad["dead_letter"]["error_class"] and bad["dead_letter"]["error_message"]

    for name in ("dedup", "store"):  # transactional inputs: markers are not lag
        lag = stage(status, name)
        assert lag["exact"] and lag["lag"] == 0
        ends = [p["end"] - (p["committed"] or 0) for p in lag["partitions"]]
        assert any(gap >= 1 for gap in ends), "a control marker sits after the committed offset"
    totals = status["totals"]
    assert totals["accepted"] == 7 and totals["parsed"] == 6 and totals["stored"] == 6
    assert totals["dead_lettered"] == 1 and status["dlq"]["depth"] == 1
    assert totals["by_source"] == {"wire.example": 6}
    assert [f["source"] for f in status["freshness"]] in ([], ["wire.example"])
    assert service(status, "ingest")["status"] == "up"
    assert service(status, "ingest")["last_minute"]["records_in"] == 6
    assert service(status, "gateway")["status"] == "up"


async def test_a_stopped_parser_shows_down_and_its_lag_grows(gw_settings: Settings) -> None:
    await create_topics(gw_settings)
    async with serving(ingest_app(gw_settings)) as base, httpx.AsyncClient(base_url=base) as push:
        gw = ingest_settings(gw_settings, base)
        async with gateway(gw) as client:

            async def status() -> dict[str, Any]:
                return (await client.get("/v1/status")).json()  # type: ignore[no-any-return]

            async def parser_up_and_caught_up() -> bool:
                now = await status()
                return bool(
                    service(now, "parser")["status"] == "up" and stage(now, "parser")["lag"] == 0
                )

            parser = service_process(
                gw_settings, "parser", health_port_base=gw_settings.health_port_base
            )
            try:
                await push.post("/v1/articles:batch", json=[article(n) for n in range(3)])
                await wait_for(parser_up_and_caught_up, 90, "the parser up and caught up")
                up = service(await status(), "parser")
                assert up["version"] and up["last_seen"] and up["uptime_s"] is not None
            finally:
                assert await asyncio.to_thread(parser.stop, 60) == 0

            await push.post("/v1/articles:batch", json=[article(n) for n in range(3, 6)])

            async def down_with_lag() -> bool:
                now = await status()
                return bool(
                    service(now, "parser")["status"] == "down" and stage(now, "parser")["lag"] == 3
                )

            await wait_for(down_with_lag, 30, "the parser down with a lag of 3")
            down = service(await status(), "parser")
            assert down["last_seen"] == up["last_seen"] or down["last_seen"] >= up["last_seen"]
            assert down["version"] == up["version"]

            await push.post("/v1/articles:batch", json=[article(n) for n in range(6, 10)])

            async def grown() -> bool:
                return bool(stage(await status(), "parser")["lag"] == 7)

            await wait_for(grown, 30, "the parser's lag to grow to 7")
