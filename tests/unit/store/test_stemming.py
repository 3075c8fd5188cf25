"""Where the two backends may differ, and how: PostgreSQL stems the words of an article in its
language (SQLite's index has no stemmer), so a word also finds its other forms there.

What both must agree on is in the shared suites (``test_reader.py``, ``test_reader_scripts.py``).
Here each query runs on both backends at once: SQLite finds exactly the articles with that word
as written (case and accents aside), PostgreSQL those and the articles with another form of it
in their language — never fewer. Quoted words and phrases, and prefixes, are of the words as
written, alike on both; an article without a stemmer for its language (Japanese here) is
matched as on SQLite.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.store.reader import ArticleReader
from services.store.search import SearchQuery
from tests.unit.store.backends import POSTGRESQL, SQLITE, backend
from tests.unit.store.factory import make_article

ARTICLES = [
    make_article(1, title="Elections in the city", paragraphs=["Voters went out."]),
    make_article(2, title="The runners", paragraphs=["They were running all day."]),
    make_article(
        3, title="Les élections présidentielles", paragraphs=["Un scrutin."], language="fr"
    ),
    make_article(4, title="Die Häuser der Stadt", paragraphs=["Ein Haus."], language="de"),
    make_article(5, title="Election night", paragraphs=["One election."], language="ja"),
    make_article(6, title="Der Lauf", paragraphs=["Sie laufen."], language="de"),
]


@pytest.fixture(scope="module")
async def readers(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[dict[str, ArticleReader]]:
    opened: dict[str, ArticleReader] = {}
    directory: Path = tmp_path_factory.mktemp("stemming")
    async with backend(SQLITE, directory) as sqlite, backend(POSTGRESQL, directory) as postgres:
        for found in (sqlite, postgres):
            async with await found.repository() as repo:
                await repo.save_many(ARTICLES)
            opened[found.name] = await found.reader()
        yield opened
        for reader in opened.values():
            await reader.close()


async def _ids(reader: ArticleReader, q: str) -> set[int]:
    page = await reader.search(SearchQuery(q=q, limit=100))
    return {int(article.id.rsplit("-", 1)[1]) for article in page.items}


@pytest.mark.parametrize(
    ("q", "on_sqlite", "on_postgresql"),
    [
        # The same on both: the words as written.
        ("elections", {1, 3}, {1, 3}),
        ("runn*", {2}, {2}),
        ('"the runners"', {2}, {2}),
        ("élections -scrutin", {1}, {1}),
        ("election", {5}, {5, 1, 3}),  # + English and French "elections"
        ("run", set(), {2}),  # English "running"
        ("häuser", {4}, {4}),
        ("laufen OR haus", {4, 6}, {4, 6}),
        ("lauf", {6}, {6}),  # "Lauf" itself; German's stemmer keeps "laufen" apart
        ('"the runner"', set(), set()),  # a phrase is of the words as written
        ('"elections"', {1, 3}, {1, 3}),  # and so is a quoted word
        ("elections -night", {1, 3}, {1, 3}),  # the Japanese "election" article has no stemmer
        ("president*", {3}, {3}),  # a prefix of the words as written (accents aside)
        ("runner*", {2}, {2}),  # not of their stems (English "runner")
        ("présidentielle", set(), {3}),  # French plural, the same stem
    ],
)
async def test_postgresql_finds_what_sqlite_finds_and_other_forms_of_the_word(
    readers: dict[str, ArticleReader], q: str, on_sqlite: set[int], on_postgresql: set[int]
) -> None:
    found = {name: await _ids(reader, q) for name, reader in readers.items()}
    assert found == {SQLITE: on_sqlite, POSTGRESQL: on_postgresql}
    assert found[SQLITE] <= found[POSTGRESQL]
