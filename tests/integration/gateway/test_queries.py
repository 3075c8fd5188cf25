"""The gateway's read API over real HTTP, against a store database written directly, on each
backend."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from services.core.settings import Settings
from services.store.search import SortKey, encode_cursor
from tests.integration.flow import create_topics, wait_for
from tests.integration.gateway.conftest import (
    gateway,
    gateway_over,
    store_articles,
)
from tests.unit.store.factory import BASE_TIME, make_article

ARTICLES = [
    make_article(0, source="wire.example", title="Climate summit opens", language="en"),
    make_article(1, source="daily.example", title="Markets rally on rates", language="en"),
    make_article(2, source="wire.example", title="Sommet sur le climat", language="fr"),
    make_article(
        3,
        source="daily.example",
        title="Climate summit opens (copy)",
        verdict="duplicate",
        story_id="article-0000",
        duplicate_of="article-0000",
    ),
    make_article(
        4,
        source="post.example",
        title="Climate summit opens: update",
        verdict="update",
        story_id="article-0000",
    ),
    *[make_article(n, source="bulk.example", title=f"Bulk story {n}") for n in range(5, 30)],
]


@pytest.fixture
def settings(backend_settings: Settings) -> Settings:
    """The test's settings, with the store on each backend in turn."""
    return backend_settings


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over(settings, ARTICLES) as client:
        yield client


async def test_serves_before_the_database_exists_and_is_ready_once_it_does(
    settings: Settings,
) -> None:
    await create_topics(settings)
    async with gateway(settings) as client:
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 503 and "start the store" in ready.json()["detail"]
        search = await client.get("/v1/articles")
        assert search.status_code == 503
        assert search.json()["error"] == "database_unavailable"
        assert search.headers["retry-after"]

        await store_articles(settings, ARTICLES[:2])

        async def ready_now() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await wait_for(ready_now, 20, "the gateway to open the new database")
        found = (await client.get("/v1/articles", params={"q": "markets"})).json()
        assert [a["id"] for a in found["items"]] == ["article-0001"]


async def test_search_filters_and_pages(client: httpx.AsyncClient) -> None:
    # "summit": a word no stemmer relates to another article's (PostgreSQL's French stemmer
    # finds "climat" for "climate": tests/unit/store/test_stemming.py).
    climate = (await client.get("/v1/articles", params={"q": "summit"})).json()
    assert {a["id"] for a in climate["items"]} == {"article-0000", "article-0004"}
    assert climate["next_cursor"] is None

    with_copies = await client.get("/v1/articles?q=summit&include_duplicates=true")
    assert {a["id"] for a in with_copies.json()["items"]} == {
        "article-0000",
        "article-0003",
        "article-0004",
    }

    empty_params = await client.get("/v1/articles?q=summit&source=&author=&since=&limit=")
    assert empty_params.status_code == 200
    assert empty_params.json() == climate

    nul = await client.get("/v1/articles", params={"q": "climate\0summit"})
    assert nul.status_code == 200 and {a["id"] for a in nul.json()["items"]} == {
        "article-0000",
        "article-0004",
    }

    french = (await client.get("/v1/articles", params={"language": "FR"})).json()
    assert [a["id"] for a in french["items"]] == ["article-0002"]

    since = (BASE_TIME + timedelta(hours=27)).isoformat()
    recent = (await client.get("/v1/articles", params={"since": since})).json()
    assert [a["id"] for a in recent["items"]] == ["article-0029", "article-0028", "article-0027"]

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"source": "bulk.example", "limit": "10"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/articles", params=params)).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"article-{n:04d}" for n in range(29, 4, -1)]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"since": "yesterday"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01T10:00:00"}, "needs a UTC offset"),
        ({"since": "2025-03-02T00:00:00Z", "until": "2025-03-01T00:00:00Z"}, "before until"),
        ({"limit": "0"}, "limit must be an integer from 1"),
        ({"limit": "ten"}, "limit must be an integer"),
        ({"limit": " 5"}, "limit must be an integer from 1 to 100"),
        ({"limit": "101"}, "limit must be an integer from 1 to 100"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"q": '"unbalanced'}, "double quote"),
        ({"q": "climate OR"}, "OR"),
        ({"q": "***"}, "at least one word"),
        ({"include_duplicates": "maybe"}, "include_duplicates must be true or false"),
        ({"include_duplicates": "yes"}, "include_duplicates must be true or false"),
        ({"cursor": "a=="}, "cursor is not one this API returned"),
        ({"colour": "red"}, "unknown parameter"),
        ({"source": "x" * 300}, "longer than"),
    ],
)
async def test_bad_parameters_are_400_with_a_message(
    client: httpx.AsyncClient, query: dict[str, str], fragment: str
) -> None:
    response = await client.get("/v1/articles", params=query)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_query"
    assert fragment in body["message"]


async def test_a_plus_in_an_offset_must_be_percent_encoded(client: httpx.AsyncClient) -> None:
    raw = await client.get("/v1/articles?since=2025-03-01T00:00:00+01:00")  # + reads as a space
    assert raw.status_code == 400 and "%2B" in raw.json()["message"]
    encoded = await client.get("/v1/articles", params={"since": "2025-03-01T00:00:00+01:00"})
    assert encoded.status_code == 200


async def test_a_cursor_from_elsewhere_is_400_not_500(client: httpx.AsyncClient) -> None:
    forged = encode_cursor(SortKey(2**63, "x"))
    response = await client.get("/v1/articles", params={"cursor": forged})
    assert response.status_code == 400


async def test_article_story_and_unknown_ids(client: httpx.AsyncClient) -> None:
    article = await client.get("/v1/articles/article-0001")
    assert article.status_code == 200 and article.json()["title"] == "Markets rally on rates"

    missing = await client.get("/v1/articles/no-such-article")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "not_found",
        "message": "no stored article has id 'no-such-article'",
    }

    story = (await client.get("/v1/stories/article-0000")).json()
    assert [a["id"] for a in story["articles"]] == ["article-0000", "article-0003", "article-0004"]
    assert story["sources"] == ["daily.example", "post.example", "wire.example"]
    copy = next(e for e in story["evidence"] if e["id"] == "article-0003")
    assert copy["verdict"] == "duplicate" and copy["duplicate_of"] == "article-0000"
    assert copy["method"] == "near_content" and copy["evidence"] == {"jaccard": 0.97}
    assert (await client.get("/v1/stories/no-such-story")).status_code == 404

    stored = (await client.get("/v1/articles/article-0002/status")).json()
    assert stored["stage"] == "stored" and stored["seen_at"]
    unknown = await client.get("/v1/articles/never-pushed/status")
    assert unknown.status_code == 404 and "never-pushed" in unknown.json()["message"]


async def test_openapi_docs_metrics_and_dashboard(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    schema = (await client.get("/openapi.json")).json()
    assert {
        "/v1/status",
        "/v1/articles",
        "/v1/articles/{article_id}",
        "/v1/articles/{article_id}/status",
        "/v1/stories/{story_id}",
        "/v1/stream",
    } <= set(schema["paths"])
    documented = {p["name"]: p for p in schema["paths"]["/v1/articles"]["get"]["parameters"]}
    assert documented["q"]["examples"]
    assert documented["since"]["schema"]["anyOf"] == [{"format": "date-time"}, {"const": ""}]
    assert {"pattern": "^(100|[1-9][0-9]?)$"} in documented["limit"]["schema"]["anyOf"]
    window = schema["paths"]["/v1/articles/{article_id}/status"]["get"]["description"]
    assert "200,000" in window

    metrics = await client.get("/metrics")
    assert metrics.status_code == 200 and "python_info" in metrics.text

    page = await client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<svg" in page.text and "/v1/stream" in page.text and "/v1/status" in page.text
    assert "http://" not in page.text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page.text


async def _events(lines: httpx.Response | AsyncIterator[str], count: int) -> list[dict[str, str]]:
    """The next ``count`` SSE events (comments included, as ``{"comment": …}``) of a response,
    or of its line iterator when it is read in several steps."""
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    if isinstance(lines, httpx.Response):
        lines = lines.aiter_lines()
    async for line in lines:
        if line.startswith(":"):
            events.append({"comment": line[1:].strip()})
        elif line:
            name, _, value = line.partition(":")
            current[name] = value.removeprefix(" ")
        elif current:
            events.append(current)
            current = {}
        if len(events) >= count:
            break
    return events


async def test_stream_sends_new_articles_resumes_and_filters(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    new = [
        make_article(100, source="wire.example", title="Fresh one"),
        make_article(101, source="daily.example", title="Fresh two"),
        make_article(102, source="wire.example", title="Fresh copy", verdict="duplicate"),
    ]

    async with client.stream("GET", "/v1/stream", params={"source": "wire.example"}) as live:
        assert live.headers["content-type"].startswith("text/event-stream")
        lines = live.aiter_lines()
        (retry,) = await asyncio.wait_for(_events(lines, 1), 20)  # the stream's position is set
        await store_articles(settings, new)
        (first,) = await asyncio.wait_for(_events(lines, 1), 20)
    assert retry == {"retry": "2000"}
    assert first["event"] == "article" and '"Fresh one"' in first["data"]
    position = int(first["id"])
    assert position == len(ARTICLES) + 1

    headers = {"Last-Event-ID": str(position - 1)}
    params = {"include_duplicates": "true"}
    async with client.stream("GET", "/v1/stream", headers=headers, params=params) as again:
        replay = await asyncio.wait_for(_events(again, 5), 20)
    articles = [e for e in replay if e.get("event") == "article"]
    assert [int(e["id"]) for e in articles] == [position, position + 1, position + 2]
    assert {"comment": "keepalive"} in replay  # idle after the replay: heartbeats follow

    async with client.stream("GET", "/v1/stream", params={"backlog": "2"}) as recent:
        tail = await asyncio.wait_for(_events(recent, 2), 20)
    assert int(tail[1]["id"]) == position + 1  # 102 is a duplicate, hidden by default


async def test_stream_rejects_bad_parameters(client: httpx.AsyncClient) -> None:
    bad = await client.get("/v1/stream", params={"include_duplicates": "sometimes"})
    assert bad.status_code == 400
    assert (await client.get("/v1/stream", params={"backlog": "1000"})).status_code == 400


async def test_newsflow_status_prints_the_gateways_status(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    from services.tools.cli import main

    async def polled() -> bool:
        totals: dict[str, int] = (await client.get("/v1/status")).json()["totals"]
        return totals["stored"] == len(ARTICLES)

    await wait_for(polled, 20, "the first poll")
    code = await asyncio.to_thread(main, ["status", "--url", str(client.base_url)])
    out = capsys.readouterr().out
    assert code == 0
    assert "services" in out and "consumer lag" in out and "gateway" in out
    assert str(len(ARTICLES)) in out
