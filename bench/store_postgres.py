"""Store benchmark on PostgreSQL: ``PostgresRepository.store_claimed`` beside a bare asyncpg
write of the same rows and index entries, and N store processes beside one.

Run through ``bench/store.py --postgresql postgresql://USER@HOST:PORT/postgres`` (a server where
that user may create databases; each contender gets a fresh database, dropped afterwards).

* repository — ``PostgresRepository.store_claimed(batch)``, as the store consumer calls it:
  builds the rows and the words of the search vector, marks the write in flight for the stream,
  inserts the new articles (their vectors made by the database), their authors and claims;
* bare — the same rows, words, word-pair keys and author keys pre-built outside the timer; per
  batch one transaction with a plain ``executemany`` of the article insert (the same columns
  and the same search vectors, so the same GIN entries) and one of the authors;
* processes — ``python bench/store_postgres.py worker …`` store processes, each writing its own
  share of the articles through its own ``PostgresRepository`` into one database at once;
  articles/s over all of them, 1 process beside N.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.core.models import ProcessedArticle  # noqa: E402
from services.store.fulltext import index_words, word_pairs  # noqa: E402
from services.store.postgres.database import search_configs  # noqa: E402
from services.store.postgres.languages import SIMPLE, stemmer_of  # noqa: E402
from services.store.postgres.repository import PostgresRepository, author_keys  # noqa: E402
from services.store.repository import Position  # noqa: E402
from services.store.rows import ARTICLE_COLUMNS, BODY, TITLE, article_row  # noqa: E402
from services.tools.pgdatabase import create_database, drop_database  # noqa: E402

# The same search vector as the repository's (postgres/repository.py): stemmed title and body,
# the words as written, the configuration's tag, the keys of the word pairs.
_VECTOR = (
    "setweight(to_tsvector(s.config, ${t}), 'A') || setweight(to_tsvector(s.config, ${b}), 'B') "
    "|| CASE WHEN ${cfg}::smallint = 1 THEN ''::tsvector ELSE "
    "setweight(to_tsvector('newsflow_simple', ${t}), 'C') || "
    "setweight(to_tsvector('newsflow_simple', ${b}), 'D') END "
    "|| array_to_tsvector(ARRAY['~' || s.stemmer]) "
    "|| array_to_tsvector(string_to_array(${p}, E'\\t'))"
)
_N = len(ARTICLE_COLUMNS)
BARE_INSERT = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, search_config, search_vector) "
    f"SELECT {', '.join(f'${n}' for n in range(1, _N + 1))}, ${_N + 1}::smallint, "
    + _VECTOR.format(t=_N + 2, b=_N + 3, cfg=_N + 1, p=_N + 4)
    + f" FROM (SELECT config, stemmer FROM search_configs WHERE id = ${_N + 1}) AS s"
)
BARE_AUTHORS = "INSERT INTO article_authors (author_key, article_id) VALUES ($1, $2)"
T = TypeVar("T")


@asynccontextmanager
async def fresh_database(server: str, name: str) -> AsyncIterator[str]:
    """A new database on ``server`` with the store's schema; dropped at the end."""
    url = await create_database(server, name, replace=True)
    await (await PostgresRepository.open(url)).close()  # the schema, before any timer
    try:
        yield url
    finally:
        await drop_database(server, name)


def batches(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


async def repository_rate(articles: Sequence[ProcessedArticle], batch: int, url: str) -> float:
    repo = await PostgresRepository.open(url)
    positions = [Position("bench.deduplicated", 0, n) for n in range(len(articles))]
    started = time.perf_counter()
    for chunk in batches(list(zip(articles, positions, strict=True)), batch):
        await repo.store_claimed(chunk)
    elapsed = time.perf_counter() - started
    await repo.close()
    return len(articles) / elapsed


async def bare_rate(articles: Sequence[ProcessedArticle], batch: int, url: str) -> float:
    conn = await asyncpg.connect(url)
    configs = await search_configs(conn)
    rows, authors = [], []
    for article in articles:  # pre-built, not timed
        row = article_row(article)
        stemmer = stemmer_of(article.language)
        config = configs.get(stemmer, SIMPLE) if stemmer else SIMPLE
        title, body = index_words(str(row[TITLE] or "")), index_words(str(row[BODY] or ""))
        pairs = "\t".join(word_pairs(title) + word_pairs(body))
        rows.append((*row, config, title, body, pairs))
        authors.append([(key, article.id) for key in author_keys(article)])
    started = time.perf_counter()
    for chunk, chunk_authors in zip(batches(rows, batch), batches(authors, batch), strict=True):
        async with conn.transaction():
            await conn.executemany(BARE_INSERT, chunk)
            await conn.executemany(
                BARE_AUTHORS, [pair for pairs in chunk_authors for pair in pairs]
            )
    elapsed = time.perf_counter() - started
    await conn.close()
    return len(articles) / elapsed


def processes_rate(url: str, processes: int, total: int, batch: int) -> float:
    """``processes`` store processes writing ``total`` articles between them at once."""
    share = total // processes
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "worker",
                url,
                str(n * share),
                str(share),
                str(batch),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    for worker in workers:  # each has generated its articles and opened its repository
        assert worker.stdout is not None
        if worker.stdout.readline().strip() != "ready":
            raise RuntimeError("a store worker did not start")
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    spans = []
    for worker in workers:
        out, _ = worker.communicate(timeout=600)
        spans.append(json.loads(out))
        if worker.returncode != 0:
            raise RuntimeError(f"a store worker failed ({worker.returncode})")
    elapsed = float(max(s["end"] for s in spans) - min(s["start"] for s in spans))
    return share * processes / elapsed


async def worker(url: str, first: int, count: int, batch: int) -> None:
    """One store process: its articles generated and its repository opened, then on "go" on
    stdin it writes them and prints when it started and ended (wall clock)."""
    from bench.store import Corpus

    corpus = Corpus(seed=first + 1)
    articles = [corpus.article(n) for n in range(first, first + count)]
    positions = [Position("bench.deduplicated", first, n) for n in range(count)]
    repo = await PostgresRepository.open(url)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    start = time.time()
    for chunk in batches(list(zip(articles, positions, strict=True)), batch):
        await repo.store_claimed(chunk)
    end = time.time()
    await repo.close()
    print(json.dumps({"start": start, "end": end}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="a PostgreSQL store worker (see bench/store.py)")
    parser.add_argument("role", choices=["worker"])
    parser.add_argument("url")
    parser.add_argument("first", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("batch", type=int)
    args = parser.parse_args()
    asyncio.run(worker(args.url, args.first, args.count, args.batch))


if __name__ == "__main__":
    main()
