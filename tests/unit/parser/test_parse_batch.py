"""``parse_articles``: a batch parsed phase by phase gives what ``parse_article`` gives for each
article, with the error of an article that has no body in its place."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

from services.core import ndjson
from services.core.models import RawArticle
from services.parser.errors import EmptyArticleError
from services.parser.parse import parse_article, parse_articles
from tests.conftest import DATA

RECEIVED = datetime(2026, 1, 2, tzinfo=UTC)


def _raw(index: int, content: str, kind: str = "text/plain", **fields: object) -> RawArticle:
    values: dict[str, object] = {
        "id": f"b{index}",
        "id_source": "client",
        "content": content,
        "content_type": kind,
        "received_at": RECEIVED,
    }
    values.update(fields)
    return RawArticle.model_validate(values)


def _one_by_one(raws: list[RawArticle]) -> list[object]:
    parses: list[object] = []
    for raw in raws:
        try:
            parses.append(parse_article(raw, {"example.de": "Europe/Berlin"}).model_dump())
        except EmptyArticleError as error:
            parses.append(repr(error))
    return parses


def _batch(raws: list[RawArticle]) -> list[object]:
    return [
        repr(parse) if isinstance(parse, Exception) else parse.model_dump()
        for parse in parse_articles(raws, {"example.de": "Europe/Berlin"})
    ]


def test_the_plain_text_dev_set_parses_the_same_in_a_batch() -> None:
    lines = ndjson.records((DATA / "plaintext" / "plaintext-dev.jsonl").read_text("utf-8"))
    raws = [_raw(n, json.loads(line.text)["text"]) for n, line in enumerate(lines)]
    raws.append(_raw(len(raws), (DATA / "seed-article.txt").read_text("utf-8"), language="en"))
    assert len(raws) > 50
    assert _batch(raws) == _one_by_one(raws)


def test_html_pages_parse_the_same_in_a_batch() -> None:
    pages = sorted((DATA / "extraction-dev" / "html").glob("*.html.gz"))[:12]
    raws = [
        _raw(n, gzip.decompress(path.read_bytes()).decode("utf-8", "replace"), "text/html")
        for n, path in enumerate(pages)
    ]
    assert _batch(raws) == _one_by_one(raws)


def test_an_article_without_a_body_gets_its_error_in_its_place() -> None:
    raws = [
        _raw(0, "Title one\n\nThe council met on Tuesday and voted for the new bridge."),
        _raw(1, " \u200b\u00ad \n\n "),
        _raw(2, "<html><body><nav>Home</nav></body></html>", "text/html"),
        _raw(
            3, "Title two\n\nDie Stadt baut eine neue Brücke über den Fluss.", source="example.de"
        ),
    ]
    parses = parse_articles(raws)
    assert [type(parse).__name__ for parse in parses] == [
        "ParsedArticle",
        "EmptyArticleError",
        "EmptyArticleError",
        "ParsedArticle",
    ]
    assert _batch(raws) == _one_by_one(raws)


def test_an_empty_batch_is_empty() -> None:
    assert parse_articles([]) == []
