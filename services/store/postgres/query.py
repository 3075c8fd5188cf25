"""The PostgreSQL SQL of a search: :class:`~services.store.search.SearchQuery` → SQL text and
positional parameters.

Pure: no I/O, no database driver. The filters, the keyset position and the order are those of
SQLite's (``sqlite/query.py``): ``(sort_ts, id)`` descending, ``id`` in the C collation. With
``q``, one full-text condition (``postgres/tsquery.py``), and two ways to answer it: walk the
date index newest first, testing each row, or look the matches up in the GIN index and sort
them. The planner weighs the two from its statistics of the lexemes (``postgres/schema.py``
keeps many), but it prices a tested row as a cheap comparison, when testing one reads its whole
search vector out of line (several kilobytes, most of them off the cache at a million
articles): left alone it walks through thousands of rows for a word that a few thousand
articles hold. So the reader asks it first how many articles ``q`` matches
(:data:`ESTIMATE`, planned, never run) and, when taking the matches is the cheaper way
(:func:`index_first`), orders by an expression the date index cannot give, which leaves the
planner the GIN index (or a filter's index) and a sort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.store.postgres.languages import SIMPLE
from services.store.quotesearch import QuoteQuery
from services.store.search import NO_DATE, SearchQuery, instant_us

Param = str | int
# The lexemes each configuration in use makes of each term's words (the simple one always: a
# prefix is looked up by its words as written).
LEXEMES = (
    "SELECT c.id, c.stemmer, c.used, t.words, v.lexeme, v.positions "
    "FROM search_configs AS c CROSS JOIN unnest($1::text[]) AS t (words) "
    "CROSS JOIN LATERAL unnest(to_tsvector(c.config, t.words)) AS v "
    f"WHERE c.used OR c.id = {SIMPLE}"
)

# The rows the planner expects ``q`` ($1, a tsquery) to match, beside the articles it counts:
# an Append of the two, read by index_first.
ESTIMATE = (
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM articles AS a WHERE a.search_vector @@ $1::tsquery "
    "UNION ALL SELECT 1 FROM articles"
)
# What testing a row on the newest-first walk costs, in rows fetched by the GIN index and sorted:
# the bench's searches with q had their lowest p95 with 4 at 100,000 articles and with 2 at
# 300,000 (2 costs 6% more at 100,000; 4 costs 13% more at 300,000; docs/postgresql.md).
WALK_COST = 2


def index_first(plan: Sequence[Mapping[str, Any]], limit: int) -> bool:
    """Whether a page of ``limit`` rows is cheaper from the GIN index's matches (all of them
    fetched, then sorted) than from the newest-first walk (about ``limit + 1`` rows in every
    ``articles / matches`` tested), by the estimates of :data:`ESTIMATE` (its parsed ``plan``)."""
    matches, articles = (max(float(p["Plan Rows"]), 1.0) for p in plan[0]["Plan"]["Plans"])
    return matches * matches <= WALK_COST * (limit + 1) * articles


@dataclass(slots=True)
class Statement:
    """SQL text with ``$n`` parameters, built clause by clause."""

    sql: str = ""
    params: list[Param] = field(default_factory=list)

    def param(self, value: Param) -> str:
        """The placeholder of a new parameter with ``value``."""
        self.params.append(value)
        return f"${len(self.params)}"


def _filters(query: SearchQuery, statement: Statement) -> list[str]:
    clauses: list[str] = []
    if not query.include_duplicates:
        clauses.append("a.verdict IN ('unique', 'update')")
    for name, column in (("source", "source"), ("language", "language"), ("story", "story_id")):
        value = getattr(query, name)
        if value is not None:
            clauses.append(f"a.{column} = {statement.param(value)}")
    if query.author is not None:
        key = statement.param(query.author.casefold())
        clauses.append(f"a.id IN (SELECT article_id FROM article_authors WHERE author_key = {key})")
    if query.speaker_key is not None:
        key = statement.param(query.speaker_key)
        clauses.append(
            f"a.id IN (SELECT article_id FROM article_quotes WHERE speaker_name = {key} "
            f"UNION SELECT article_id FROM article_quotes WHERE speaker_surname = {key})"
        )
    since, until = instant_us("since", query.since), instant_us("until", query.until)
    if since is not None:
        clauses.append(f"a.sort_ts >= {statement.param(since)}")
    if until is not None:
        clauses.append(f"a.sort_ts < {statement.param(until)} AND a.sort_ts > {NO_DATE}")
    if query.after is not None:
        ts, key = statement.param(query.after.ts), statement.param(query.after.id)
        clauses.append(f"(a.sort_ts, a.id) < ({ts}::bigint, {key}::text)")
    return clauses


def search_statement(
    query: SearchQuery, text: str | None = None, *, matches_first: bool = False
) -> Statement:
    """One page (``limit + 1`` rows, to tell whether another follows) of ``seq, sort_ts, id,
    doc``, newest first; ``text`` is ``q`` as a tsquery (``None`` without q). With
    ``matches_first`` the order is the same, by an expression the date index cannot give (see
    :func:`index_first`)."""
    statement = Statement()
    clauses = _filters(query, statement)
    if text is not None:
        clauses.append(f"a.search_vector @@ {statement.param(text)}::tsquery")
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    limit = statement.param(query.limit + 1)
    ts = "a.sort_ts + 0" if matches_first else "a.sort_ts"
    statement.sql = (
        "SELECT a.seq, a.sort_ts, a.id, a.doc FROM articles AS a "
        f"{where}ORDER BY {ts} DESC, a.id DESC LIMIT {limit}"
    )
    return statement


QUOTE_FIELDS = (
    "article_id, position, sort_ts, speaker, speaker_kind, cue, paragraph, start_offset, "
    "end_offset, text"
)


def quotes_statement(query: QuoteQuery) -> Statement:
    """One page (``limit + 1`` rows) of quotations in :data:`QUOTE_FIELDS` order, in SQLite's
    order (``sqlite/query.py``): the article's ``(sort_ts, id)`` descending, then its order."""
    statement = Statement()
    clauses = ["verdict IN ('unique', 'update')"]
    if query.speaker_key is not None:
        key = statement.param(query.speaker_key)
        clauses.append(f"(speaker_name = {key} OR speaker_surname = {key})")
    for term in query.terms:
        clauses.append(f"strpos(text_key, {statement.param(term)}) > 0")
    if query.after is not None:
        ts, key = statement.param(query.after.ts), statement.param(query.after.article_id)
        position = statement.param(query.after.position)
        clauses.append(
            f"(sort_ts < {ts}::bigint OR (sort_ts = {ts}::bigint AND (article_id < {key}::text "
            f"OR (article_id = {key}::text AND position > {position}::integer))))"
        )
    limit = statement.param(query.limit + 1)
    statement.sql = (
        f"SELECT {QUOTE_FIELDS} FROM article_quotes WHERE {' AND '.join(clauses)} "
        f"ORDER BY sort_ts DESC, article_id DESC, position LIMIT {limit}"
    )
    return statement
