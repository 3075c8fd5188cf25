"""The PostgreSQL SQL of a search: :class:`~services.store.search.SearchQuery` → SQL text and
positional parameters.

Pure: no I/O, no database driver. The filters, the keyset position and the order are those of
SQLite's (``sqlite/query.py``): ``(sort_ts, id)`` descending, ``id`` in the C collation. With
``q``, one full-text condition (``postgres/tsquery.py``): the planner walks the date index and
tests each row when the words are common, or looks the matches up in the GIN index and sorts
them when they are rare, from its statistics of the lexemes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.store.postgres.languages import SIMPLE
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
    since, until = instant_us("since", query.since), instant_us("until", query.until)
    if since is not None:
        clauses.append(f"a.sort_ts >= {statement.param(since)}")
    if until is not None:
        clauses.append(f"a.sort_ts < {statement.param(until)} AND a.sort_ts > {NO_DATE}")
    if query.after is not None:
        ts, key = statement.param(query.after.ts), statement.param(query.after.id)
        clauses.append(f"(a.sort_ts, a.id) < ({ts}::bigint, {key}::text)")
    return clauses


def search_statement(query: SearchQuery, text: str | None = None) -> Statement:
    """One page (``limit + 1`` rows, to tell whether another follows) of ``seq, sort_ts, id,
    doc``, newest first; ``text`` is ``q`` as a tsquery (``None`` without q)."""
    statement = Statement()
    clauses = _filters(query, statement)
    if text is not None:
        clauses.append(f"a.search_vector @@ {statement.param(text)}::tsquery")
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    limit = statement.param(query.limit + 1)
    statement.sql = (
        "SELECT a.seq, a.sort_ts, a.id, a.doc FROM articles AS a "
        f"{where}ORDER BY a.sort_ts DESC, a.id DESC LIMIT {limit}"
    )
    return statement
