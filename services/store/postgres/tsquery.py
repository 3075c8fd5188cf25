"""``q`` as PostgreSQL full-text queries, one per text-search configuration.

Pure. An article's ``search_vector`` holds its title and body stemmed by its language's
configuration (weights A and B) and, for a stemmed language, the same words unstemmed (C and D;
see ``postgres/schema.py``). A query is built for each configuration from the lexemes that
configuration makes of each term's words (looked up by the reader), and an article is matched
against its own configuration's query only:

* a word matches its stem in the title or body (``'elect':AB``): ``elections`` finds
  ``election`` in an English article, as SQLite, which has no stemming, would not — a word
  finds at least what SQLite finds, and the forms of that word in its language;
* a phrase matches its stems side by side within the title or within the body
  (``('scrutin':A <-> 'serr':A) | ('scrutin':B <-> 'serr':B)``), never across the two;
* a prefix (``clim*``, ``"climate sum"*``) matches the unstemmed words (C and D; A and B where
  the language has no stemmer), exactly as SQLite: a stem may be shorter than the prefix typed
  (``running`` → ``run`` for ``runn*``);
* ``OR``, ``-word`` and the groups keep their meaning (``&``, ``|``, ``!``).

A term whose words make no lexeme (only characters no configuration keeps) matches nothing: a
wanted one empties its group, an excluded one excludes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.store.fulltext import index_words
from services.store.postgres.languages import SIMPLE
from services.store.search import Term, TextQuery

# A term's lexemes: per position (1, 2, …) of its words, the lexemes there (usually one).
Lexemes = tuple[tuple[int, tuple[str, ...]], ...]
LexemeMap = Mapping[tuple[int, str], Lexemes]  # (configuration id, words) → lexemes


def term_words(text: TextQuery) -> list[str]:
    """The distinct words of every term of ``q`` (as :func:`index_words` gives them), for the
    lexeme lookup."""
    terms = [term for group in text.groups for term in group] + list(text.excluded)
    return sorted({words for term in terms if (words := index_words(term.text))})


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _operand(lexemes: tuple[str, ...], weights: str, prefix: bool) -> str:
    mark = ":" + ("*" if prefix else "") + weights
    alternatives = [_quoted(lexeme) + mark for lexeme in lexemes]
    return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"


def _phrase(positions: Lexemes, weight: str, prefix: bool) -> str:
    parts: list[str] = []
    previous = positions[0][0]
    for index, (position, lexemes) in enumerate(positions):
        if index:
            distance = position - previous
            parts.append("<->" if distance == 1 else f"<{distance}>")
        parts.append(_operand(lexemes, weight, prefix and index == len(positions) - 1))
        previous = position
    return "(" + " ".join(parts) + ")"


def _term(term: Term, config: int, lexemes: LexemeMap) -> str | None:
    words = index_words(term.text)
    source = SIMPLE if term.prefix else config  # a prefix is of the words as written
    positions = lexemes.get((source, words)) if words else None
    if not positions:
        return None
    unstemmed = term.prefix and config != SIMPLE
    title, body = ("C", "D") if unstemmed else ("A", "B")
    if len(positions) == 1:
        return _operand(positions[0][1], title + body, term.prefix)
    return f"({_phrase(positions, title, term.prefix)} | {_phrase(positions, body, term.prefix)})"


def config_query(text: TextQuery, config: int, lexemes: LexemeMap) -> str | None:
    """The query of ``q`` for the articles of one configuration; ``None`` when ``q`` can match
    none of them."""
    groups: list[str] = []
    for group in text.groups:
        alternatives = [t for term in group if (t := _term(term, config, lexemes)) is not None]
        if not alternatives:
            return None
        groups.append(
            alternatives[0] if len(alternatives) == 1 else f"({' | '.join(alternatives)})"
        )
    excluded = [t for term in text.excluded if (t := _term(term, config, lexemes)) is not None]
    return " & ".join(groups + [f"!{term}" for term in excluded])


def union_query(queries: Iterable[str | None]) -> str | None:
    """Any of the configurations' queries: what the full-text index is asked for (each row is
    then checked against its own configuration's query)."""
    distinct = sorted({query for query in queries if query is not None})
    if not distinct:
        return None
    return distinct[0] if len(distinct) == 1 else " | ".join(f"({q})" for q in distinct)
