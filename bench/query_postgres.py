"""Query benchmark on PostgreSQL: the database it searches, built once and reused, and the
baseline beside it. Run through ``bench/query.py --postgresql SERVER_URL``.

The database ``bench_query_<N>`` on that server holds the corpus of ``bench/query.py``,
written through ``PostgresRepository.save_many`` by ``--build-processes`` store processes at
once (``python bench/query_postgres.py build …``, each its own share of the ids), then
``VACUUM ANALYZE``d. The baseline is ``SELECT … ORDER BY seq LIMIT 20`` by primary key on a
plain asyncpg connection.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.store.postgres.reader import PostgresReader  # noqa: E402
from services.store.postgres.repository import PostgresRepository  # noqa: E402
from services.tools.pgdatabase import create_database, exists, with_database  # noqa: E402

CHUNK = 2_000


def database_name(count: int) -> str:
    return f"bench_query_{count}"


def database_url(server: str, count: int) -> str:
    return with_database(server, database_name(count))


async def stored(server: str, count: int) -> int:
    """How many articles the bench's database holds (-1: no such database)."""
    if not await exists(server, database_name(count)):
        return -1
    url = database_url(server, count)
    await (await PostgresRepository.open(url)).close()  # brings an older schema up to date
    async with await PostgresReader.open(url) as reader:
        return (await reader.counts()).total


async def recreate(server: str, count: int) -> str:
    url = await create_database(server, database_name(count), replace=True)
    await (await PostgresRepository.open(url)).close()
    return url


def build(server: str, count: int, processes: int) -> float:
    """Generate and store ``count`` articles with ``processes`` writers; the seconds it took."""
    started = time.perf_counter()
    url = asyncio.run(recreate(server, count))
    share = -(-count // processes)
    workers = [
        subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "build", url, str(first), str(share)]
        )
        for first in range(0, count, share)
    ]
    codes = [worker.wait() for worker in workers]
    if any(codes):
        raise RuntimeError(f"a build process failed: {codes}")
    asyncio.run(_vacuum(url))
    return time.perf_counter() - started


async def _vacuum(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def write_share(url: str, first: int, count: int, corpus: Callable[[int], object]) -> None:
    """One build process: articles ``first`` … ``first + count - 1``, in chunks."""
    async with await PostgresRepository.open(url) as repo:
        for start in range(first, first + count, CHUNK):
            chunk = [corpus(n) for n in range(start, min(start + CHUNK, first + count))]
            await repo.save_many(chunk)  # type: ignore[arg-type]
            if start % 50_000 == 0:
                print(f"  {start:,} …", flush=True)


async def baseline(url: str, count: int, rnd: random.Random) -> list[float]:
    """``ORDER BY seq LIMIT 20`` from a random position, by primary key: latencies in ms."""
    conn = await asyncpg.connect(url)
    sql = "SELECT seq, id, doc FROM articles WHERE seq > $1 ORDER BY seq LIMIT 20"
    latencies = []
    try:
        for _ in range(100):
            start = time.perf_counter()
            await conn.fetch(sql, rnd.randrange(count))
            latencies.append((time.perf_counter() - start) * 1_000)
    finally:
        await conn.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description="a build process of bench/query.py")
    parser.add_argument("role", choices=["build"])
    parser.add_argument("url")
    parser.add_argument("first", type=int)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    from bench.query import corpus_article

    asyncio.run(write_share(args.url, args.first, args.count, corpus_article(args.first)))


if __name__ == "__main__":
    main()
