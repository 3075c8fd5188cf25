"""The SQL of a search: filters, keyset position and the two full-text plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from services.store.query import (
    DENSE_MATCHES,
    Statement,
    match_probe_statement,
    search_statement,
)
from services.store.search import NO_DATE, SearchQuery

T0 = datetime(2025, 3, 1, tzinfo=UTC)
T0_US = 1_740_787_200_000_000


def test_default_query_lists_unique_and_update_only() -> None:
    query = SearchQuery()
    statement = search_statement(query)
    assert "+a.verdict IN ('unique', 'update')" in statement.sql
    assert "ORDER BY a.sort_ts DESC, a.id DESC LIMIT :limit" in statement.sql
    assert "MATCH" not in statement.sql
    assert statement.params == {"limit": 21}
    assert match_probe_statement(query) is None


def test_every_filter_becomes_a_clause_and_parameter() -> None:
    query = SearchQuery(
        source=" example.com ",
        author="Jane Doe",
        language="EN",
        since=T0,
        until=T0 + timedelta(days=1),
        story="story-1",
        include_duplicates=True,
        limit=5,
    )
    statement = search_statement(query)
    assert "verdict" not in statement.sql
    for clause in (
        "a.source = :source",
        "a.language = :language",
        "a.story_id = :story",
        "author = :author",
        "a.sort_ts >= :since",
        "a.sort_ts < :until AND a.sort_ts > :no_date",
    ):
        assert clause in statement.sql
    assert statement.params == {
        "source": "example.com",
        "language": "en",
        "story": "story-1",
        "author": "Jane Doe",
        "since": T0_US,
        "until": T0_US + 86_400_000_000,
        "no_date": NO_DATE,
        "limit": 6,
    }


def test_since_is_the_instant_whatever_the_offset() -> None:
    paris = T0.astimezone(timezone(timedelta(hours=1)))
    assert search_statement(SearchQuery(since=paris)).params["since"] == T0_US


def test_full_text_plans_give_the_same_filters() -> None:
    query = SearchQuery(q="climate", source="a.example")
    sparse, dense = search_statement(query, [3, 1, 2]), search_statement(query)
    assert "json_each(:hits) AS hit CROSS JOIN articles AS a" in sparse.sql
    assert "MATCH" not in sparse.sql
    assert sparse.params == {"source": "a.example", "hits": "[3,1,2]", "limit": 21}
    assert "+a.seq IN (SELECT rowid FROM articles_fts" in dense.sql
    assert dense.params == {"source": "a.example", "match": '"climate"', "limit": 21}
    probe = match_probe_statement(query)
    assert probe is not None
    assert "LIMIT :cap" in probe.sql
    assert probe.params == {"match": '"climate"', "cap": DENSE_MATCHES}
    assert match_probe_statement(query, cap=7) == Statement(probe.sql, {**probe.params, "cap": 7})
