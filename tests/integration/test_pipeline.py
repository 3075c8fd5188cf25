"""The whole pipeline through the real broker: pushed articles are once in the database and
once on the processed topic, even when the store is killed between its write and its commit."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from collections import Counter

import httpx
import jsonschema

from services.core import ndjson
from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.ingest.app import create_app
from services.tools.resources import schemas_dir
from tests.conftest import DATA
from tests.integration.flow import create_topics, read_committed
from tests.integration.pipeline import service_process, stages_running
from tests.integration.servers import serving
from tests.support.fulltext import assert_indexed_once

PLAINTEXT = DATA / "plaintext" / "plaintext-dev.jsonl"


def articles(count: int) -> list[dict[str, str]]:
    lines = ndjson.records(PLAINTEXT.read_text("utf-8"))[:count]
    return [{"content": json.loads(line.text)["text"], "source": "dev-set"} for line in lines]


def stored_ids(settings: Settings) -> Counter[str]:
    with sqlite3.connect(settings.database_path) as db:
        return Counter(row[0] for row in db.execute("SELECT id FROM articles"))


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
        assert sum(stored_ids(settings).values()) > 0, "the crash came after a database write"
        store = service_process(settings, "store")
        try:
            out = await read_committed(
                settings, topics.processed, len(accepted), timeout_s=120, settle_s=3
            )
        finally:
            stopped = await asyncio.to_thread(store.stop, 30)
        assert stopped == 0, "SIGTERM ends the store cleanly"

    published = Counter(r.key_text for r in out)
    assert set(published) == accepted, "every accepted article is published"
    assert max(published.values()) == 1, (
        f"published twice: {[k for k, n in published.items() if n > 1]}"
    )
    in_db = stored_ids(settings)
    assert set(in_db) == accepted
    assert_indexed_once(settings.database_path)  # no store write ran twice

    schema = json.loads((schemas_dir() / "articles.processed.v1.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for record in out:
        validator.validate(json.loads(record.value or b""))
        article = ProcessedArticle.from_bytes(record.value or b"")
        assert record.header("nf_verdict") == article.dedup.verdict
        assert record.header("ce_type") == "dev.newsflow.article.processed.v1"
