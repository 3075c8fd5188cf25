"""Server-sent events: one data field per line, the last event id, the stream filter."""

from __future__ import annotations

from services.gateway.sse import StreamFilter, event, last_event_id
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
