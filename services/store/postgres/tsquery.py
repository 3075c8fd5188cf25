"""``q`` as one PostgreSQL full-text query over the articles of every language.

Pure. An article's ``search_vector`` holds its title and body stemmed by its language's
configuration (weights A and B), for a stemmed language the same words as written (C and D),
each two words side by side as one key (``+climate summit``), and a tag of its configuration
(``~english``); see ``postgres/schema.py``. ``q`` becomes a query per configuration, from the
lexemes that configuration makes of each term's words (looked up by the reader), and the query
asked of the index is "this configuration's query and its tag", for each configuration in use —
so an article is matched by its own language's reading of ``q``, and the GIN index finds the
candidates of every term:

* a word matches its stem (``'elect'``): ``elections`` finds ``election`` in an English article,
  as SQLite, which has no stemming, would not — a word finds at least what SQLite finds, and the
  forms of that word in its language;
* a quoted word or a phrase matches its words as written, as on SQLite (``"climate summit"``:
  the key ``'+climate summit'``, then the two words side by side within the title or within the
  body, never across the two: ``('climate':C <-> 'summit':C) | ('climate':D <-> 'summit':D)``);
* a prefix (``clim*``, ``"climate sum"*``) is of the words as written (a stem may be shorter
  than the prefix typed: ``running`` → ``run`` for ``runn*``);
* ``OR``, ``-word`` and the groups keep their meaning (``&``, ``|``, ``!``).

A word's stem is not told which layer to look in: where a stem happens to equal another word as
written, it may find a little more, never less. A term whose words make no lexeme (only
characters no configuration keeps) matches nothing: a wanted one empties its group, an excluded
one excludes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from services.store.fulltext import index_words, word_pairs
from services.store.postgres.languages import SIMPLE
from services.store.search import Term, TextQuery

# A term's lexemes: per position (1, 2, …) of its words, the lexemes there (usually one).
Lexemes = tuple[tuple[int, tuple[str, ...]], ...]
LexemeMap = Mapping[tuple[int, str], Lexemes]  # (configuration id, words) → lexemes


def config_tag(stemmer: str) -> str:
    """The lexeme that marks the articles of a configuration (never one a word can make)."""
    return f"~{stemmer}"


def term_words(text: TextQuery) -> list[str]:
    """The distinct words of every term of ``q`` (as :func:`index_words` gives them), for the
    lexeme lookup."""
    terms = [term for group in text.groups for term in group] + list(text.excluded)
    return sorted({words for term in terms if (words := index_words(term.text))})


def quoted(lexeme: str) -> str:
    """A lexeme as tsquery text."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _operand(lexemes: tuple[str, ...], mark: str) -> str:
    alternatives = [quoted(lexeme) + mark for lexeme in lexemes]
    return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"


def _phrase(positions: Lexemes, weight: str, prefix: bool) -> str:
    parts: list[str] = []
    previous = positions[0][0]
    for index, (position, lexemes) in enumerate(positions):
        if index:
            distance = position - previous
            parts.append("<->" if distance == 1 else f"<{distance}>")
        last = prefix and index == len(positions) - 1
        parts.append(_operand(lexemes, ":" + ("*" if last else "") + weight))
        previous = position
    return "(" + " ".join(parts) + ")"


def _term(term: Term, config: int, lexemes: LexemeMap) -> str | None:
    words = index_words(term.text)
    exact = term.quoted or term.prefix or " " in words  # the words as written
    positions = lexemes.get((SIMPLE if exact else config, words)) if words else None
    if not positions:
        return None
    if len(positions) == 1:
        return _operand(positions[0][1], ":*" if term.prefix else "")
    written = exact and config != SIMPLE  # the words as written are C and D where stemmed
    title, body = ("C", "D") if written else ("A", "B")
    side_by_side = (
        f"({_phrase(positions, title, term.prefix)} | {_phrase(positions, body, term.prefix)})"
    )
    pairs = word_pairs(words)[: -1 if term.prefix else None]  # a prefix's pair is not known
    return "(" + " & ".join([*map(quoted, pairs), side_by_side]) + ")" if pairs else side_by_side


def config_query(text: TextQuery, config: int, lexemes: LexemeMap) -> str | None:
    """The query of ``q`` for the articles of one configuration; ``None`` when ``q`` can match
    none of them."""
    groups: list[str] = []
    for group in text.groups:
        alternatives = [t for term in group if (t := _term(term, config, lexemes)) is not None]
        if not alternatives:
            return None
        either = " | ".join(alternatives)
        groups.append(alternatives[0] if len(alternatives) == 1 else f"({either})")
    excluded = [t for term in text.excluded if (t := _term(term, config, lexemes)) is not None]
    return " & ".join(groups + [f"!{term}" for term in excluded])


def index_query(queries: Mapping[str, str | None]) -> str | None:
    """The one query asked of the index: each configuration's query (by its tag) with its tag,
    configurations reading ``q`` alike grouped; ``None`` when none can match. ``queries`` holds
    every configuration in use: when all read ``q`` alike, no tag is needed."""
    tags: dict[str, list[str]] = {}
    for tag, query in sorted(queries.items()):
        if query is not None:
            tags.setdefault(query, []).append(tag)
    if len(tags) == 1 and len(next(iter(tags.values()))) == len(queries):
        return next(iter(tags))  # every article of every language: the tags add nothing
    parts = []
    for query, same in sorted(tags.items()):
        marks = [quoted(tag) for tag in same]
        either = marks[0] if len(marks) == 1 else "(" + " | ".join(marks) + ")"
        parts.append(f"({query}) & {either}")
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else " | ".join(f"({part})" for part in parts)
