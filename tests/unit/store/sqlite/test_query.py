"""The SQLite SQL of a search: filters, keyset position and the two full-text plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.store.search import NO_DATE, InvalidQueryError, SearchQuery, parse_text
from services.store.sqlite.query import (
    DENSE_MATCHES,
    Statement,
    fts5_expression,
    match_of,
    match_probe_statement,
    search_statement,
)

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


@pytest.mark.parametrize(
    ("q", "expression"),
    [
        ("climate", '"climate"'),
        ("Climate  summit", '"Climate" AND "summit"'),
        ('"climate summit" paris', '"climate summit" AND "paris"'),
        ("clim*", '"clim"*'),
        ('"climate sum"*', '"climate sum"*'),
        ("paris OR london", '("paris" OR "london")'),
        ("a OR b OR c d", '("a" OR "b" OR "c") AND "d"'),
        ("paris -london", '("paris") NOT "london"'),
        ("paris NOT london -rome*", '("paris") NOT "london" NOT "rome"*'),
        ("paris AND london", '"paris" AND "london"'),
        ("covid-19", '"covid-19"'),
        ("title:paris", '"title:paris"'),
        ("NEAR(a b) ^x", '"NEAR(a" AND "b)" AND "^x"'),
        ("paris !!! ...", '"paris"'),
        ('paris ""', '"paris"'),
        ("or and not", '"or" AND "and" AND "not"'),
        ("Élysée", '"Élysée"'),
    ],
)
def test_user_syntax_becomes_a_safe_fts5_expression(q: str, expression: str) -> None:
    assert fts5_expression(parse_text(q)) == expression
    assert match_of(SearchQuery(q=q)) == expression


@pytest.mark.parametrize(
    ("q", "expression"),
    [
        ("東京都", '"東 京 都"'),
        ("京", '"京"'),
        ("東京*", '"東 京"*'),
        ('"東京都 大阪府"', '"東 京 都   大 阪 府"'),
        ("東京 OR 大阪", '("東 京" OR "大 阪")'),
        ("東京 -大阪", '("東 京") NOT "大 阪"'),
        ("iPhone16を発表", '"iPhone16 を 発 表"'),
        ("19日", '"19 日"'),
        ("ｉＰｈｏｎｅ", '"iPhone"'),
        ("서울시", '"서 울 시"'),
        ("หอมมะลิ", '"ห อ ม ม ะ ลิ"'),
        ("北京 climate", '"北 京" AND "climate"'),
        ("＂東京＂", '""" 東 京 """'),  # a full-width quote folds to ", escaped for FTS5
        ("、。", None),
    ],
)
def test_words_of_scripts_without_spaces_become_phrases_of_their_characters(
    q: str, expression: str | None
) -> None:
    if expression is None:
        with pytest.raises(InvalidQueryError, match="at least one word"):
            parse_text(q)
    else:
        assert fts5_expression(parse_text(q)) == expression
