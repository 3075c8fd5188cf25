"""The whole pipeline through the real broker: pushed articles are once in the database and
once on the processed topic, even when the store is killed between its write and its commit —
on SQLite with one store process, on PostgreSQL with two splitting the partitions."""

from __future__ import annotations

import asyncio
import json
import signal
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import jsonschema
import pytest

from services.core import ndjson
from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.ingest.app import create_app
from services.tools.resources import schemas_dir
from tests.conftest import DATA
from tests.integration.flow import create_topics, read_committed
from tests.integration.gateway.conftest import BACKENDS, on_backend
from tests.integration.pipeline import service_process, stages_running
from tests.integration.servers import serving
from tests.support.stored import assert_written_once, stored_ids_of

PLAINTEXT = DATA / "plaintext" / "plaintext-dev.jsonl"


def articles(count: int) -> list[dict[str, str]]:
    lines = ndjson.records(PLAINTEXT.read_text("utf-8"))[:count]
    return [{"content": json.loads(line.text)["text"], "source": "dev-set"} for line in lines]


@pytest.fixture(params=BACKENDS)
async def settings(settings: Settings, request: pytest.FixtureRequest) -> AsyncIterator[Settings]:
    """The test's settings, with the store on each backend in turn."""
    async with on_backend(settings, str(request.param)) as chosen:
        yield chosen


async def test_each_article_once_in_database_and_on_processed_topic_despite_a_store_crash(
    settings: Settings,
) -> None:
    topics = await create_topics(settings)
    batch = articles(30)
    async with serving(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as client:
        first = (await client.post("/v1/articles:batch", json=batch)).json()
        again = (await client.post("/v1/articles:batch", json=batch[:5])).json()  # re-push
        single = await client.post(
            "/v1/articles", json={"id": "own-1", "content": "Title\n\nA body of text."}
        )
    accepted = {r["id"] for r in first["results"] if r["status"] == 202} | {single.json()["id"]}
    assert first["accepted"] == 30 and again["accepted"] == 5
    assert {r["id"] for r in again["results"]} <= accepted

    async with stages_running(settings, "parser", "dedup"):
        crashing = service_process(settings, "store", module="tests.integration.crashing_store")
        try:
            code = await asyncio.to_thread(crashing.process.wait, 90)
        finally:
            crashing.kill()
        assert code == -signal.SIGKILL, "the store should crash after its first write"
        assert sum((await stored_ids_of(settings)).values()) > 0, "the crash came after a write"
        # Several store processes share a PostgreSQL database: two split the partitions.
        count = 2 if settings.database_url is not None else 1
        stores = [service_process(settings, "store") for _ in range(count)]
        try:
            out = await read_committed(
                settings, topics.processed, len(accepted), timeout_s=120, settle_s=3
            )
        finally:
            stopped = [await asyncio.to_thread(store.stop, 30) for store in stores]
        assert stopped == [0] * count, "SIGTERM ends each store cleanly"

    published = Counter(r.key_text for r in out)
    assert set(published) == accepted, "every accepted article is published"
    assert max(published.values()) == 1, (
        f"published twice: {[k for k, n in published.items() if n > 1]}"
    )
    in_db = await stored_ids_of(settings)
    assert set(in_db) == accepted
    await assert_written_once(settings, in_db)  # no store write ran twice

    schema = json.loads((schemas_dir() / "articles.processed.v1.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for record in out:
        validator.validate(json.loads(record.value or b""))
        article = ProcessedArticle.from_bytes(record.value or b"")
        assert record.header("nf_verdict") == article.dedup.verdict
        assert record.header("ce_type") == "dev.newsflow.article.processed.v1"
