"""Query benchmark: ``ArticleReader.search`` latency at 100k stored articles (SQLite), or at
1M on PostgreSQL with ``--postgresql SERVER_URL`` (``bench/query_postgres.py``).

Run: ``.venv/bin/python bench/query.py [--articles 100000] [--rebuild]
[--postgresql postgresql://USER@HOST:PORT/postgres [--build-processes 2]]``.

The database is generated once into ``bench/results/query-<N>.db`` (gitignored) with the store
benchmark's corpus — a Zipf vocabulary, so full-text terms range from matching most articles to
matching a few — and reused by later runs. Then ~200 mixed searches run in random order through
``ArticleReader`` (validation, SQL, JSON documents parsed into models): common / medium / rare
terms, phrases, filters only, terms with filters, and deep pagination (pages 2–10 by cursor).
The baseline, from the same run on the same file: a bare ``SELECT … ORDER BY seq LIMIT 20``
by primary key on a plain aiosqlite connection (asyncpg on PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import query_postgres  # noqa: E402
from bench.common import RESULTS_DIR, table, write_result  # noqa: E402
from bench.store import START, Corpus  # noqa: E402
from services.core.models import ProcessedArticle  # noqa: E402
from services.store.postgres.reader import PostgresReader  # noqa: E402
from services.store.reader import ArticleReader  # noqa: E402
from services.store.search import SearchQuery  # noqa: E402
from services.store.sqlite.database import open_readonly  # noqa: E402
from services.store.sqlite.reader import SqliteReader  # noqa: E402
from services.store.sqlite.repository import SqliteRepository  # noqa: E402

Timed = Callable[[], Awaitable[object]]
CHUNK = 2_000


async def stored(path: Path) -> int:
    await (await SqliteRepository.open(path)).close()  # brings an older file's schema up to date
    async with await SqliteReader.open(path) as reader:
        return (await reader.counts()).total


async def build(path: Path, count: int, corpus: Corpus) -> float:
    """Generate and store ``count`` articles; returns the seconds it took."""
    started = time.perf_counter()
    async with await SqliteRepository.open(path) as repo:
        for first in range(0, count, CHUNK):
            chunk = [corpus.article(n) for n in range(first, min(first + CHUNK, count))]
            await repo.save_many(chunk)
    return time.perf_counter() - started


def prepare(path: Path, count: int, corpus: Corpus, rebuild: bool) -> None:
    """Build the database once; later runs reuse it when it holds ``count`` articles."""
    if path.exists() and not rebuild and asyncio.run(stored(path)) == count:
        print(f"reusing {path.relative_to(ROOT)} ({count:,} articles)")
        return
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    seconds = asyncio.run(build(path, count, corpus))
    size = path.stat().st_size / 2**20
    print(f"built {path.relative_to(ROOT)}: {count:,} articles in {seconds:.0f}s, {size:,.0f} MiB")


def corpus_article(seed: int) -> Callable[[int], ProcessedArticle]:
    """Articles of the bench's corpus (its vocabulary, sources and authors), their texts drawn
    from ``seed``: a build process writes its own share of the ids from its own seed."""
    corpus = Corpus(seed=11)
    corpus.random = random.Random(seed)
    return corpus.article


def plans(corpus: Corpus, rnd: random.Random, phrases: list[str]) -> dict[str, list[SearchQuery]]:
    """The mixed query set, per kind (25 each)."""
    words = corpus.words
    day = timedelta(days=1)

    def filters() -> dict[str, object]:
        pick = rnd.choice(("source", "language", "author", "window", "source+window"))
        found: dict[str, object] = {}
        if "source" in pick:
            found["source"] = rnd.choice(corpus.sources)
        if pick == "language":
            found["language"] = rnd.choice(("de", "fr", "es", "en"))
        if pick == "author":
            found["author"] = rnd.choice(corpus.authors)
        if "window" in pick:
            since = START + rnd.randrange(330) * day
            found.update(since=since, until=since + 30 * day)
        return found

    kinds: dict[str, Callable[[], SearchQuery]] = {
        "fts common term": lambda: SearchQuery(q=words[rnd.randrange(3, 30)]),
        "fts medium term": lambda: SearchQuery(q=words[rnd.randrange(200, 2_000)]),
        "fts rare term": lambda: SearchQuery(q=words[rnd.randrange(5_000, 20_000)]),
        "fts two terms": lambda: SearchQuery(
            q=f"{words[rnd.randrange(10, 500)]} {words[rnd.randrange(10, 500)]}"
        ),
        "fts phrase": lambda: SearchQuery(q=f'"{rnd.choice(phrases)}"'),
        "filters only": lambda: SearchQuery(**filters()),  # type: ignore[arg-type]
        "fts + filters": lambda: SearchQuery(
            q=words[rnd.randrange(3, 2_000)],
            **filters(),  # type: ignore[arg-type]
        ),
    }
    return {kind: [make() for _ in range(25)] for kind, make in kinds.items()}


async def sample_phrases(reader: ArticleReader, count: int, rnd: random.Random) -> list[str]:
    phrases = []
    for _ in range(40):
        article = await reader.get(f"gen-{rnd.randrange(count)}")
        if article is not None:
            tokens = article.paragraphs[0].rstrip(".").split()
            at = rnd.randrange(len(tokens) - 2)
            phrases.append(" ".join(tokens[at : at + 3]).lower())
    return phrases


async def timed(action: Timed) -> float:
    started = time.perf_counter()
    await action()
    return (time.perf_counter() - started) * 1_000


async def deep_pages(reader: ArticleReader, first: SearchQuery) -> list[float]:
    """Latency of pages 2–10 of one search, each fetched by the previous page's cursor."""
    latencies: list[float] = []
    page = await reader.search(first)
    for _ in range(9):
        if page.next_cursor is None:
            break
        query = SearchQuery(
            q=first.q, source=first.source, language=first.language, cursor=page.next_cursor
        )
        started = time.perf_counter()
        page = await reader.search(query)
        latencies.append((time.perf_counter() - started) * 1_000)
    return latencies


def percentiles(values: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


async def searches(reader: ArticleReader, count: int, corpus: Corpus) -> dict[str, list[float]]:
    """The mixed searches' latencies in ms, per kind, deep pages included."""
    rnd = random.Random(3)
    latencies: dict[str, list[float]] = {}
    phrases = await sample_phrases(reader, count, rnd)
    jobs = [(kind, q) for kind, qs in plans(corpus, rnd, phrases).items() for q in qs]
    rnd.shuffle(jobs)
    for _kind, query in jobs[:20]:  # warm the page cache
        await reader.search(query)
    for kind, query in jobs:
        latencies.setdefault(kind, []).append(await timed(partial(reader.search, query)))
    deep = latencies.setdefault("deep page (2-10)", [])
    for n in range(6):
        q = corpus.words[rnd.randrange(3, 60)] if n % 2 else None
        deep += await deep_pages(reader, SearchQuery(q=q, limit=20))
    return latencies


async def measure(path: Path, count: int, corpus: Corpus) -> dict[str, list[float]]:
    async with await SqliteReader.open(path) as reader:
        latencies = await searches(reader, count, corpus)
    rnd = random.Random(5)
    conn = await open_readonly(path)
    base = latencies.setdefault("baseline: PK LIMIT 20", [])
    sql = "SELECT seq, id, doc FROM articles WHERE seq > ? ORDER BY seq LIMIT 20"
    for _ in range(100):
        start = rnd.randrange(count)
        base.append(await timed(partial(conn.execute_fetchall, sql, (start,))))
    await conn.close()
    return latencies


async def measure_postgresql(server: str, count: int, corpus: Corpus) -> dict[str, list[float]]:
    url = query_postgres.database_url(server, count)
    async with await PostgresReader.open(url) as reader:
        latencies = await searches(reader, count, corpus)
    latencies["baseline: PK LIMIT 20"] = await query_postgres.baseline(url, count, random.Random(5))
    return latencies


def prepare_postgresql(args: argparse.Namespace) -> None:
    """Build the PostgreSQL database once; later runs reuse it when it holds the articles."""
    found = asyncio.run(query_postgres.stored(args.postgresql, args.articles))
    if found == args.articles and not args.rebuild:
        print(f"reusing bench_query_{args.articles} ({args.articles:,} articles)")
        return
    seconds = query_postgres.build(args.postgresql, args.articles, args.build_processes)
    print(f"built bench_query_{args.articles}: {args.articles:,} articles in {seconds:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--postgresql", metavar="SERVER_URL", help="a PostgreSQL server to bench instead"
    )
    parser.add_argument("--build-processes", type=int, default=2)
    args = parser.parse_args()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(seed=11)
    if args.postgresql:
        prepare_postgresql(args)
        latencies = asyncio.run(measure_postgresql(args.postgresql, args.articles, corpus))
    else:
        path = RESULTS_DIR / f"query-{args.articles}.db"
        prepare(path, args.articles, corpus, args.rebuild)
        latencies = asyncio.run(measure(path, args.articles, corpus))
    rows, searches = [], []
    for kind, values in latencies.items():
        p50, p95, p99 = percentiles(values)
        rows.append([kind, len(values), p50, p95, p99])
        if not kind.startswith("baseline"):
            searches += values
    p50, p95, p99 = percentiles(searches)
    rows.append(["all searches", len(searches), p50, p95, p99])
    base_p50 = percentiles(latencies["baseline: PK LIMIT 20"])[0]
    print()
    print(table(["query kind (ms)", "n", "p50", "p95", "p99"], rows))
    print()
    print(f"all searches p50 = {p50 / base_p50:.1f}x the baseline p50 ({base_p50:.2f} ms)")
    print(f"goal: p95 <= 50 ms: {'met' if p95 <= 50 else 'NOT met'} ({p95:.1f} ms)")
    summary = {
        kind: dict(zip(("p50", "p95", "p99"), percentiles(v), strict=True))
        for kind, v in latencies.items()
    }
    name = "query-postgresql" if args.postgresql else "query"
    result = write_result(name, {"articles": args.articles, "latency_ms": summary})
    print(f"results: {result.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
