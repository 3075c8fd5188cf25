"""Articles in legacy encodings through the real HTTP API, ``newsflow push`` and the pipeline:
each reaches Kafka, and the store, as the right Unicode text."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.core.models import ProcessedArticle, RawArticle
from services.core.settings import Settings
from services.core.topics import Topics
from services.ingest.app import create_app
from tests.encoded_news import DETECTABLE, NEWS, News
from tests.integration.flow import create_topics, read_committed
from tests.integration.pipeline import stages_running
from tests.integration.servers import serving


@pytest.fixture
async def ingest(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    await create_topics(settings)
    async with serving(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as client:
        yield client


def requests_of(news: News) -> list[tuple[bytes, str, str]]:
    """(body, content type, the text it must become): plain text and HTML with the charset
    declared, and HTML that names it only in its own <meta> (both forms)."""
    page = news.html("none")
    return [
        (news.encoded(news.plain), f"text/plain; charset={news.charset}", news.plain),
        (news.encoded(page), f"text/html; charset={news.charset}", page),
        (news.encoded(news.html("charset")), "text/html", news.html("charset")),
        (news.encoded(news.html("http-equiv")), "text/html", news.html("http-equiv")),
    ]


async def raw_contents(settings: Settings, expected: int) -> dict[str, str]:
    records = await read_committed(settings, Topics(settings.topic_prefix).raw, expected)
    articles = [RawArticle.from_bytes(r.value or b"") for r in records]
    return {a.id: a.content for a in articles}


async def test_each_legacy_encoding_reaches_kafka_as_unicode(
    ingest: httpx.AsyncClient, settings: Settings
) -> None:
    sent: dict[str, str] = {}
    for news in NEWS:
        for number, (body, content_type, text) in enumerate(requests_of(news)):
            response = await ingest.post(
                f"/v1/articles?id={news.language}-{news.charset}-{number}",
                content=body,
                headers={"content-type": content_type},
            )
            assert response.status_code == 202, (news.charset, content_type, response.text)
            sent[response.json()["id"]] = text
    assert await raw_contents(settings, len(sent)) == sent


async def test_undecodable_and_undeclared_bodies_get_clear_errors(
    ingest: httpx.AsyncClient, settings: Settings
) -> None:
    news = NEWS[0]
    cases = [
        (news.encoded(news.plain), "text/plain", 400, "invalid_utf8"),
        (news.encoded(news.plain), "text/plain; charset=x-klingon", 415, "unsupported_charset"),
        (b'{"content": "x"}', "application/json; charset=iso-8859-1", 415, "unsupported_charset"),
        (b"\x81\x20", "text/plain; charset=shift_jis", 400, "undecodable"),
    ]
    for body, content_type, status, code in cases:
        response = await ingest.post(
            "/v1/articles", content=body, headers={"content-type": content_type}
        )
        assert (response.status_code, response.json()["error"]) == (status, code), response.text
        assert response.json()["message"]
    assert (await ingest.post("/v1/articles", json={"content": "marker"})).status_code == 202
    assert list((await raw_contents(settings, 1)).values()) == ["marker"]


async def test_legacy_pages_are_stored_as_the_right_text(
    ingest: httpx.AsyncClient, settings: Settings
) -> None:
    expected: dict[str, News] = {}
    for news in NEWS:
        bodies = [
            (news.encoded(news.plain), f"text/plain; charset={news.charset}"),
            (news.encoded(news.html("charset")), "text/html"),
        ]
        for number, (body, content_type) in enumerate(bodies):
            article_id = f"{news.language}-{news.charset}-{number}"
            response = await ingest.post(
                f"/v1/articles?id={article_id}",
                content=body,
                headers={"content-type": content_type},
            )
            assert response.status_code == 202, response.text
            expected[article_id] = news
    topics = Topics(settings.topic_prefix)
    async with stages_running(settings, "parser", "dedup", "store"):
        records = await read_committed(settings, topics.processed, len(expected), timeout_s=120)
    stored = {a.id: a for a in (ProcessedArticle.from_bytes(r.value or b"") for r in records)}
    assert set(stored) == set(expected)
    for article_id, news in expected.items():
        article = stored[article_id]
        assert article.title == news.title, article_id
        assert news.paragraphs[-1] in "\n".join(article.paragraphs), article_id
        assert article.language == news.language, article_id


async def push_cli(base: str, *args: str, stdin: bytes | None = None) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.tools.cli", "push", "--url", base, *args,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(stdin), 120)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_push_reads_legacy_files_and_stdin(
    ingest: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    base = str(ingest.base_url).rstrip("/")
    pages, texts, czech = tmp_path / "pages", tmp_path / "texts", tmp_path / "czech"
    for folder in (pages, texts, czech):
        folder.mkdir()
    for news in NEWS:
        name = f"{news.language}-{news.charset}"
        (pages / f"{name}.html").write_bytes(news.encoded(news.html("charset")))
        if news in DETECTABLE:
            (texts / f"{name}.txt").write_bytes(news.encoded(news.plain))
    cs = next(n for n in NEWS if n.language == "cs")
    (czech / "cs.txt").write_bytes(cs.encoded(cs.plain))
    runs = [
        (await push_cli(base, str(pages)), len(NEWS)),
        (await push_cli(base, str(texts)), len(DETECTABLE)),
        (await push_cli(base, "--charset", "ISO-8859-2", str(czech)), 1),
        (await push_cli(base, "-", stdin=NEWS[0].encoded(NEWS[0].html("http-equiv"))), 1),
    ]
    for (code, out), accepted in runs:
        assert (code, out.splitlines()[:2]) == (0, [f"accepted: {accepted}", "rejected: 0"]), out
    total = sum(accepted for _, accepted in runs)
    records = await read_committed(settings, Topics(settings.topic_prefix).raw, total)
    contents = sorted(RawArticle.from_bytes(r.value or b"").content for r in records)
    assert contents == sorted(
        [n.html("charset") for n in NEWS]
        + [n.plain for n in DETECTABLE]
        + [cs.plain, NEWS[0].html("http-equiv")]
    )
