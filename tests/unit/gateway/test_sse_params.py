"""SSE formatting, stream filters, and query-string parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.gateway.errors import InvalidQueryError
from services.gateway.params import search_query, stream_backlog, stream_filter
from services.gateway.sse import StreamFilter, event, last_event_id
from services.gateway.stories import story_of
from tests.unit.store.factory import make_article


def test_events_put_every_line_in_its_own_data_field() -> None:
    assert event('{"a": 1}', event_id=7, name="article") == (
        'id: 7\nevent: article\ndata: {"a": 1}\n\n'
    )
    assert event("one\ntwo") == "data: one\ndata: two\n\n"


def test_last_event_id() -> None:
    assert last_event_id("42") == 42
    assert last_event_id(" 42 ") == 42
    assert last_event_id(None) is None
    assert last_event_id("-3") is None and last_event_id("abc") is None


def test_stream_filter() -> None:
    copy = make_article(1, source="a.example", language="fr", verdict="duplicate")
    assert not StreamFilter().matches(copy)
    assert StreamFilter(include_duplicates=True, language="FR").matches(copy)
    assert not StreamFilter(include_duplicates=True, source="b.example").matches(copy)


def test_search_params_drop_empty_values_and_parse_types() -> None:
    query = search_query(
        {
            "q": "climate",
            "source": "",
            "since": "2025-03-01T12:00:00 01:00",
            "limit": "5",
            "include_duplicates": "yes",
        }
    )
    assert query.source is None and query.limit == 5 and query.include_duplicates
    assert query.since == datetime(2025, 3, 1, 12, tzinfo=timezone(timedelta(hours=1)))
    assert search_query({"until": "2025-03-01T00:00:00Z"}).until == datetime(2025, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "params",
    [
        {"since": "soon"},
        {"since": "2025-03-01"},
        {"limit": "1.5"},
        {"include_duplicates": "2"},
        {"nope": "1"},
    ],
)
def test_bad_search_params(params: dict[str, str]) -> None:
    with pytest.raises(InvalidQueryError):
        search_query(params)


def test_stream_params() -> None:
    assert stream_filter({"source": " a ", "include_duplicates": "true"}) == StreamFilter(
        "a", None, True
    )
    assert stream_backlog({}) == 0 and stream_backlog({"backlog": "20"}) == 20
    with pytest.raises(InvalidQueryError):
        stream_backlog({"backlog": "-1"})


def test_story_sources_and_evidence() -> None:
    first = make_article(0, source="b.example")
    copy = make_article(
        1, source=None, verdict="duplicate", story_id="article-0000", duplicate_of="article-0000"
    )
    story = story_of("article-0000", [first, copy])
    assert story.sources == ["b.example", "unknown"]
    assert story.evidence[1]["duplicate_of"] == "article-0000"
    assert story.evidence[1]["evidence"] == {"jaccard": 0.97}
