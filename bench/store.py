"""Store benchmark: articles/s into SQLite (with FTS5) through ``SqliteRepository.store_claimed``;
with ``--postgresql SERVER``, into PostgreSQL instead (``bench/store_postgres.py``).

Run: ``.venv/bin/python bench/store.py [--articles 20000] [--batch 500] [--rounds 2]
[--postgresql postgresql://USER@HOST:PORT/postgres [--processes 2]]``.

Both contenders write the same generated articles (1–3 KB bodies) in batches, one transaction
per batch, into fresh databases with the same schema (same columns, same FTS5 table and
triggers):

* repository — ``SqliteRepository.store_claimed(batch)``, as the store consumer calls it:
  builds the rows (JSON document included), looks up already-stored ids, inserts the new ones
  and their full-text entries, and the claim of each id for the record it came from;
* bare — the same rows and their full-text entries pre-built outside the timer, ``BEGIN;
  executemany(INSERT); executemany(INDEX); COMMIT`` on a plain aiosqlite connection.

The machine is shared and noisy, so rounds alternate and the ratio is taken between the best
round of each, measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import store_postgres  # noqa: E402
from bench.common import Summary, table, write_result  # noqa: E402
from services.core.models import DedupVerdict, ProcessedArticle, Verdict  # noqa: E402
from services.store.repository import Position  # noqa: E402
from services.store.rows import article_row  # noqa: E402
from services.store.sqlite.database import open_database  # noqa: E402
from services.store.sqlite.repository import (  # noqa: E402
    INDEX_ARTICLE,
    INSERT_ARTICLE,
    SqliteRepository,
    index_entries,
    numbered,
)

T = TypeVar("T")
START = datetime(2024, 1, 1, tzinfo=UTC)
SYLLABLES = (
    "ka",
    "ri",
    "to",
    "mu",
    "sen",
    "la",
    "vor",
    "dan",
    "pe",
    "li",
    "or",
    "tha",
    "gre",
    "mon",
    "sta",
    "bel",
    "qui",
    "nor",
    "ast",
    "ver",
    "hal",
    "ed",
    "im",
    "ro",
    "pa",
    "zu",
    "fen",
    "gal",
    "dor",
    "wik",
    "se",
)
LANGUAGES = ("en", "en", "en", "en", "de", "fr", "es")


class Corpus:
    """Deterministic article generator: a Zipf-distributed vocabulary, so that full-text terms
    range from matching almost every article to matching a handful."""

    def __init__(self, seed: int = 7, vocabulary: int = 20_000) -> None:
        self.random = random.Random(seed)
        words: dict[str, None] = {}
        while len(words) < vocabulary:
            parts = self.random.randint(2, 4)
            words["".join(self.random.choice(SYLLABLES) for _ in range(parts))] = None
        self.words = list(words)  # rank order: words[0] is the most frequent
        weights = [1.0 / (rank + 1) for rank in range(vocabulary)]
        total, running, self.cumulative = sum(weights), 0.0, []
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)
        self.sources = [f"outlet{n:02d}.example" for n in range(40)]
        self.authors = [f"{self.word(50)} {self.word(50)}".title() for _ in range(500)]

    def word(self, lowest_rank: int = 0) -> str:
        return self.words[self.random.randrange(lowest_rank, len(self.words))]

    def sentence(self) -> str:
        picked = self.random.choices(self.words, cum_weights=self.cumulative, k=12)
        return " ".join(picked).capitalize() + "."

    def paragraphs(self) -> list[str]:
        target = self.random.randint(1_000, 3_000)
        paragraphs, size = [], 0
        while size < target:
            paragraph = " ".join(self.sentence() for _ in range(self.random.randint(2, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        return paragraphs

    def article(self, n: int) -> ProcessedArticle:
        rnd = self.random
        published = START + timedelta(seconds=rnd.randrange(365 * 86_400))
        dated = rnd.random() > 0.05
        verdict: Verdict = rnd.choices(("unique", "duplicate", "update"), (85, 10, 5))[0]
        earlier = f"gen-{rnd.randrange(n)}" if n and verdict != "unique" else None
        paragraphs = self.paragraphs()
        source = rnd.choices(self.sources, [1 / (i + 1) for i in range(40)])[0]
        return ProcessedArticle(
            id=f"gen-{n}",
            url=f"https://{source}/a/{n}",
            canonical_url=f"https://{source}/a/{n}",
            source=source,
            site_name=source.split(".")[0].title(),
            title=" ".join(self.sentence().split()[:8]),
            authors=rnd.sample(self.authors, rnd.choice((0, 1, 1, 1, 2))),
            published_at=published if dated else None,
            published_at_utc=published if dated else None,
            language=rnd.choice(LANGUAGES),
            paragraphs=paragraphs,
            lead=paragraphs[0],
            word_count=sum(len(p.split()) for p in paragraphs),
            cited_outlets=rnd.sample(self.sources, 2),
            parser_version="bench",
            received_at=published + timedelta(minutes=rnd.randint(1, 120)),
            dedup=DedupVerdict(
                verdict=verdict if earlier else "unique",
                story_id=earlier or f"gen-{n}",
                duplicate_of=earlier if verdict == "duplicate" else None,
                similarity=0.9 if earlier else 0.0,
                method="near_content" if earlier else "none",
            ),
            stored_at=published + timedelta(minutes=rnd.randint(2, 180)),
        )

    def articles(self, count: int) -> list[ProcessedArticle]:
        return [self.article(n) for n in range(count)]


def batches(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


async def repository_rate(articles: Sequence[ProcessedArticle], batch: int, db: Path) -> float:
    repo = await SqliteRepository.open(db)
    started = time.perf_counter()
    positions = [Position("bench.deduplicated", 0, n) for n in range(len(articles))]
    for chunk in batches(list(zip(articles, positions, strict=True)), batch):
        await repo.store_claimed(chunk)
    elapsed = time.perf_counter() - started
    await repo.close()
    return len(articles) / elapsed


async def bare_rate(articles: Sequence[ProcessedArticle], batch: int, db: Path) -> float:
    conn = await open_database(db)  # the same schema, FTS table and triggers
    # pre-built, not timed: the rows, numbered from 1 (a fresh database), and their index entries
    # (the corpus has no text of the scripts segmented for the index: no indexed_text rows)
    rows = numbered([article_row(article) for article in articles], 1)
    entries = index_entries(rows).entries
    started = time.perf_counter()
    for chunk, chunk_entries in zip(batches(rows, batch), batches(entries, batch), strict=True):
        await conn.execute("BEGIN IMMEDIATE")
        await conn.executemany(INSERT_ARTICLE, chunk)
        await conn.executemany(INDEX_ARTICLE, chunk_entries)
        await conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    await conn.close()
    return len(articles) / elapsed


async def run(count: int, batch: int, rounds: int) -> dict[str, Summary]:
    started = time.perf_counter()
    articles = Corpus().articles(count)
    body = sum(len(a.body) for a in articles) / count
    print(
        f"generated {count:,} articles (mean body {body:,.0f} chars) in "
        f"{time.perf_counter() - started:.1f}s; batches of {batch}, {rounds} rounds"
    )
    rates: dict[str, list[float]] = {"repository": [], "bare": []}
    with tempfile.TemporaryDirectory(prefix="newsflow-bench-store-") as tmp:
        for n in range(rounds):
            rates["bare"].append(await bare_rate(articles, batch, Path(tmp, f"bare{n}.db")))
            rates["repository"].append(
                await repository_rate(articles, batch, Path(tmp, f"repo{n}.db"))
            )
            print(
                f"round {n + 1}: bare {rates['bare'][-1]:,.0f}/s, "
                f"repository {rates['repository'][-1]:,.0f}/s"
            )
    return {name: Summary(tuple(values)) for name, values in rates.items()}


async def run_postgresql(
    server: str, count: int, batch: int, rounds: int, processes: int
) -> dict[str, Summary]:
    """The PostgreSQL contenders (``bench/store_postgres.py``), each into a fresh database."""
    started = time.perf_counter()
    articles = Corpus().articles(count)
    print(f"generated {count:,} articles in {time.perf_counter() - started:.1f}s; {rounds} rounds")
    rates: dict[str, list[float]] = {"repository": [], "bare": [], "one": [], "many": []}
    for n in range(rounds):
        async with store_postgres.fresh_database(server, "bench_store_bare") as url:
            rates["bare"].append(await store_postgres.bare_rate(articles, batch, url))
        async with store_postgres.fresh_database(server, "bench_store_repo") as url:
            rates["repository"].append(await store_postgres.repository_rate(articles, batch, url))
        for key, workers in (("one", 1), ("many", processes)):
            async with store_postgres.fresh_database(server, f"bench_store_{key}") as url:
                rate = await asyncio.to_thread(
                    store_postgres.processes_rate, url, workers, count, batch
                )
                rates[key].append(rate)
        print(
            f"round {n + 1}: bare {rates['bare'][-1]:,.0f}/s, "
            f"repository {rates['repository'][-1]:,.0f}/s, 1 process {rates['one'][-1]:,.0f}/s, "
            f"{processes} processes {rates['many'][-1]:,.0f}/s"
        )
    return {name: Summary(tuple(values)) for name, values in rates.items()}


def report_postgresql(args: argparse.Namespace, result: dict[str, Summary]) -> None:
    repo, bare, one, many = (result[k] for k in ("repository", "bare", "one", "many"))
    ratio, scale = repo.best / bare.best, many.best / one.best
    print()
    print(
        table(
            ["writer", "best articles/s", "median articles/s", "× baseline (best)"],
            [
                ["PostgresRepository.store_claimed", repo.best, repo.median, ratio],
                ["bare asyncpg executemany", bare.best, bare.median, 1.0],
                [f"{args.processes} store processes", many.best, many.median, scale],
                ["1 store process", one.best, one.median, 1.0],
            ],
        )
    )
    print()
    print(
        f"goals: >= 0.6x bare: {'met' if ratio >= 0.6 else 'NOT met'} ({ratio:.2f}x); "
        f"{args.processes} processes >= 1.6x one: {'met' if scale >= 1.6 else 'NOT met'} "
        f"({scale:.2f}x)"
    )
    data = {"articles": args.articles, "batch": args.batch, "processes": args.processes}
    data |= {name: summary.as_dict() for name, summary in result.items()}
    path = write_result("store-postgresql", data | {"ratio_best": ratio, "scaling_best": scale})
    print(f"results: {path.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--postgresql", metavar="SERVER_URL", help="a PostgreSQL server to bench instead"
    )
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    if args.postgresql:
        pg = run_postgresql(args.postgresql, args.articles, args.batch, args.rounds, args.processes)
        report_postgresql(args, asyncio.run(pg))
        return
    result = asyncio.run(run(args.articles, args.batch, args.rounds))
    repo, bare = result["repository"], result["bare"]
    ratio = repo.best / bare.best
    print()
    print(
        table(
            ["writer", "best articles/s", "median articles/s", "× bare (best)"],
            [
                ["ArticleRepository.store_claimed", repo.best, repo.median, ratio],
                ["bare aiosqlite executemany", bare.best, bare.median, 1.0],
            ],
        )
    )
    print()
    print(
        f"goals: >= 0.6x bare: {'met' if ratio >= 0.6 else 'NOT met'} ({ratio:.2f}x); "
        f">= 2,000 articles/s: {'met' if repo.best >= 2000 else 'NOT met'} ({repo.best:,.0f})"
    )
    path = write_result(
        "store",
        {
            "articles": args.articles,
            "batch": args.batch,
            "repository": repo.as_dict(),
            "bare": bare.as_dict(),
            "ratio_best": ratio,
        },
    )
    print(f"results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
