"""The parser's handler: a parsed record per raw one, poison refused as permanent, the batch going on."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from services.core.errors import InvalidMessageError
from services.core.models import ParsedArticle
from services.core.records import ConsumedRecord
from services.core.settings import Settings
from services.core.topics import Topics
from services.parser.errors import EmptyArticleError
from services.parser.handler import parser_handler
from tests.unit.parser.articles import raw


def record(value: bytes | None) -> ConsumedRecord:
    return ConsumedRecord("t.articles.raw.v1", 0, 7, b"a1", value)


async def test_handler_emits_the_parsed_record() -> None:
    handle = parser_handler(Settings(), Topics("t."))
    [outcome] = await handle([record(raw().to_bytes())])
    assert not isinstance(outcome, Exception)
    [out] = outcome
    assert out.topic == "t.articles.parsed.v1"
    assert out.key == b"a1"
    assert ParsedArticle.from_bytes(out.value).title is not None
    headers = dict(out.headers)
    assert headers["ce_type"] == b"dev.newsflow.article.parsed.v1"
    assert headers["ce_id"] == b"t.articles.raw.v1/0/7:parser"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "no value"),
        (b"", "no value"),
        (b"{not json", "not a valid RawArticle"),
        (b'{"id": "x"}', "content: Field required"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (
            b'{"id": "a", "id_source": "client", "content": "x", "unknown": "caf\xe9", '
            b'"received_at": "2025-01-01T00:00:00Z"}',
            "not UTF-8: invalid continuation byte",
        ),
        (
            b'{"id": "a", "id_source": "client", "content": "\xed\xa0\x80", '
            b'"received_at": "2025-01-01T00:00:00Z"}',
            "not UTF-8",
        ),
        (
            b'{"id": "a", "id_source": "client", "content": "'
            + b"x" * 400
            + b'", "received_at": "2025-01-01T00:00:00Z"}',
            "at most 300",
        ),
    ],
)
async def test_handler_rejects_poison_permanently(value: bytes | None, reason: str) -> None:
    handle = parser_handler(Settings(max_body_bytes=300), Topics("t."))
    good = raw(
        id="g", content="T\n\nBody.", received_at=datetime(2025, 1, 1, tzinfo=UTC)
    ).to_bytes()
    assert len(good) <= 300, len(good)
    [error, fine] = await handle(
        [record(value), ConsumedRecord("t.articles.raw.v1", 0, 8, b"a1", good)]
    )
    assert isinstance(error, InvalidMessageError)
    assert re.search(reason, str(error))
    assert not isinstance(fine, Exception) and len(fine) == 1, "the batch goes on past poison"


async def test_faults_keep_their_places_in_a_batch() -> None:
    """A batch is parsed phase by phase (parse_articles): a record that does not decode and an
    article with no body keep their places among the parsed ones."""
    handle = parser_handler(Settings(), Topics("t."))
    values = [
        raw(id="p1").to_bytes(),
        b"{not json",
        raw(id="p2", content=" \u200b ").to_bytes(),
        raw(id="p3", content="Second title\n\nThe second body, with its own words.").to_bytes(),
    ]
    outcomes = await handle(
        [ConsumedRecord("t.articles.raw.v1", 0, n, b"k", value) for n, value in enumerate(values)]
    )
    assert isinstance(outcomes[1], InvalidMessageError)
    assert isinstance(outcomes[2], EmptyArticleError)
    assert str(outcomes[2]) == "the document is empty"
    ids = []
    for outcome in (outcomes[0], outcomes[3]):
        assert not isinstance(outcome, Exception)
        ids.append(ParsedArticle.from_bytes(outcome[0].value).id)
    assert ids == ["p1", "p3"]
