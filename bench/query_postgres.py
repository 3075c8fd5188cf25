"""Query benchmark on PostgreSQL: the database it searches, built once and reused, and the
baseline beside it. Run through ``bench/query.py --postgresql SERVER_URL``.

The database ``bench_query_<N>`` on that server holds the corpus of ``bench/query.py``,
written through ``PostgresRepository.save_many`` by ``--build-processes`` store processes at
once (``python bench/query_postgres.py build …``, each its own share of the ids). The rows are
the store's own (its code writes them), but the load is made fast as a bulk load is: the
secondary indexes (all but those of a constraint: the search index, the date, source,
language, story, count and quotation indexes) are dropped first and created again afterwards
from their own definitions (read back from the catalogue), then the database is ``VACUUM
ANALYZE``d — one GIN build instead of a million row-by-row updates. The baseline is
``SELECT … ORDER BY seq LIMIT 20`` by primary key on a plain asyncpg connection.
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


async def recreate(server: str, name: str) -> str:
    url = await create_database(server, name, replace=True)
    await (await PostgresRepository.open(url)).close()
    return url


# The indexes a bulk load does without: every index of the store's tables but those of a
# constraint (primary keys, unique columns), which the writes themselves rely on.
_SECONDARY = (
    "SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text FROM pg_index AS i "
    "JOIN pg_class AS t ON t.oid = i.indrelid JOIN pg_namespace AS n ON n.oid = t.relnamespace "
    "WHERE n.nspname = current_schema() AND t.relkind = 'r' "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid) "
    "ORDER BY i.indexrelid"
)
BUILD_MEMORY = "1GB"  # maintenance_work_mem of the session creating the indexes


async def drop_secondary_indexes(url: str) -> list[str]:
    """Drop the secondary indexes; their definitions, to create them again."""
    conn = await asyncpg.connect(url)
    try:
        found = [(str(r[0]), str(r[1])) for r in await conn.fetch(_SECONDARY)]
        for _, name in found:
            await conn.execute(f"DROP INDEX {name}")
        return [definition for definition, _ in found]
    finally:
        await conn.close()


async def create_indexes(url: str, definitions: list[str]) -> None:
    """Create the indexes again, then ``VACUUM ANALYZE``."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
        for definition in definitions:
            await conn.execute(definition)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def build(server: str, count: int, processes: int, name: str | None = None) -> float:
    """Generate and store ``count`` articles with ``processes`` writers into database ``name``
    (the bench's by default); the seconds it took."""
    started = time.perf_counter()
    url = asyncio.run(recreate(server, name or database_name(count)))
    definitions = asyncio.run(drop_secondary_indexes(url))
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
    loaded = time.perf_counter()
    print(f"  loaded in {loaded - started:.0f}s; creating the indexes …", flush=True)
    asyncio.run(create_indexes(url, definitions))
    print(f"  indexed in {time.perf_counter() - loaded:.0f}s", flush=True)
    return time.perf_counter() - started


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
