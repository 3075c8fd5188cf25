"""The PostgreSQL SQL of a search: :class:`~services.store.search.SearchQuery` → SQL text and
positional parameters.

Pure: no I/O, no database driver. The filters, the keyset position and the order are those of
SQLite's (``sqlite/query.py``): ``(sort_ts, id)`` descending, ``id`` in the C collation. With
``q``, the full-text index is asked for any configuration's query (``union``) and each row is
then checked against the query of its own configuration (``queries[search_config]``); see
``postgres/tsquery.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from services.store.search import NO_DATE, SearchQuery, instant_us

Param = str | int | list[str | None]
LEXEMES = (
    "SELECT c.id, t.words, v.lexeme, v.positions "
    "FROM search_configs AS c CROSS JOIN unnest($1::text[]) AS t (words) "
    "CROSS JOIN LATERAL unnest(to_tsvector(c.config, t.words)) AS v"
)


@dataclass(slots=True)
class Statement:
    """SQL text with ``$n`` parameters, built clause by clause."""

    sql: str = ""
    params: list[Param] = field(default_factory=list)

    def param(self, value: Param) -> str:
        """The placeholder of a new parameter with ``value``."""
        self.params.append(value)
        return f"${len(self.params)}"


@dataclass(frozen=True, slots=True)
class FullText:
    """``q`` for the database: the index's query, and each configuration's (by id, from 1)."""

    union: str
    queries: Sequence[str | None]


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
    since, until = instant_us("since", query.since), instant_us("until", query.until)
    if since is not None:
        clauses.append(f"a.sort_ts >= {statement.param(since)}")
    if until is not None:
        clauses.append(f"a.sort_ts < {statement.param(until)} AND a.sort_ts > {NO_DATE}")
    if query.after is not None:
        ts, key = statement.param(query.after.ts), statement.param(query.after.id)
        clauses.append(f"(a.sort_ts, a.id) < ({ts}::bigint, {key}::text)")
    return clauses


def search_statement(query: SearchQuery, text: FullText | None = None) -> Statement:
    """One page (``limit + 1`` rows, to tell whether another follows) of ``seq, sort_ts, id,
    doc``, newest first; ``text`` is ``q`` made into full-text queries (``None`` without q)."""
    statement = Statement()
    clauses = _filters(query, statement)
    if text is not None:
        union = statement.param(text.union)
        queries = statement.param(list(text.queries))
        clauses.append(f"a.search_vector @@ {union}::tsquery")
        clauses.append(f"a.search_vector @@ ({queries}::text[]::tsquery[])[a.search_config]")
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    limit = statement.param(query.limit + 1)
    statement.sql = (
        "SELECT a.seq, a.sort_ts, a.id, a.doc FROM articles AS a "
        f"{where}ORDER BY a.sort_ts DESC, a.id DESC LIMIT {limit}"
    )
    return statement
