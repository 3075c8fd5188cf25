"""The SQLite SQL of a search: :class:`~services.store.search.SearchQuery` → SQL text and
parameters, its ``q`` as an FTS5 MATCH expression.

Pure: no I/O, no database driver. Every listing is ordered by ``(sort_ts, id)`` descending (see
:mod:`services.store.search`); the statements here are the only SQLite SQL that reads a page of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from services.store.fulltext import index_text
from services.store.search import NO_DATE, SearchQuery, Term, TextQuery, instant_us

# A MATCH with at least this many hits is "dense": walking the date index and checking each row
# against the hits finds a page sooner than looking up and sorting every hit (measured crossover
# at 100k articles: ~250 hits). See :func:`search_statement` and ``bench/query.py``.
DENSE_MATCHES = 250
Param = str | int


def _quoted(term: Term) -> str:
    # Folding makes a double quote of a full-width one (＂): FTS5 reads "" as one in a string.
    phrase = index_text(term.text).strip().replace('"', '""')
    return '"' + phrase + '"' + ("*" if term.prefix else "")


def fts5_expression(text: TextQuery) -> str:
    """``q``'s terms as a safe FTS5 MATCH expression: every term a quoted string (a phrase of
    its tokens, the last one a prefix for ``word*``)."""
    wanted = " AND ".join(
        _quoted(g[0]) if len(g) == 1 else "(" + " OR ".join(map(_quoted, g)) + ")"
        for g in text.groups
    )
    if not text.excluded:
        return wanted
    return f"({wanted})" + "".join(f" NOT {_quoted(term)}" for term in text.excluded)


def match_of(query: SearchQuery) -> str | None:
    """The FTS5 MATCH expression of ``query.q``; ``None`` without q."""
    return fts5_expression(query.text) if query.text is not None else None


@dataclass(frozen=True, slots=True)
class Statement:
    """SQL text with named parameters."""

    sql: str
    params: dict[str, Param]


def _filters(query: SearchQuery) -> tuple[list[str], dict[str, Param]]:
    clauses: list[str] = []
    params: dict[str, Param] = {}
    if not query.include_duplicates:
        # Unary + : never drive the scan from the (unselective) verdict index.
        clauses.append("+a.verdict IN ('unique', 'update')")
    for name, column in (("source", "source"), ("language", "language"), ("story", "story_id")):
        value = getattr(query, name)
        if value is not None:
            clauses.append(f"a.{column} = :{name}")
            params[name] = value
    if query.author is not None:
        clauses.append("a.id IN (SELECT article_id FROM article_authors WHERE author = :author)")
        params["author"] = query.author
    since, until = instant_us("since", query.since), instant_us("until", query.until)
    if since is not None:
        clauses.append("a.sort_ts >= :since")
        params["since"] = since
    if until is not None:
        clauses.append("a.sort_ts < :until AND a.sort_ts > :no_date")
        params.update(until=until, no_date=NO_DATE)
    if query.after is not None:
        clauses.append("(a.sort_ts, a.id) < (:after_ts, :after_id)")
        params.update(after_ts=query.after.ts, after_id=query.after.id)
    return clauses, params


def search_statement(query: SearchQuery, hits: Sequence[int] | None = None) -> Statement:
    """One page (``limit + 1`` rows, to tell whether another follows) of ``seq, sort_ts, id, doc``.

    With ``q``, two plans give the same rows. ``hits`` is every full-text match, when
    :func:`match_probe_statement` found fewer than :data:`DENSE_MATCHES`: those rows are looked
    up and sorted (the MATCH is not run again). Without ``hits`` the match is dense: each row
    met while walking the date index is checked against it, which stops after one page.
    """
    clauses, params = _filters(query)
    source = "articles AS a"
    match = match_of(query)
    if match is not None and hits is not None:
        source = "json_each(:hits) AS hit CROSS JOIN articles AS a ON a.seq = hit.value"
        params["hits"] = orjson.dumps(list(hits)).decode()
    elif match is not None:
        clauses.append("+a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match)")
        params["match"] = match
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    params["limit"] = query.limit + 1
    sql = (
        "WITH page AS MATERIALIZED ("
        f"SELECT a.seq, a.sort_ts, a.id FROM {source} {where} "
        "ORDER BY a.sort_ts DESC, a.id DESC LIMIT :limit) "
        "SELECT page.seq, page.sort_ts, page.id, a.doc "
        "FROM page JOIN articles AS a ON a.seq = page.seq "
        "ORDER BY page.sort_ts DESC, page.id DESC"
    )
    return Statement(sql, params)


def match_probe_statement(query: SearchQuery, cap: int = DENSE_MATCHES) -> Statement | None:
    """The rowids ``q`` matches, at most ``cap`` of them; ``None`` without q.

    Fewer than ``cap`` rows is the complete match: pass them to :func:`search_statement`.
    """
    match = match_of(query)
    if match is None:
        return None
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match LIMIT :cap"
    return Statement(sql, {"match": match, "cap": cap})
