"""The ingest API over real HTTP against the real broker."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.core.models import RawArticle
from services.core.settings import Settings
from services.core.topics import Topics
from services.ingest.app import create_app
from tests.conftest import DATA
from tests.integration.flow import create_topics, read_committed
from tests.integration.servers import private_broker, serving

SEED = (DATA / "seed-article.txt").read_text()


@pytest.fixture
async def ingest(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    await create_topics(settings)
    async with serving(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as client:
        yield client


async def raw_records(settings: Settings, expected: int) -> list[RawArticle]:
    records = await read_committed(settings, Topics(settings.topic_prefix).raw, expected)
    return [RawArticle.from_bytes(r.value or b"") for r in records]


async def test_pushed_article_is_on_the_raw_topic_as_specified(
    ingest: httpx.AsyncClient, settings: Settings
) -> None:
    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    response = await ingest.post(
        "/v1/articles",
        json={"url": "https://WWW.Example.com/a/b/?utm_source=x&page=2#top", "content": SEED,
              "content_type": "text/plain", "source": "wire", "metadata": {"feed": "world"}},
        headers={"traceparent": trace},
    )  # fmt: skip
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "accepted"
    assert body["topic"] == Topics(settings.topic_prefix).raw
    [record] = await read_committed(settings, body["topic"], 1)
    assert (record.partition, record.offset) == (body["partition"], body["offset"])
    assert record.key == body["id"].encode()
    article = RawArticle.from_bytes(record.value or b"")
    assert article.id == body["id"]
    assert article.id_source == "url"
    assert article.canonical_url == "https://example.com/a/b?page=2"
    assert article.content == SEED
    assert article.metadata == {"feed": "world"}
    headers = dict(record.headers)
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_type"] == b"dev.newsflow.article.accepted.v1"
    assert headers["ce_source"] == b"/newsflow/ingest"
    assert headers["content-type"] == b"application/json"
    assert headers["ce_id"] and headers["ce_time"]
    assert headers["traceparent"].decode().startswith("00-0af7651916cd43dd8448eb211c80319c-")


async def test_raw_text_body_with_query_parameters(
    ingest: httpx.AsyncClient, settings: Settings
) -> None:
    response = await ingest.post(
        "/v1/articles?source=wire&url=https://example.org/story",
        content="<html><body><p>Hello world</p></body></html>",
        headers={"content-type": "text/html; charset=utf-8"},
    )
    assert response.status_code == 202, response.text
    [article] = await raw_records(settings, 1)
    assert (article.content_type, article.source, article.url) == (
        "text/html",
        "wire",
        "https://example.org/story",
    )


async def test_repush_returns_the_same_id(ingest: httpx.AsyncClient) -> None:
    ids = set()
    for url in ("https://example.com/x?utm_campaign=a", "https://www.example.com/x#frag"):
        response = await ingest.post("/v1/articles", json={"url": url, "content": "Body one."})
        ids.add(response.json()["id"])
    assert len(ids) == 1
    first = await ingest.post("/v1/articles", json={"content": "Same  text.\n"})
    second = await ingest.post("/v1/articles", json={"content": "same text."})
    assert first.json()["id"] == second.json()["id"]
    keyed = [
        await ingest.post(
            "/v1/articles", json={"content": f"v{i}"}, headers={"Idempotency-Key": "k-1"}
        )
        for i in range(2)
    ]
    assert [r.json()["id"] for r in keyed] == ["k-1", "k-1"]
    own = await ingest.post("/v1/articles", json={"id": "mine-7", "content": "x"})
    assert own.json()["id"] == "mine-7"


async def test_mixed_batch_publishes_exactly_its_good_items(
    ingest: httpx.AsyncClient, settings: Settings
) -> None:
    items = [
        {"content": "Good one", "source": "a"},
        {"content": "   "},
        {"content": "Good two", "bogus": 1},
        {"title": "no content"},
        "not an object",
        {"content": "Good three", "url": "ftp://bad"},
        {"content": "Good four", "published_at": "2025-03-19T09:19:00+01:00"},
    ]
    response = await ingest.post("/v1/articles:batch", json=items)
    assert response.status_code == 207
    body = response.json()
    statuses = [r["status"] for r in body["results"]]
    assert statuses == [202, 422, 422, 422, 422, 422, 202]
    assert [r["index"] for r in body["results"]] == list(range(7))
    assert "content" in body["results"][1]["error"]
    assert body["results"][2]["detail"][0]["field"] == "bogus"
    assert body["results"][5]["detail"][0]["field"] == "url"
    assert (body["accepted"], body["rejected"]) == (2, 5)
    published = await raw_records(settings, 2)
    assert sorted(a.content for a in published) == ["Good four", "Good one"]


async def test_ndjson_batch(ingest: httpx.AsyncClient, settings: Settings) -> None:
    lines = [json.dumps({"content": f"line {i}"}) for i in range(3)] + ["{broken"]
    response = await ingest.post(
        "/v1/articles:batch",
        content="\n".join(lines),
        headers={"content-type": "application/x-ndjson"},
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == [202, 202, 202, 400]
    records = await read_committed(settings, Topics(settings.topic_prefix).raw, 3)
    placed = {(r.partition, r.offset): r.key_text for r in records}
    assert {(r["partition"], r["offset"]): r["id"] for r in results[:3]} == placed


@pytest.mark.parametrize(
    ("path", "body", "content_type", "status", "code"),
    [
        ("/v1/articles", b'{"content": ', "application/json", 400, "malformed_json"),
        ("/v1/articles", b"\xff\xfe bad", "text/plain", 400, "invalid_utf8"),
        ("/v1/articles", b'{"content": "x", "title": 5}', "application/json", 422, "invalid_article"),
        ("/v1/articles", b'{"content": ""}', "application/json", 422, "invalid_article"),
        ("/v1/articles", b'{"content": "x", "extra": 1}', "application/json", 422, "invalid_article"),
        ("/v1/articles", b'{"content": "x", "published_at": "2025-01-01T10:00:00"}', "application/json", 422, "invalid_article"),
        ("/v1/articles", b'{"content": "x", "published_at": 1735725600}', "application/json", 422, "invalid_article"),
        ("/v1/articles", b'{"content": "x", "url": "https://user@example.com/a"}', "application/json", 422, "invalid_article"),
        ("/v1/articles", b'{"content": "x", "url": "https://example.com:70000/a"}', "application/json", 422, "invalid_article"),
        ("/v1/articles", b"x" * 2048, "text/plain", 413, "body_too_large"),
        ("/v1/articles", b"content", "application/xml", 415, "unsupported_media_type"),
        ("/v1/articles", b"content", "", 415, "unsupported_media_type"),
        ("/v1/articles:batch", b"[" + b'{"content":"x"},' * 3 + b'{"content":"x"}]', "application/json", 413, "batch_too_large"),
        ("/v1/articles:batch", b'{"content": "x"}', "application/json", 422, "invalid_batch"),
        ("/v1/articles:batch", b"[]", "application/json", 422, "empty_batch"),
        ("/v1/articles:batch", b"[1,", "application/json", 400, "malformed_json"),
        ("/v1/articles:batch", b"a", "text/plain", 415, "unsupported_media_type"),
    ],
)  # fmt: skip
async def test_bad_input_gets_its_status_and_publishes_nothing(
    settings: Settings, path: str, body: bytes, content_type: str, status: int, code: str
) -> None:
    strict = settings.model_copy(
        update={"ingest_max_article_bytes": 1024, "ingest_max_batch_items": 3}
    )
    await create_topics(strict)
    async with serving(create_app(strict)) as base, httpx.AsyncClient(base_url=base) as client:
        response = await client.post(path, content=body, headers={"content-type": content_type})
        assert response.status_code == status, response.text
        assert response.json()["error"] == code
        assert response.json()["message"]
        marker = await client.post("/v1/articles", json={"content": "marker"})
        assert marker.status_code == 202
    published = await raw_records(strict, 1)
    assert [a.content for a in published] == ["marker"], "a refused request reached Kafka"


async def test_api_keys_are_required_when_configured(settings: Settings) -> None:
    keyed = settings.model_copy(update={"ingest_api_keys": "alpha, beta"})
    await create_topics(keyed)
    async with serving(create_app(keyed)) as base, httpx.AsyncClient(base_url=base) as client:
        assert (await client.post("/v1/articles", json={"content": "x"})).status_code == 401
        bad = await client.post(
            "/v1/articles", json={"content": "x"}, headers={"x-api-key": "gamma"}
        )
        assert bad.status_code == 401
        ok = await client.post("/v1/articles", json={"content": "x"}, headers={"x-api-key": "beta"})
        assert ok.status_code == 202
        bearer = await client.post(
            "/v1/articles", json={"content": "y"}, headers={"authorization": "Bearer alpha"}
        )
        assert bearer.status_code == 202
        assert (await client.get("/healthz")).status_code == 200


async def test_docs_and_health(ingest: httpx.AsyncClient) -> None:
    assert (await ingest.get("/healthz")).json()["status"] == "ok"
    assert (await ingest.get("/readyz")).status_code == 200
    schema = (await ingest.get("/openapi.json")).json()
    assert "/v1/articles:batch" in schema["paths"]
    assert schema["components"]["schemas"]["ArticleIn"]["examples"]
    assert (await ingest.get("/docs")).status_code == 200
    assert "newsflow_ingest_accepted" in (await ingest.get("/metrics")).text


async def test_broker_stopped_answers_503_not_202(tmp_path: Path) -> None:
    with private_broker(tmp_path) as broker:
        settings = broker.model_copy(
            update={"ingest_send_timeout_s": 2.0, "topic_prefix": "private."}
        )
        await create_topics(settings)
        async with (
            serving(create_app(settings)) as base,
            httpx.AsyncClient(base_url=base, timeout=30) as client,
        ):
            assert (await client.post("/v1/articles", json={"content": "up"})).status_code == 202
            from services.tools import localkafka

            localkafka.stop(settings)
            for _ in range(3):
                response = await client.post("/v1/articles", json={"content": "down"})
                assert response.status_code == 503, response.text
                assert response.headers["retry-after"]
            batch = await client.post("/v1/articles:batch", json=[{"content": "down"}])
            assert batch.status_code in (503, 207)
            assert all(r["status"] == 503 for r in batch.json().get("results", [{"status": 503}]))
            assert (await client.get("/readyz")).status_code in (200, 503)
