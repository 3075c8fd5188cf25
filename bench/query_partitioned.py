"""Spike (issue #20), the query side: what searching costs when ``articles`` is hash-partitioned
on ``id`` (``bench/store_partitioned.py``) beside the table as it is, on the same articles.

The partitioned database is a copy of ``bench/query.py``'s ``bench_query_<N>`` (build that
first: ``bench/query.py --postgresql SERVER --articles N``), converted by
:func:`bench.store_partitioned.partition_articles`. The searches are ``bench/query.py``'s (same
seeds) plus the newest page without filters. The reader's choice between the GIN index's
matches and the newest-first walk reads an estimate whose plan shape a partitioned table
changes (``postgres/query.py``, ``ESTIMATE``), so both ways are measured for every search with
``q``, server-side (planning + execution from ``EXPLAIN ANALYZE``, best of two, the two
databases taking turns), and the better of the two is reported per search, as the reader
would get with a right choice.

Run: ``.venv/bin/python bench/query_partitioned.py SERVER_URL [--articles 30000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import query_postgres  # noqa: E402
from bench.common import write_result  # noqa: E402
from bench.query import plans, sample_phrases  # noqa: E402
from bench.store import Corpus  # noqa: E402
from bench.store_partitioned import partition_articles  # noqa: E402
from services.store.postgres.query import search_statement  # noqa: E402
from services.store.postgres.reader import PostgresReader  # noqa: E402
from services.store.search import SearchQuery  # noqa: E402
from services.tools.pgdatabase import exists, with_database  # noqa: E402

LAYOUTS = ("plain", "partitioned")


async def copy_partitioned(server: str, count: int, partitions: int) -> str:
    """The partitioned copy of the bench's database of ``count`` articles, made once."""
    name = f"{query_postgres.database_name(count)}_parts"
    if not await exists(server, name):
        started = time.perf_counter()
        conn = await asyncpg.connect(server)
        try:
            await conn.execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{query_postgres.database_name(count)}"'
            )
        finally:
            await conn.close()
        await partition_articles(with_database(server, name), partitions)
        print(f"partitioned copy made in {time.perf_counter() - started:.0f}s", flush=True)
    return with_database(server, name)


async def server_ms(conn: asyncpg.Connection, sql: str, params: list[Any]) -> float:
    """Planning + execution of one statement, in ms, by ``EXPLAIN ANALYZE``."""
    plan = json.loads(await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", *params))
    return float(plan[0]["Planning Time"]) + float(plan[0]["Execution Time"])


async def ways(conn: asyncpg.Connection, query: SearchQuery, text: str | None) -> list[float]:
    """Each way of answering ``query`` (the walk; with ``q`` also the matches first), best of
    two, in ms."""
    found = []
    for matches_first in (False, True) if text is not None else (False,):
        statement = search_statement(query, text, matches_first=matches_first)
        runs = [await server_ms(conn, statement.sql, statement.params) for _ in range(2)]
        found.append(min(runs))
    return found


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    plain_url = query_postgres.database_url(args.server, args.articles)
    parts_url = await copy_partitioned(args.server, args.articles, args.partitions)
    corpus = Corpus(seed=11)
    rnd = random.Random(3)
    async with await PostgresReader.open(plain_url) as reader:
        phrases = await sample_phrases(reader, args.articles, rnd)
        jobs = [(kind, q) for kind, qs in plans(corpus, rnd, phrases).items() for q in qs]
        jobs += [("newest, no filter", SearchQuery()) for _ in range(5)]
        # q as a tsquery depends on the configurations in use only: the same in both databases
        texts = [await reader._full_text(q.text) if q.text is not None else None for _, q in jobs]
    conns = {
        "plain": await asyncpg.connect(plain_url),
        "partitioned": await asyncpg.connect(parts_url),
    }
    try:
        for (_, query), text in list(zip(jobs, texts, strict=True))[:20]:  # warm the caches
            for conn in conns.values():
                await ways(conn, query, text)
        measured: dict[str, dict[str, list[list[float]]]] = {layout: {} for layout in LAYOUTS}
        for (kind, query), text in zip(jobs, texts, strict=True):
            if query.text is not None and text is None:
                continue  # no article can match: the reader answers without the database
            for layout in LAYOUTS:
                found = await ways(conns[layout], query, text)
                measured[layout].setdefault(kind, []).append(found)
    finally:
        for conn in conns.values():
            await conn.close()
    summary: dict[str, Any] = {}
    every: dict[str, list[float]] = {layout: [] for layout in LAYOUTS}
    print(f"{'searches':20} {'plain p50/p95 ms':>18} {'partitioned p50/p95 ms':>24}   (better way)")
    for kind in measured["plain"]:
        row = {}
        for layout in LAYOUTS:
            best = [min(found) for found in measured[layout][kind]]
            every[layout] += best
            row[layout] = {"p50": statistics.median(best), "p95": percentile(best, 0.95)}
        summary[kind] = row
        print(f"{kind:20} {row['plain']['p50']:8.1f} {row['plain']['p95']:8.1f} "
              f"{row['partitioned']['p50']:12.1f} {row['partitioned']['p95']:10.1f}")  # fmt: skip
    total = {
        layout: {"p50": statistics.median(v), "p95": percentile(v, 0.95)}
        for layout, v in every.items()
    }
    summary["all"] = total
    print(f"{'all':20} {total['plain']['p50']:8.1f} {total['plain']['p95']:8.1f} "
          f"{total['partitioned']['p50']:12.1f} {total['partitioned']['p95']:10.1f}")  # fmt: skip
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("server", help="postgresql://USER@HOST:PORT/postgres (may CREATE DATABASE)")
    parser.add_argument("--articles", type=int, default=30_000)
    parser.add_argument("--partitions", type=int, default=2)
    args = parser.parse_args()
    summary = asyncio.run(bench(args))
    data = {"articles": args.articles, "partitions": args.partitions} | summary
    print(f"results: {write_result('query-partitioned-spike', data).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
