"""Spike (issue #20): do two store processes scale better when each writes its own search index?

Two store processes on one database reach 1.2–1.4× one, because about half of a write's server
CPU is the merge of the search index's pending list and one session at a time can merge one
index (``docs/postgresql.md``, "Several writers"). Here ``articles`` is hash-partitioned on
``id`` into ``--partitions`` tables, each with its own copy of every index and so its own GIN
pending list; each writer is given the articles of its own partitions (as a store process
owning a set of Kafka partitions would be, were the table partitioned on the Kafka partition of
the id) and merges only its partitions' pending lists. The store's SQL is unchanged: the
primary key stays ``id`` (the partition key), so ``ON CONFLICT (id)``, lookups by id and the
foreign keys of the authors and quotations keep working; only ``seq`` loses its uniqueness
(a unique index must include the partition key), which the sequence guarantees anyway.

Rounds alternate the contenders, each into a fresh database: for each of ``--layouts``
(:data:`LAYOUTS`; the schema as it is, and the partitioned one by default) 1 writer and N
writers. Each run reports articles/s (over all writers, first start to last end), the server's
CPU per article (every process of the server: backends, WAL writer, checkpointer, autovacuum),
the writers' own CPU per article, each writer's time on a CPU and ready but waiting for one
(``/proc/PID/schedstat`` of it and its sessions), and what the store sessions were doing
(:data:`SAMPLE`). Findings: ``docs/postgresql.md``, "Spike: one search index per writer".

Run: ``.venv/bin/python bench/store_partitioned.py postgresql://USER@HOST:PORT/postgres
[--articles 6000] [--rounds 3] [--processes 2] [--partitions 2] [--layouts plain,partitioned]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import CLOCK_TICKS, write_result  # noqa: E402
from bench.store_postgres import batches, fresh_database  # noqa: E402
from services.store.postgres.repository import SEARCH_INDEX, PostgresRepository  # noqa: E402
from services.store.postgres.schema import SEARCH_STATISTICS  # noqa: E402
from services.store.repository import Position  # noqa: E402

# plain: the schema as it is. partitioned: each writer's articles in its own partitions, whose
# pending lists it merges. mixed: partitioned too, but each writer's articles in every partition
# (no writer owns a partition, as when the Kafka partitions do not follow the table's), each
# merging every partition's list after its writes, all in the same order, so that two merges
# can run at once on different partitions.
LAYOUTS = ("plain", "partitioned", "mixed")
# The tables whose foreign keys point at articles: dropped with the plain table, made again.
REFERENCING = ("article_authors", "article_quotes")


async def partition_articles(url: str, partitions: int) -> None:
    """Make ``articles`` of the migrated database ``url`` a table hash-partitioned on ``id``,
    its rows (if any) copied: the same columns, indexes (by name, on the parent; each partition
    gets its own), counting triggers and foreign keys; ``seq``'s unique index becomes a plain
    one. The indexes are made once the rows are in (one build each, as a bulk load does)."""
    conn = await asyncpg.connect(url)
    try:
        # Read before the rename: the definitions name the table "articles", the new one.
        indexes = await conn.fetch(
            "SELECT pg_get_indexdef(x.indexrelid) AS definition, x.indisprimary "
            "FROM pg_index AS x WHERE x.indrelid = 'articles'::regclass"
        )
        triggers = await conn.fetch(
            "SELECT pg_get_triggerdef(oid) AS definition FROM pg_trigger "
            "WHERE tgrelid = 'articles'::regclass AND NOT tgisinternal"
        )
        references = await conn.fetch(
            "SELECT conrelid::regclass::text AS owner, pg_get_constraintdef(oid) AS definition "
            "FROM pg_constraint WHERE confrelid = 'articles'::regclass AND contype = 'f'"
        )
        columns = await conn.fetchval(
            "SELECT string_agg(attname, ', ' ORDER BY attnum) FROM pg_attribute "
            "WHERE attrelid = 'articles'::regclass AND attnum > 0 AND NOT attisdropped "
            "AND attgenerated = ''"
        )
        async with conn.transaction():
            await conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
            await conn.execute("ALTER SEQUENCE article_seq OWNED BY NONE")
            await conn.execute("ALTER TABLE articles RENAME TO articles_plain")
            await conn.execute(
                "CREATE TABLE articles (LIKE articles_plain INCLUDING DEFAULTS INCLUDING GENERATED "
                "INCLUDING CONSTRAINTS INCLUDING COMPRESSION INCLUDING STORAGE) "
                "PARTITION BY HASH (id)"
            )
            for remainder in range(partitions):
                await conn.execute(
                    f"CREATE TABLE articles_p{remainder} PARTITION OF articles "
                    f"FOR VALUES WITH (MODULUS {partitions}, REMAINDER {remainder})"
                )
            await conn.execute(
                f"INSERT INTO articles ({columns}) SELECT {columns} FROM articles_plain"
            )
            await conn.execute("DROP TABLE articles_plain CASCADE")
            await conn.execute(
                "ALTER TABLE articles ADD FOREIGN KEY (search_config) "
                "REFERENCES search_configs (id)"
            )
            for index in indexes:
                if index["indisprimary"]:
                    await conn.execute("ALTER TABLE articles ADD PRIMARY KEY (id)")
                else:
                    unique = str(index["definition"])
                    await conn.execute(unique.replace("CREATE UNIQUE INDEX", "CREATE INDEX"))
            for trigger in triggers:
                await conn.execute(str(trigger["definition"]))
            for reference in references:
                await conn.execute(
                    f"ALTER TABLE {reference['owner']} ADD {reference['definition']}"
                )
            await conn.execute(
                "ALTER TABLE articles ALTER COLUMN search_vector "
                f"SET STATISTICS {SEARCH_STATISTICS}"
            )
            await conn.execute("ALTER SEQUENCE article_seq OWNED BY articles.seq")
        await conn.execute("VACUUM ANALYZE articles")
    finally:
        await conn.close()


async def search_indexes(conn: asyncpg.Connection, remainders: list[int]) -> list[str]:
    """The search index of each partition in ``remainders``, by name."""
    rows = await conn.fetch(
        "SELECT p.relname AS part, i.relname AS name FROM pg_inherits AS h "
        "JOIN pg_class AS i ON i.oid = h.inhrelid JOIN pg_index AS x ON x.indexrelid = i.oid "
        "JOIN pg_class AS p ON p.oid = x.indrelid WHERE h.inhparent = $1::regclass",
        SEARCH_INDEX,
    )
    by_partition = {str(r["part"]): str(r["name"]) for r in rows}
    return [by_partition[f"articles_p{n}"] for n in remainders]


class OwnPartitionsRepository(PostgresRepository):
    """The store's repository, merging after each write the pending lists of its own partitions'
    search indexes (the parent's index is partitioned: it has no pending list of its own)."""

    own_indexes: tuple[str, ...] = ()

    async def _merge(self, conn: Any) -> None:
        for index in self.own_indexes:
            await conn.execute("SELECT gin_clean_pending_list($1::regclass)", index)


async def split(server: str, total: int, partitions: int, writers: int) -> list[list[int]]:
    """The article numbers (ids ``gen-N``) of each writer: writer ``w`` owns the partitions
    ``r`` with ``r % writers == w`` and gets the first ``total`` articles that hash there."""
    conn = await asyncpg.connect(server)
    try:
        await conn.execute('CREATE TEMP TABLE hashed (id text COLLATE "C") PARTITION BY HASH (id)')
        rows = await conn.fetch(
            "SELECT n, r FROM generate_series(0, $1 - 1) AS n, generate_series(0, $2 - 1) AS r "
            "WHERE satisfies_hash_partition('hashed'::regclass, $2, r, 'gen-' || n)",
            total,
            partitions,
        )
    finally:
        await conn.close()
    shares: list[list[int]] = [[] for _ in range(writers)]
    for row in sorted(rows, key=lambda r: int(r["n"])):
        shares[int(row["r"]) % writers].append(int(row["n"]))
    return shares


def server_cpu_s(postmaster: int) -> float:
    """CPU seconds used so far by the server: the postmaster, its ended children (reaped) and
    the live ones."""
    fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            child = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile: in cutime from now on (counted at the next reading)
        if int(child[1]) == postmaster:
            ticks += int(child[11]) + int(child[12])
    return ticks / CLOCK_TICKS


# What each store backend is doing, sampled while the writers run: merging the search index's
# pending list, waiting for a lock while merging (another session merges that list), waiting for
# another lock, or anything else (inserting, the counts, the commit).
SAMPLE = (
    "SELECT CASE WHEN query LIKE '%gin_clean_pending_list%' THEN "
    "CASE WHEN wait_event_type = 'Lock' THEN 'waiting to merge' ELSE 'merging' END "
    "WHEN wait_event_type = 'Lock' THEN 'waiting for a lock' ELSE 'writing' END AS doing, "
    "count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND application_name = 'newsflow-store' AND state = 'active' GROUP BY 1"
)
SAMPLE_EVERY_S = 0.05


async def sample(url: str, seen: dict[str, int], stop: asyncio.Event) -> None:
    """Count in ``seen`` what the store backends are doing, every :data:`SAMPLE_EVERY_S`, until
    ``stop``."""
    conn = await asyncpg.connect(url)
    try:
        while not stop.is_set():
            for row in await conn.fetch(SAMPLE):
                seen[str(row["doing"])] = seen.get(str(row["doing"]), 0) + int(row["count"])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAMPLE_EVERY_S)
    finally:
        await conn.close()


def backends(postmaster: int, database: str) -> list[int]:
    """The server's sessions on ``database``: its processes titled ``postgres: USER DATABASE
    …`` (the sampler's among them, a few queries a second)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = cmdline.read_text()
            if parent(int(cmdline.parent.name)) == postmaster and f" {database} " in title:
                found.append(int(cmdline.parent.name))
        except (OSError, IndexError):
            continue  # ended meanwhile
    return found


def schedstats(pids: list[int]) -> dict[int, tuple[float, float]]:
    """Each process's seconds on a CPU and seconds ready to run but waiting for one, so far
    (``/proc/PID/schedstat``); a process gone is left out."""
    found = {}
    for pid in pids:
        try:
            on_cpu, waiting, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
        except OSError:
            continue
        found[pid] = (int(on_cpu) / 1e9, int(waiting) / 1e9)
    return found


def parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@dataclass(frozen=True, slots=True)
class Run:
    layout: str
    writers: int
    rate: float  # articles/s, all writers
    server_ms: float  # server CPU ms per article
    spans: list[tuple[float, float]]  # each writer's start and end, seconds after the first start
    client_ms: float  # the writers' own CPU ms per article
    # Of each writer's elapsed time (writer and its sessions taking turns), the share its
    # processes ran on a CPU, and the share they were ready to run but waited for one.
    on_cpu: float
    runnable: float
    # share of the store backends' sampled active time in each activity (see SAMPLE)
    doing: dict[str, float] = field(default_factory=dict)


def run(url: str, layout: str, shares: list[list[int]], *, partitions: int, batch: int,
        postmaster: int) -> Run:  # fmt: skip
    """``len(shares)`` store processes writing their shares into ``url`` at once."""
    writers = len(shares)
    workers: list[subprocess.Popen[str]] = []
    try:
        for w, share in enumerate(shares):
            own = [r for r in range(partitions) if layout == "mixed" or r % writers == w]
            command = [sys.executable, str(Path(__file__).resolve()), "worker", url, layout,
                       str(w), json.dumps(own), str(batch)]  # fmt: skip
            worker = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            workers.append(worker)
            assert worker.stdin is not None
            worker.stdin.write(json.dumps(share) + "\n")
            worker.stdin.flush()
        for worker in workers:  # each has generated its articles and opened its repository
            assert worker.stdout is not None
            if worker.stdout.readline().strip() != "ready":
                raise RuntimeError("a store worker did not start")
        chains = [w.pid for w in workers] + backends(postmaster, url.rsplit("/", 1)[1])
        cpu, scheduled = server_cpu_s(postmaster), schedstats(chains)
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        spans = []
        for worker in workers:  # each has written its share and waits, its sessions still open
            assert worker.stdout is not None
            spans.append(json.loads(worker.stdout.readline()))
        chains += [pid for pid in backends(postmaster, url.rsplit("/", 1)[1]) if pid not in chains]
        done = schedstats(chains)
        for worker in workers:
            worker.communicate("close\n", timeout=60)
            if worker.returncode != 0:
                raise RuntimeError(f"a store worker failed ({worker.returncode})")
    finally:
        for worker in workers:  # none left running after a failure
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    cpu = server_cpu_s(postmaster) - cpu
    first = min(s["start"] for s in spans)
    elapsed = max(s["end"] for s in spans) - first
    count = sum(len(share) for share in shares)
    client = sum(s["cpu"] for s in spans)
    on_cpu = sum(done[p][0] - scheduled.get(p, (0.0, 0.0))[0] for p in done)
    runnable = sum(done[p][1] - scheduled.get(p, (0.0, 0.0))[1] for p in done)
    return Run(layout, writers, count / elapsed, 1000 * cpu / count,
               [(s["start"] - first, s["end"] - first) for s in spans],
               1000 * client / count, on_cpu / (writers * elapsed),
               runnable / (writers * elapsed))  # fmt: skip


async def contender(server: str, layout: str, shares: list[list[int]], partitions: int,
                    batch: int) -> Run:  # fmt: skip
    async with fresh_database(server, f"bench_spike_{layout}_{len(shares)}") as url:
        if layout != "plain":
            await partition_articles(url, partitions)
        conn = await asyncpg.connect(url)
        try:  # the server's postmaster: the parent of this session's backend (same machine)
            backend = int(await conn.fetchval("SELECT pg_backend_pid()"))
            postmaster = parent(backend)
        finally:
            await conn.close()
        seen: dict[str, int] = {}
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample(url, seen, stop))
        try:
            result = await asyncio.to_thread(
                partial(run, partitions=partitions, batch=batch, postmaster=postmaster),
                url, layout, shares,
            )  # fmt: skip
        finally:
            stop.set()
            await sampler
        total = sum(seen.values()) or 1
        return replace(result, doing={k: n / total for k, n in sorted(seen.items())})


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    alone = await split(args.server, args.articles, args.partitions, 1)
    together = await split(args.server, args.articles, args.partitions, args.processes)
    mixed = [alone[0][w :: args.processes] for w in range(args.processes)]
    print(f"{args.articles:,} articles; shares of {args.processes} writers: "
          f"{[len(s) for s in together]}; {args.partitions} partitions")  # fmt: skip
    runs: list[Run] = []
    for n in range(args.rounds):
        for layout in args.layouts:
            many = mixed if layout == "mixed" else together
            for shares in (alone, many) if n % 2 == 0 else (many, alone):
                result = await contender(args.server, layout, shares, args.partitions, args.batch)
                runs.append(result)
                ends = ", ".join(f"{end:.1f}" for _, end in result.spans)
                doing = ", ".join(f"{k} {v:.0%}" for k, v in result.doing.items())
                print(f"round {n + 1} {layout:11} {result.writers} writer(s): "
                      f"{result.rate:6.1f}/s, CPU ms/article server {result.server_ms:.2f} "
                      f"writers {result.client_ms:.2f}; ended at {ends} s; each writer "
                      f"on CPU {result.on_cpu:.0%}, waiting for one {result.runnable:.0%}; "
                      f"store sessions: {doing}",
                      flush=True)  # fmt: skip
    summary: dict[str, Any] = {}
    for layout in args.layouts:
        ones = [r for r in runs if r.layout == layout and r.writers == 1]
        manys = [r for r in runs if r.layout == layout and r.writers > 1]
        ratios = [m.rate / o.rate for o, m in zip(ones, manys, strict=True)]
        summary[layout] = {
            "one": [r.rate for r in ones],
            "many": [r.rate for r in manys],
            "ratios": ratios,
            "server_ms_one": [r.server_ms for r in ones],
            "server_ms_many": [r.server_ms for r in manys],
            "client_ms_one": [r.client_ms for r in ones],
            "client_ms_many": [r.client_ms for r in manys],
            "on_cpu_one": [r.on_cpu for r in ones],
            "on_cpu_many": [r.on_cpu for r in manys],
            "runnable_one": [r.runnable for r in ones],
            "runnable_many": [r.runnable for r in manys],
            "doing_one": [r.doing for r in ones],
            "doing_many": [r.doing for r in manys],
        }
        one_ms = statistics.median(summary[layout]["server_ms_one"])
        many_ms = statistics.median(summary[layout]["server_ms_many"])
        print(f"{layout}: {args.processes} writers / 1 by round "
              f"{', '.join(f'{x:.2f}' for x in ratios)} (median {statistics.median(ratios):.2f}); "
              f"server CPU/article median 1 writer {one_ms:.2f} ms, "
              f"{args.processes} writers {many_ms:.2f} ms")  # fmt: skip
    return summary


async def worker(url: str, layout: str, writer: int, own: list[int], batch: int) -> None:
    """One store process: reads its article numbers from stdin, generates them, opens its
    repository, says "ready", and on "go" writes them and prints when it started and ended."""
    from bench.store import Corpus

    numbers = json.loads(sys.stdin.readline())
    corpus = Corpus(seed=writer + 1)
    articles = [corpus.article(n) for n in numbers]
    positions = [Position("bench.deduplicated", writer, n) for n in range(len(articles))]
    if layout != "plain":
        conn = await asyncpg.connect(url)
        try:  # one repository a process: its class says which lists it merges
            OwnPartitionsRepository.own_indexes = tuple(await search_indexes(conn, own))
        finally:
            await conn.close()
        repo = await OwnPartitionsRepository.open(url)
    else:
        repo = await PostgresRepository.open(url)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    start, cpu = time.time(), time.process_time()
    for chunk in batches(list(zip(articles, positions, strict=True)), batch):
        await repo.store_claimed(chunk)
    end, cpu = time.time(), time.process_time() - cpu
    print(json.dumps({"start": start, "end": end, "cpu": cpu}), flush=True)
    await asyncio.to_thread(sys.stdin.readline)  # its sessions' times read: may close them
    await repo.close()


def main() -> None:
    if sys.argv[1:2] == ["worker"]:
        url, layout, writer, own, batch = sys.argv[2:7]
        asyncio.run(worker(url, layout, int(writer), json.loads(own), int(batch)))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("server", help="postgresql://USER@HOST:PORT/postgres (may CREATE DATABASE)")
    parser.add_argument("--articles", type=int, default=6_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument(
        "--layouts", type=lambda v: v.split(","), default=["plain", "partitioned"],
        help=f"comma-separated, of {', '.join(LAYOUTS)}",
    )  # fmt: skip
    args = parser.parse_args()
    if not 1 < args.processes <= args.partitions:
        parser.error("--processes: more than one, at most --partitions (each owns a partition)")
    summary = asyncio.run(bench(args))
    data = {k: getattr(args, k) for k in ("articles", "batch", "rounds", "processes", "partitions")}
    print(f"results: {write_result('store-partitioned-spike', data | summary).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
