"""Quotations through the whole pipeline and the real broker: the seed article pushed over HTTP
comes out on the processed topic with its two quotations and their speakers, the gateway serves
them with the stored article, lists them by speaker (GET /v1/quotes, ?speaker= on the article
search), and the dashboard's article list shows them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.ingest.app import create_app as ingest_app
from tests.conftest import DATA
from tests.integration.flow import create_topics, read_committed, wait_for
from tests.integration.gateway.browser import browser_page
from tests.integration.gateway.conftest import gateway
from tests.integration.gateway.test_pipeline_status import ingest_settings
from tests.integration.pipeline import stages_running
from tests.integration.servers import serving

SEED_ID = "seed-quotes"


def expected_quotes() -> list[dict[str, str]]:
    expected = json.loads((DATA / "seed-article.expected.json").read_text("utf-8"))
    quotes: list[dict[str, str]] = expected["quotes"]
    return quotes


def seed_article() -> dict[str, str]:
    return {
        "id": SEED_ID,
        "source": "seed.example",
        "content": (DATA / "seed-article.txt").read_text("utf-8"),
    }


async def test_seed_quotes_on_the_processed_topic_and_from_the_gateway(
    settings: Settings,
) -> None:
    topics = await create_topics(settings)
    async with serving(ingest_app(settings)) as base, httpx.AsyncClient(base_url=base) as push:
        accepted = await push.post("/v1/articles", json=seed_article())
        assert accepted.status_code == 202
        async with (
            gateway(ingest_settings(settings, base)) as client,
            stages_running(settings, "parser", "dedup", "store"),
        ):
            [record] = await read_committed(settings, topics.processed, 1, timeout_s=90)
            stored = await client.get(f"/v1/articles/{SEED_ID}")
            listed = await client.get("/v1/quotes", params={"speaker": "zelenskyy"})
            by_speaker = await client.get("/v1/articles", params={"speaker": "Donald Trump"})

    processed = ProcessedArticle.from_bytes(record.value or b"")
    assert processed.id == SEED_ID
    want = expected_quotes()
    assert [(q.speaker, q.text) for q in processed.quotes] == [
        (q["speaker"], q["text"]) for q in want
    ]
    assert [q.speaker_kind for q in processed.quotes] == ["person", "person"]
    assert all(q.cue == "said" for q in processed.quotes)
    for quote in processed.quotes:
        paragraph = processed.paragraphs[quote.paragraph]
        assert paragraph[quote.start : quote.end] == quote.text
    assert stored.status_code == 200
    assert stored.json()["quotes"] == [q.model_dump(mode="json") for q in processed.quotes]
    assert listed.status_code == 200
    assert [(q["article_id"], q["speaker"], q["text"]) for q in listed.json()["items"]] == [
        (SEED_ID, "Volodymyr Zelenskyy", want[0]["text"])
    ]
    assert [a["id"] for a in by_speaker.json()["items"]] == [SEED_ID]


QUOTES_SHOWN = f"""
(() => {{
  const rows = [...document.querySelectorAll('#articles li[data-id="{SEED_ID}"] details.quotes li')];
  return rows.map((li) => [li.dataset.speaker, li.dataset.kind,
    li.querySelector('.cue').textContent, li.querySelector('.text').textContent]);
}})()
"""


async def test_dashboard_article_view_shows_quotes(settings: Settings, tmp_path: Path) -> None:
    await create_topics(settings)
    plain = {"id": "no-quotes", "content": "Harbour cranes\n\nCranes moved containers at noon."}
    async with (
        serving(ingest_app(settings)) as base,
        httpx.AsyncClient(base_url=base) as push,
        gateway(ingest_settings(settings, base)) as client,
        stages_running(settings, "parser", "dedup", "store"),
    ):
        await push.post("/v1/articles:batch", json=[seed_article(), plain])

        async def stored() -> bool:
            totals: dict[str, int] = (await client.get("/v1/status")).json()["totals"]
            return totals["stored"] == 2

        await wait_for(stored, 90, "two stored articles")
        async with browser_page(str(client.base_url) + "/", tmp_path / "profile") as page:
            await page.wait_until(
                "document.querySelector('#articles li[data-id=\"no-quotes\"]') !== null",
                30,
                "the stream's backlog",
            )
            await page.wait_until(f"{QUOTES_SHOWN}.length === 2", 30, "the seed's quotes")
            shown: list[list[Any]] = await page.evaluate(QUOTES_SHOWN)
            summary = await page.evaluate(
                f"document.querySelector('#articles li[data-id=\"{SEED_ID}\"] summary').textContent"
            )
            without = await page.evaluate(
                "document.querySelectorAll('#articles li[data-id=\"no-quotes\"] details').length"
            )

    assert shown == [[q["speaker"], "person", "said", q["text"]] for q in expected_quotes()]
    assert summary == "2 quotes"
    assert without == 0, "an article without quotations shows no quotes section"
