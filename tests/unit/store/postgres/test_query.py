"""The PostgreSQL search SQL: which way a page is read (the newest-first walk or the GIN
index's matches, by the planner's estimate), and that the order is the same either way."""

from __future__ import annotations

from typing import Any

from services.store.postgres.query import WALK_COST, index_first, search_statement
from services.store.search import SearchQuery

MILLION = 1_000_000


def _plan(matches: float, articles: float) -> list[dict[str, Any]]:
    """The parsed EXPLAIN of ``query.ESTIMATE``: an Append of the two estimates."""
    members = [{"Node Type": "Bitmap Heap Scan", "Plan Rows": matches}]
    members.append({"Node Type": "Seq Scan", "Plan Rows": articles})
    return [{"Plan": {"Node Type": "Append", "Plan Rows": matches + articles, "Plans": members}}]


def test_a_word_a_few_thousand_articles_hold_is_read_from_its_matches() -> None:
    assert index_first(_plan(2_800, MILLION), 20)  # the walk would test ~7,500 rows
    assert index_first(_plan(0, 0), 20)  # an empty table, or nothing matches


def test_a_common_word_is_read_by_the_walk() -> None:
    assert not index_first(_plan(600_000, MILLION), 20)  # ~35 rows tested
    assert not index_first(_plan(20_000, MILLION), 20)  # ~1,050 rows tested against 20,000


def test_the_turning_point_weighs_a_tested_row_against_a_fetched_match() -> None:
    limit = 20
    turn = (WALK_COST * (limit + 1) * MILLION) ** 0.5
    assert index_first(_plan(turn * 0.99, MILLION), limit)
    assert not index_first(_plan(turn * 1.01, MILLION), limit)
    assert index_first(_plan(turn * 1.5, MILLION), 50)  # a longer page walks further


def test_reading_the_matches_first_changes_only_how_the_order_is_written() -> None:
    query = SearchQuery(q="storm", source="example.com", limit=5)
    walk = search_statement(query, "'storm'")
    first = search_statement(query, "'storm'", matches_first=True)
    assert walk.params == first.params
    assert "ORDER BY a.sort_ts DESC, a.id DESC" in walk.sql
    assert first.sql == walk.sql.replace("ORDER BY a.sort_ts DESC", "ORDER BY a.sort_ts + 0 DESC")
