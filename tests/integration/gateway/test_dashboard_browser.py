"""The dashboard in headless Chromium: it fills in live data from /v1/status and /v1/stream."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx

from services.core.settings import Settings
from services.ingest.app import create_app as ingest_app
from tests.integration.flow import create_topics, wait_for
from tests.integration.gateway.browser import browser_page
from tests.integration.gateway.conftest import gateway
from tests.integration.gateway.test_pipeline_status import article, ingest_settings
from tests.integration.pipeline import ROOT, stages_running
from tests.integration.servers import serving

LIVE = """
(() => {
  const up = document.querySelector('[data-service="ingest"][data-status="up"]');
  const titles = [...document.querySelectorAll('#articles .t')].map((e) => e.textContent);
  return Boolean(up) && titles.some((t) => t.includes('Headline 5 about harbour cranes'))
    && document.getElementById('t-stored').textContent === '6';
})()
"""


async def test_dashboard_shows_live_services_and_articles(
    settings: Settings, tmp_path: Path
) -> None:
    await create_topics(settings)
    async with (
        serving(ingest_app(settings)) as base,
        httpx.AsyncClient(base_url=base) as push,
        gateway(ingest_settings(settings, base)) as client,
        stages_running(settings, "parser", "dedup", "store"),
    ):
        await push.post("/v1/articles:batch", json=[article(n) for n in range(4)])

        async def stored(count: int) -> bool:
            totals: dict[str, int] = (await client.get("/v1/status")).json()["totals"]
            return totals["stored"] == count

        await wait_for(lambda: stored(4), 60, "four stored articles")
        async with browser_page(str(client.base_url) + "/", tmp_path / "profile") as page:
            await page.wait_until(
                "document.getElementById('conn').textContent === 'ok'", 30, "status"
            )
            # Pushed while the page is open: they arrive over /v1/stream and /v1/status.
            await push.post("/v1/articles:batch", json=[article(n) for n in range(4, 6)])
            await page.wait_until(LIVE, 60, "live services, totals and articles")
            dom = await page.dom()
            await page.wait_until(
                "document.querySelector('#chart polyline') !== null", 30, "the chart"
            )
            shot = tmp_path / "dashboard.png"
            await page.screenshot(shot)

    assert 'data-service="gateway" data-status="up"' in dom
    assert "Headline 0 about harbour cranes" in dom, "the stream's backlog fills the list"
    assert 'data-stage="store"' in dom and "<polyline" in dom
    assert shot.is_file() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep = ROOT / "data" / "test"
    if keep.is_dir():
        shutil.copyfile(shot, keep / "dashboard.png")
