"""Soak: N articles through the whole pipeline with random kill -9s of consumer services.

A private broker, then ingest, parser, dedup and store as real processes (``python -m
services.<name>``, as deployed). The articles go in through ``POST /v1/articles:batch`` (a lean
keep-alive HTTP/1.1 client over asyncio streams); meanwhile ``--kills`` times a random consumer
service is killed with SIGKILL at a random point of the run and restarted at once. Then it
checks, reading with ``read_committed``: the processed topic holds every accepted id exactly
once, the database has exactly those rows, the DLQ is empty (no valid article dead-lettered).

Throughput is articles/s from the first 202 to the last processed record. The baseline, measured
in the same run against the same broker before the services start: the same raw records
(``raw_record``: the bytes, key and headers ingest would publish) through a bare aiokafka
producer (acks=all, idempotent, as ingest's) and a bare ``read_committed`` consumer on a raw
topic of its own; the pipeline figure is also given as a ratio to it.

Articles: 1.5-3 KB plain texts assembled from random sentences of the dev set
(``tests/data/plaintext``), each with its own URL (so its own id). Bounded: the run stops itself
(``--quick`` ~2 min, full run < 10 min). Writes ``bench/results/soak.json``.

    .venv/bin/python -m bench.soak [--quick] [--articles N] [--kills K] [--seed S]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import re
import signal
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.common import (
    DATA_DIR,
    ROOT,
    Deadline,
    command_line,
    free_port,
    ratio,
    table,
    write_result,
)
from bench.ingest import (
    Server,
    broker_settings,
    loop_runner,
    server_command,
    start_server,
    stop_server,
    wait_ready,
)
from services.core import kafka, ndjson
from services.core.headers import TraceContext
from services.core.kafka import ensure_topics, make_producer
from services.core.records import OutgoingRecord
from services.core.service import topic_specs
from services.core.settings import CONSUMER_SERVICES, Settings
from services.core.topics import Topics
from services.ingest.articles import to_raw_article
from services.ingest.publisher import raw_record, received_now
from services.ingest.requests import ArticleIn
from services.tools import localkafka

HOST = "127.0.0.1"
FULL_ARTICLES = 50_000
QUICK_ARTICLES = 5_000
FULL_BOUND_S = 570.0
QUICK_BOUND_S = 240.0
SESSION_TIMEOUT_MS = 6000
SETTLE_S = 3.0
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)

# --- articles ---------------------------------------------------------------------------------


def sentences() -> list[str]:
    lines = ndjson.records((DATA_DIR / "plaintext" / "plaintext-dev.jsonl").read_text("utf-8"))
    found: list[str] = []
    for line in lines:
        text = json.loads(line.text)["text"]
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 40 <= len(s) <= 400]
    return found


def articles(count: int, run: str, seed: int) -> list[dict[str, str]]:
    """``count`` distinct articles: a title and paragraphs of random dev-set sentences."""
    rng = random.Random(seed)
    pool = sentences()
    out = []
    for n in range(count):
        picked = rng.sample(pool, rng.randint(10, 18))
        paragraphs = [" ".join(picked[i : i + 3]) for i in range(1, len(picked), 3)]
        title = picked[0][:90].rstrip(".")
        body = "\n\n".join([title, *paragraphs, f"Soak reference {run}-{n}."])
        out.append(
            {
                "url": f"https://soak.example.com/{run}/{n}",
                "source": "soak",
                "content": body,
                "content_type": "text/plain",
            }
        )
    return out


# --- processes --------------------------------------------------------------------------------


def start_stage(name: str, settings: Settings, workdir: Path, generation: int) -> Server:
    """``python -m services.<name>`` on the private broker; its health port is ``Server.port``."""
    port = free_port()
    told = settings.model_copy(
        update={
            "kafka_bootstrap_servers": settings.bootstrap_servers,
            "data_dir": workdir / "data",
            "health_port_base": port - CONSUMER_SERVICES.index(name),
            "session_timeout_ms": SESSION_TIMEOUT_MS,
            "log_level": "WARNING",
            "log_format": "json",
        }
    )
    log_path = workdir / f"{name}-{generation}.log"
    return Server.start(name, told, log_path=log_path, cwd=ROOT, own_group=True)


@dataclass
class Kill:
    service: str
    at_s: float  # seconds after the first push
    stored_at_kill: int
    pid: int
    ready_after_s: float = 0.0  # from the kill to the restarted process answering /readyz 200


@dataclass
class Run:
    """What one soak run saw."""

    accepted: set[str] = field(default_factory=set)
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    first_202: float | None = None
    last_202: float | None = None
    processed: collections.Counter[str] = field(default_factory=collections.Counter)
    last_processed: float | None = None
    kills: list[Kill] = field(default_factory=list)
    pushed_all: bool = False


def stored_count(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT count(*) FROM articles").fetchone()
            return int(row[0])
    except sqlite3.OperationalError:
        return 0


def stored_ids(database: Path) -> collections.Counter[str]:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return collections.Counter(row[0] for row in db.execute("SELECT id FROM articles"))


# --- load -------------------------------------------------------------------------------------


async def push_worker(
    port: int, queue: asyncio.Queue[list[dict[str, str]]], run: Run, deadline: Deadline
) -> None:
    """One keep-alive connection posting batches; refused items go back on the queue."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while not deadline.passed():
            try:
                items = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            body = orjson.dumps(items)
            writer.write(
                f"POST /v1/articles:batch HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = _CONTENT_LENGTH.search(head)
            answer = await reader.readexactly(int(length[1])) if length else b""
            if status != 207:
                run.statuses[status] += len(items)
                await asyncio.sleep(0.5)  # 429 / 503: back off, push the batch again
                queue.put_nowait(items)
                continue
            retry = []
            now = time.monotonic()
            for item, result in zip(items, orjson.loads(answer)["results"], strict=True):
                run.statuses[result["status"]] += 1
                if result["status"] == 202:
                    run.accepted.add(result["id"])
                    run.first_202 = run.first_202 or now
                    run.last_202 = now
                else:
                    retry.append(item)
            if retry:
                await asyncio.sleep(0.5)
                queue.put_nowait(retry)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def push_all(
    port: int,
    *,
    items: list[dict[str, str]],
    batch: int,
    connections: int,
    run: Run,
    deadline: Deadline,
) -> None:
    queue: asyncio.Queue[list[dict[str, str]]] = asyncio.Queue()
    for start in range(0, len(items), batch):
        queue.put_nowait(items[start : start + batch])
    while not queue.empty() and not deadline.passed():
        await asyncio.gather(*(push_worker(port, queue, run, deadline) for _ in range(connections)))
    run.pushed_all = queue.empty()


async def follow_processed(
    settings: Settings, topic: str, run: Run, expected: int, deadline: Deadline
) -> None:
    """Read the processed topic (read_committed) from the start while the run goes on; stop
    once every accepted id is there (pushing done) and nothing more came for ``SETTLE_S``."""
    consumer = kafka.make_consumer(settings, None, topic)
    await consumer.start()
    try:
        while not deadline.passed():
            batch = await consumer.getmany(timeout_ms=200)
            now = time.monotonic()
            for messages in batch.values():
                for message in messages:
                    run.processed[message.key.decode()] += 1
                    run.last_processed = now
            complete = run.pushed_all and len(run.processed) >= len(run.accepted) >= expected
            if complete and run.last_processed and now - run.last_processed > SETTLE_S:
                return
    finally:
        await consumer.stop()


async def killer(
    stages: dict[str, Server],
    *,
    settings: Settings,
    workdir: Path,
    run: Run,
    points: Sequence[tuple[float, str]],
    total: int,
    deadline: Deadline,
) -> None:
    """At each point (a fraction of the articles stored), kill -9 that service and restart it;
    the next kill does not wait for the restarted one to be ready (unless it is the same)."""
    database = workdir / "data" / "newsflow.db"
    readiness: dict[str, asyncio.Task[None]] = {}

    async def ready(kill: Kill, server: Server, killed_at: float) -> None:
        await wait_ready(server)
        kill.ready_after_s = time.monotonic() - killed_at
        print(
            f"  {kill.service} restarted (pid {server.pid}): ready after {kill.ready_after_s:.1f}s",
            flush=True,
        )

    for generation, (fraction, name) in enumerate(points, start=1):
        while stored_count(database) < fraction * total and not deadline.passed():  # noqa: ASYNC110
            await asyncio.sleep(0.2)  # polls the database (another process writes it)
        if deadline.passed():
            break
        if name in readiness:
            await readiness.pop(name)
        victim = stages[name]
        os.kill(victim.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        await asyncio.to_thread(victim.process.wait, 30)
        stored = stored_count(database)
        kill = Kill(name, killed_at - (run.first_202 or killed_at), stored, victim.pid)
        run.kills.append(kill)
        print(
            f"  kill -9 {name} (pid {victim.pid}) at {kill.at_s:.1f}s, {stored:,} stored",
            flush=True,
        )
        stages[name] = start_stage(name, settings, workdir, generation)
        readiness[name] = asyncio.create_task(ready(kill, stages[name], killed_at))
    await asyncio.gather(*readiness.values())


# --- baseline ---------------------------------------------------------------------------------


async def bare_baseline(
    settings: Settings, items: list[dict[str, str]], run_id: str
) -> dict[str, float]:
    """The same raw records through a bare producer and a bare read_committed consumer."""
    topics = Topics(f"soak-{run_id}-bare.")
    await ensure_topics(settings, topic_specs(settings, topics)[:1])
    trace = TraceContext.new()
    received = received_now()
    records: list[OutgoingRecord] = [
        raw_record(
            topics.raw, to_raw_article(ArticleIn.model_validate(item), received), trace.child()
        )
        for item in items
    ]
    consumer = kafka.make_consumer(settings, None, topics.raw)
    await consumer.start()
    producer = make_producer(settings, linger_ms=2)
    await producer.start()
    seen = 0
    try:
        began = time.monotonic()
        pending: collections.deque[asyncio.Future[Any]] = collections.deque()
        for record in records:
            pending.append(
                await producer.send(
                    record.topic, record.value, key=record.key, headers=record.headers
                )
            )
            if len(pending) >= 2000:
                await pending.popleft()
        await asyncio.gather(*pending)
        acked = time.monotonic()
        bound = time.monotonic() + 120
        while seen < len(records) and time.monotonic() < bound:
            batch = await consumer.getmany(timeout_ms=200)
            seen += sum(len(m) for m in batch.values())
        done = time.monotonic()
    finally:
        await producer.stop()
        await consumer.stop()
    return {
        "records": len(records),
        "consumed": seen,
        "produce_s": acked - began,
        "total_s": done - began,
        "articles_per_s": seen / (done - began),
    }


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Config:
    articles: int
    kills: int
    seed: int
    batch_size: int
    connections: int
    bound_s: float


async def soak(config: Config, workdir: Path) -> dict[str, Any]:
    deadline = Deadline(config.bound_s)
    run_id = uuid.uuid4().hex[:8]
    settings, managed = broker_settings(workdir)
    settings = settings.model_copy(update={"topic_prefix": f"soak-{run_id}."})
    topics = Topics(settings.topic_prefix)
    rng = random.Random(config.seed)
    result: dict[str, Any] = {"broker": "private local" if managed else "external"}
    stages: dict[str, Server] = {}
    ingest: Server | None = None
    run = Run()
    try:
        if managed:
            print(f"starting a private broker on {HOST}:{settings.kafka_port} ...", flush=True)
            status, took = await asyncio.to_thread(localkafka.start, settings)
            print(f"broker up in {took:.1f}s (pid {status.pid})", flush=True)
        await ensure_topics(settings, topic_specs(settings, topics))
        items = articles(config.articles, run_id, config.seed)
        sizes = sorted(len(item["content"].encode()) for item in items)
        print(
            f"{len(items):,} articles, {sizes[0]:,}-{sizes[-1]:,} bytes (median"
            f" {sizes[len(sizes) // 2]:,}); seed {config.seed}",
            flush=True,
        )

        print("baseline: bare producer -> bare read_committed consumer ...", flush=True)
        result["baseline"] = await bare_baseline(settings, items, run_id)
        print(f"  {result['baseline']['articles_per_s']:,.0f} articles/s", flush=True)

        stages = {name: start_stage(name, settings, workdir, 0) for name in CONSUMER_SERVICES}
        ingest = start_server("ingest", settings, settings.topic_prefix, workdir, server_command())
        for server in [ingest, *stages.values()]:
            await wait_ready(server)
        print(
            "services ready: "
            + ", ".join(f"{s.label} pid {s.pid}" for s in [ingest, *stages.values()]),
            flush=True,
        )

        # One kill in each of ``kills`` equal slices of 5-85 % stored, at a random point of it.
        width = 0.8 / max(config.kills, 1)
        points = [
            (0.05 + width * (i + rng.uniform(0.1, 0.9)), rng.choice(CONSUMER_SERVICES))
            for i in range(config.kills)
        ]
        print(
            "kills planned: "
            + ", ".join(f"{name} at {fraction:.0%} stored" for fraction, name in points),
            flush=True,
        )
        follower = asyncio.create_task(
            follow_processed(settings, topics.processed, run, config.articles, deadline)
        )
        killing = asyncio.create_task(
            killer(
                stages,
                settings=settings,
                workdir=workdir,
                run=run,
                points=points,
                total=config.articles,
                deadline=deadline,
            )
        )
        await push_all(
            ingest.port,
            items=items,
            batch=config.batch_size,
            connections=config.connections,
            run=run,
            deadline=deadline,
        )
        print(
            f"pushed: {len(run.accepted):,} accepted in"
            f" {(run.last_202 or 0) - (run.first_202 or 0):.1f}s; answers {dict(run.statuses)}",
            flush=True,
        )
        await killing
        await follower
        result["completed"] = not deadline.passed()
        result["verify"] = await verify(settings, topics, workdir, run)
        readiness = {}
        for name, server in stages.items():
            try:
                await wait_ready(server, 30)
                readiness[name] = True
            except RuntimeError:
                readiness[name] = False
        result["ready_at_end"] = readiness
    finally:
        for server in [*stages.values(), *([ingest] if ingest else [])]:
            stop_server(server)
        if managed:
            await asyncio.to_thread(localkafka.stop, settings)
    result["run"] = run
    return result


async def verify(settings: Settings, topics: Topics, workdir: Path, run: Run) -> dict[str, Any]:
    processed = run.processed
    doubled = [key for key, n in processed.items() if n > 1]
    missing = run.accepted - set(processed)
    strangers = set(processed) - run.accepted
    in_db = stored_ids(workdir / "data" / "newsflow.db")
    consumer = kafka.make_consumer(settings, None, topics.dlq)
    await consumer.start()
    dlq = 0
    try:
        quiet_until = time.monotonic() + 3
        while time.monotonic() < quiet_until:
            batch = await consumer.getmany(timeout_ms=200)
            dlq += sum(len(m) for m in batch.values())
    finally:
        await consumer.stop()
    checks: dict[str, object] = {
        "accepted_unique_ids": len(run.accepted),
        "processed_records": sum(processed.values()),
        "processed_unique_ids": len(processed),
        "processed_doubled": len(doubled),
        "processed_missing": len(missing),
        "processed_not_accepted": len(strangers),
        "database_rows": sum(in_db.values()),
        "database_matches": set(in_db) == run.accepted and max(in_db.values(), default=1) == 1,
        "dlq_records": dlq,
    }
    checks["ok"] = (
        checks["processed_records"] == checks["accepted_unique_ids"]
        and not doubled
        and not missing
        and not strangers
        and checks["database_rows"] == checks["accepted_unique_ids"]
        and checks["database_matches"]
        and dlq == 0
    )
    checks["examples"] = {"doubled": doubled[:5], "missing": sorted(missing)[:5]}
    return checks


def report(config: Config, result: dict[str, Any], took_s: float) -> dict[str, Any]:
    run: Run = result["run"]
    checks = result.get("verify", {})
    span = (run.last_processed or 0) - (run.first_202 or 0)
    rate = len(run.accepted) / span if span > 0 else 0.0
    push_span = (run.last_202 or 0) - (run.first_202 or 0)
    baseline = result.get("baseline", {})
    bare = baseline.get("articles_per_s", 0.0)
    print()
    print(
        table(
            ["what", "articles", "seconds", "articles/s", "x bare"],
            [
                [
                    "bare producer -> consumer (baseline)",
                    baseline.get("consumed", 0),
                    round(baseline.get("total_s", 0.0), 1),
                    bare,
                    "1.00x",
                ],
                [
                    "ingest batch POST (first to last 202)",
                    len(run.accepted),
                    round(push_span, 1),
                    len(run.accepted) / push_span if push_span > 0 else 0.0,
                    f"{ratio(len(run.accepted) / push_span if push_span > 0 else 0.0, bare):.2f}x",
                ],
                [
                    "whole pipeline (first 202 to last processed)",
                    len(run.accepted),
                    round(span, 1),
                    rate,
                    f"{ratio(rate, bare):.3f}x",
                ],
            ],
        )
    )
    print()
    print(
        table(
            ["kill -9", "at s", "stored then", "ready again after s"],
            [
                [k.service, round(k.at_s, 1), k.stored_at_kill, round(k.ready_after_s, 1)]
                for k in run.kills
            ],
        )
    )
    print()
    rows = [[key, value] for key, value in checks.items() if key != "examples"]
    rows.append(["services ready at the end", result.get("ready_at_end")])
    print(table(["check", "value"], rows))
    verdict = "PASS" if checks.get("ok") and result.get("completed") else "FAIL"
    print(
        f"\n{verdict}: {len(run.kills)} kills, run took {took_s:.0f}s (bound {config.bound_s:.0f}s)"
    )
    return {
        "config": config.__dict__,
        "broker": result.get("broker"),
        "verdict": verdict,
        "completed_within_bound": result.get("completed"),
        "took_s": took_s,
        "pipeline_articles_per_s": rate,
        "pipeline_seconds": span,
        "ingest_articles_per_s": len(run.accepted) / push_span if push_span > 0 else 0.0,
        "baseline": baseline,
        "ratio_vs_bare": ratio(rate, bare),
        "answers": dict(run.statuses),
        "kills": [k.__dict__ for k in run.kills],
        "checks": checks,
        "ready_at_end": result.get("ready_at_end"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ARTICLES:,} articles")
    parser.add_argument("--articles", type=int, help=f"default {FULL_ARTICLES:,}")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, help="for the articles and the kill plan")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--connections", type=int, default=2)
    args = parser.parse_args(argv)
    count = args.articles or (QUICK_ARTICLES if args.quick else FULL_ARTICLES)
    config = Config(
        articles=max(1, min(count, 200_000)),
        kills=max(0, min(args.kills, 10)),
        seed=args.seed if args.seed is not None else random.randrange(1_000_000),
        batch_size=max(1, min(args.batch_size, 1000)),
        connections=max(1, min(args.connections, 16)),
        bound_s=QUICK_BOUND_S if args.quick else FULL_BOUND_S,
    )
    print(f"command: {command_line()}")
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newsflow-soak-") as tmp:
        result = loop_runner()(soak(config, Path(tmp)))
        data = report(config, result, time.monotonic() - began)
    path = write_result("soak", data)
    print(f"result: {path.relative_to(ROOT)}")
    return 0 if data["verdict"] == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
