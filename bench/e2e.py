"""End-to-end throughput and latency of the whole pipeline, beside a bare Kafka baseline.

Starts a private broker (unless ``KAFKA_BOOTSTRAP_SERVERS`` is set) and every service as its own
process, then:

1. **throughput** — pushes N plain-text articles through ``/v1/articles:batch`` as fast as the
   pipeline takes them; sustained articles/s from the first 202 to the last processed record;
2. **mix** — a smaller run of plain text, HTML and structured JSON articles, same measure;
3. **latency** — a fixed offered load (default 200 articles/s, single POSTs): first a warm-up
   minute at that load, then the measured window; latency from each 202 to its processed record
   (p50/p95/p99). The warm-up is reported too: a broker that has only seen large batches still
   JIT-compiles the code of small transactions during its first minute at this load (the
   compiler threads' CPU is printed for both windows);
4. **baseline** — the same throughput records produced by a bare aiokafka producer and consumed
   straight off a topic with ``read_committed``: the ratio shows the pipeline's own cost.

Per stage it reports CPU seconds per 1,000 articles (from /proc, the profile of where time goes)
and peak RSS, then issue #22's goals: the plain-text rate at 0.09x the bare baseline at least
(0.07x with the store on PostgreSQL), p99 within 200 ms, 1.4 ms of CPU an article over all
processes, no service above 512 MB. ``--profile STAGE`` also runs that stage under cProfile
and prints its top functions. ``--postgresql SERVER_URL`` puts the store on a fresh PostgreSQL
database of that server (dropped afterwards) instead of SQLite. Run: ``.venv/bin/python -m
bench.e2e [--quick] [--articles N] [--postgresql URL]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import pstats
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.common import (
    DATA_DIR,
    ROOT,
    Deadline,
    command_line,
    free_port,
    process_cpu_s,
    ratio,
    read_response,
    self_cpu_s,
    table,
    thread_cpu_s,
    write_result,
)
from bench.ingest import broker_settings
from bench.store_postgres import fresh_database
from services.core import kafka, ndjson
from services.core.service import topic_specs
from services.core.settings import Settings
from services.core.topics import Topics, TopicSpec
from services.tools import localkafka
from services.tools.processes import ServiceProcess

STAGES = ("parser", "dedup", "store")
SERVICES = ("ingest", *STAGES)
BATCH = 500
PUSHERS = 4
# Issue #22's goals (every run must meet them): the plain-text rate against the bare baseline
# of the same run, on SQLite and on PostgreSQL; p99 at the offered rate; CPU an article over
# every process; each service's peak RSS.
GOAL_RATIO_SQLITE = 0.09
GOAL_RATIO_POSTGRESQL = 0.07
GOAL_P99_MS = 200.0
GOAL_CPU_MS = 1.4
GOAL_RSS_MB = 512.0


@dataclass
class Service(ServiceProcess):
    """A service process of the run, with what the report reads of it."""

    def cpu(self) -> float:
        return process_cpu_s(self.process.pid)

    def peak_rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0


@dataclass
class Config:
    articles: int
    mix: int
    latency_rate: float
    latency_s: float
    latency_warmup_s: float
    warmup: int
    profile: str | None
    deadline_s: float
    hops: bool = False
    database_url: str | None = None  # the store on PostgreSQL (a fresh database), else SQLite


@dataclass
class Phase:
    name: str
    articles: int = 0
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    jit_s: float = 0.0  # of the broker's CPU, what its JIT compiler threads used

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------- articles


def plain_texts() -> list[str]:
    lines = ndjson.records((DATA_DIR / "plaintext" / "plaintext-dev.jsonl").read_text("utf-8"))
    return [json.loads(line.text)["text"] for line in lines]


def plain_article(n: int, texts: Sequence[str]) -> dict[str, Any]:
    """A distinct plain-text article: a dev-set text with its own headline number and url."""
    text = texts[n % len(texts)]
    title, _, rest = text.partition("\n")
    return {
        "content": f"{title} ({n})\n{rest}",
        "content_type": "text/plain",
        "source": f"feed-{n % 7}",
        "url": f"https://news{n % 13}.example/story/{n}",
    }


def mixed_article(n: int, texts: Sequence[str], html: Sequence[str]) -> dict[str, Any]:
    kind = n % 3
    if kind == 0:
        return plain_article(n, texts)
    if kind == 1:
        return {
            "content": html[n % len(html)],
            "content_type": "text/html",
            "url": f"https://pages.example/{n}",
            "source": "web",
        }
    body = texts[n % len(texts)].split("\n\n", 3)[-1]
    return {
        "id": f"json-{n}",
        "title": f"Structured article {n}",
        "authors": ["Desk Editor"],
        "published_at": "2025-06-01T12:00:00+02:00",
        "content": body,
        "content_type": "text/plain",
        "source": "api",
    }


def html_pages(limit: int = 20) -> list[str]:
    import gzip

    pages = sorted((DATA_DIR / "extraction-dev" / "html").glob("*.html.gz"))[:limit]
    return [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in pages]


# ---------------------------------------------------------------- processes


def start_service(name: str, settings: Settings, workdir: Path, profile: bool) -> Service:
    command = None
    if profile:
        profiler = [sys.executable, "-m", "cProfile", "-o", str(workdir / f"{name}.prof")]
        command = [*profiler, "-m", f"services.{name}"]
    log_path = workdir / f"{name}.log"
    return Service.start(
        name, settings, command=command, log_path=log_path, cwd=ROOT, own_group=True
    )


async def wait_ready(services: Sequence[Service], deadline: Deadline) -> None:
    for service in services:
        await service.wait_ready(max(0.0, deadline.left()))


def stop(service: Service) -> None:
    """End exactly this process: SIGTERM, then SIGKILL if it lingers."""
    service.stop(30)


# ---------------------------------------------------------------- measuring


def ensure_running(services: Sequence[Service]) -> None:
    """Raise if any service has exited: the articles it holds would never arrive."""
    for service in services:
        code = service.process.poll()
        if code is not None:
            raise RuntimeError(
                f"{service.name} exited with code {code} while articles were in flight; see its log"
            )


class Processed:
    """Follows a topic (read_committed; the processed one unless told), noting when each
    article id first arrives; waiting on it fails at once if one of ``services`` exits."""

    def __init__(self, settings: Settings, topic: str, services: Sequence[Service] = ()) -> None:
        self.settings, self.topic, self.services = settings, topic, services
        self.arrived: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    async def __aenter__(self) -> Processed:
        consumer = kafka.make_consumer(
            self.settings, None, self.topic, auto_offset_reset="latest", fetch_max_wait_ms=20
        )
        await consumer.start()
        await consumer.seek_to_end()
        self._task = asyncio.create_task(self._follow(consumer))
        return self

    async def _follow(self, consumer: Any) -> None:
        try:
            while not self._stop.is_set():
                batch = await consumer.getmany(timeout_ms=100, max_records=5000)
                now = time.perf_counter()
                for messages in batch.values():
                    for message in messages:
                        self.arrived.setdefault(message.key.decode(), now)
        finally:
            await consumer.stop()

    async def until(self, ids: set[str], deadline: Deadline) -> float:
        """When the last of ``ids`` arrived."""
        while not ids <= self.arrived.keys():
            ensure_running(self.services)
            if deadline.passed():
                missing = len(ids - self.arrived.keys())
                raise RuntimeError(f"{missing} articles never reached the processed topic")
            await asyncio.sleep(0.05)
        return max(self.arrived[i] for i in ids)

    async def __aexit__(self, *_: object) -> None:
        self._stop.set()
        if self._task:
            await self._task


async def push_batches(base: str, articles: list[dict[str, Any]]) -> tuple[set[str], float]:
    """Push everything in batches over a few connections; accepted ids and the first 202 time."""
    bodies = [orjson.dumps(articles[i : i + BATCH]) for i in range(0, len(articles), BATCH)]
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    accepted: set[str] = set()
    first: list[float] = []

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            for _attempt in range(20):
                response = await client.post(
                    "/v1/articles:batch", content=body, headers={"content-type": "application/json"}
                )
                if response.status_code == 207:
                    break
                await asyncio.sleep(float(response.headers.get("retry-after", "1")))
            first.append(time.perf_counter())
            accepted.update(r["id"] for r in response.json()["results"] if r["status"] == 202)

    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        await asyncio.gather(*(worker(client) for _ in range(PUSHERS)))
    return accepted, min(first)


async def throughput(  # noqa: PLR0917
    name: str, base: str, articles: list[dict[str, Any]], processed: Processed,
    services: Sequence[Service], deadline: Deadline, broker_pid: int | None = None,
) -> Phase:  # fmt: skip
    cpu = {s.name: s.cpu() for s in services}
    broker_cpu = process_cpu_s(broker_pid) if broker_pid else 0.0
    jit = broker_jit_cpu(broker_pid)
    start = time.perf_counter()
    accepted, _first_202 = await push_batches(base, articles)
    last = await processed.until(accepted, deadline)
    used = {s.name: s.cpu() - cpu[s.name] for s in services}
    if broker_pid:
        used["broker"] = process_cpu_s(broker_pid) - broker_cpu
    return Phase(name, len(accepted), last - start, used, broker_jit_cpu(broker_pid) - jit)


HOPS = ("ingest -> raw", "parser", "dedup", "store")
LATENCY_CONNECTIONS = 16


async def latency(  # noqa: PLR0917
    base: str, texts: Sequence[str], rate: float, seconds: float, processed: Processed,
    deadline: Deadline, upstream: Sequence[Processed] = (), first: int = 10_000_000,
) -> dict[str, Any]:  # fmt: skip
    """Single POSTs at a fixed offered load; latency from each 202 to its processed record.

    With ``upstream`` followers (raw, parsed, deduplicated topics), also the time each hop adds:
    from the record becoming visible on one topic to its successor becoming visible on the next
    (the first hop from the 202), so the slow stage is named.
    """
    sent: dict[str, float] = {}
    interval = 1.0 / rate
    count = int(rate * seconds)
    port = int(base.rsplit(":", 1)[1])
    due: asyncio.Queue[int] = asyncio.Queue()

    async def connection() -> None:
        """One keep-alive connection posting the articles that are due (a lean client: httpx
        would take a fifth of the machine at this rate)."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (n := await due.get()) >= 0:
                body = orjson.dumps(plain_article(first + n, texts))
                writer.write(
                    b"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%b"
                    % (len(body), body)
                )
                status, answer = await read_response(reader)
                if status == 202:
                    sent[orjson.loads(answer)["id"]] = time.perf_counter()
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    connections = [asyncio.create_task(connection()) for _ in range(LATENCY_CONNECTIONS)]
    start = time.perf_counter()
    for n in range(count):
        await asyncio.sleep(max(start + n * interval - time.perf_counter(), 0))
        due.put_nowait(n)
    for _ in connections:
        due.put_nowait(-1)
    await asyncio.gather(*connections)
    await processed.until(set(sent), deadline)
    delays = sorted((processed.arrived[i] - t) * 1000 for i, t in sent.items())
    cuts = statistics.quantiles(delays, n=100)
    hops: dict[str, dict[str, float]] = {}
    if upstream:
        chain = [*upstream, processed]
        for name, before, after in zip(HOPS[1:], chain, chain[1:], strict=False):
            spans = sorted(
                (after.arrived[i] - before.arrived[i]) * 1000
                for i in sent
                if i in before.arrived and i in after.arrived
            )
            if len(spans) > 1:
                hop_cuts = statistics.quantiles(spans, n=100)
                hops[name] = {"p50_ms": hop_cuts[49], "p99_ms": hop_cuts[98]}
        entered = sorted((upstream[0].arrived[i] - t) * 1000 for i, t in sent.items()
                       if i in upstream[0].arrived)  # fmt: skip
        if len(entered) > 1:
            first_cuts = statistics.quantiles(entered, n=100)
            hops = {HOPS[0]: {"p50_ms": first_cuts[49], "p99_ms": first_cuts[98]}, **hops}
    return {
        "offered_per_s": rate,
        "articles": len(delays),
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "max_ms": delays[-1],
        "hops": hops,
    }


async def bare_baseline(
    settings: Settings, articles: list[dict[str, Any]], deadline: Deadline
) -> Phase:
    """The same records straight through Kafka: a bare producer, a read_committed consumer."""
    from services.core.headers import TraceContext
    from services.ingest.articles import to_raw_article
    from services.ingest.publisher import raw_record, received_now
    from services.ingest.requests import ArticleIn

    topic = f"bare-{uuid.uuid4().hex[:8]}"
    await kafka.ensure_topics(settings, [TopicSpec(topic, 3, {})])
    now, trace = received_now(), TraceContext.new()
    records = [raw_record(topic, to_raw_article(ArticleIn(**a), now), trace) for a in articles]
    consumer = kafka.make_consumer(settings, None, topic)
    await consumer.start()
    producer = kafka.make_producer(settings, linger_ms=2)
    await producer.start()
    try:
        start = time.perf_counter()
        for i in range(0, len(records), BATCH):
            await kafka.send_all(producer, records[i : i + BATCH])
        seen = 0
        while seen < len(records) and not deadline.passed():
            batch = await consumer.getmany(timeout_ms=200, max_records=10_000)
            seen += sum(len(m) for m in batch.values())
        return Phase("bare Kafka (produce + consume)", seen, time.perf_counter() - start)
    finally:
        await producer.stop()
        await consumer.stop()


# ---------------------------------------------------------------- the run


async def run(config: Config, workdir: Path) -> dict[str, Any]:
    deadline = Deadline(config.deadline_s)
    main_task = asyncio.current_task()
    if main_task is not None:  # SIGTERM (a timeout, a kill) still stops what was started
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    settings, own_broker = broker_settings(workdir / "broker")
    broker_pid: int | None = None
    if own_broker:
        broker_pid = localkafka.start(settings)[0].pid
    services: list[Service] = []
    try:
        prefix = f"e2e-{uuid.uuid4().hex[:8]}."
        settings = settings.model_copy(update={"topic_prefix": prefix})
        topics = Topics(prefix)
        await kafka.ensure_topics(settings, topic_specs(settings, topics))
        told = service_settings(settings, workdir, config.database_url)
        services = [start_service(n, told, workdir, config.profile == n) for n in SERVICES]
        await wait_ready(services, deadline)
        base = f"http://127.0.0.1:{told.ingest_port}"
        texts, html = plain_texts(), html_pages()
        plain = [plain_article(n, texts) for n in range(config.articles)]
        mixed = [
            mixed_article(n, texts, html)
            for n in range(config.articles, config.articles + config.mix)
        ]
        async with Processed(settings, topics.processed, services) as processed:
            first = 20_000_000
            warm = [plain_article(n, texts) for n in range(first, first + config.warmup)]
            await throughput("warm-up", base, warm, processed, services, deadline)
            main = await throughput(
                "plain text", base, plain, processed, services, deadline, broker_pid
            )
            mix = await throughput(
                "mix (text/HTML/JSON)", base, mixed, processed, services, deadline, broker_pid
            )
            async with contextlib.AsyncExitStack() as followers:
                upstream = [  # three more consumers: a diagnosis that costs CPU itself
                    await followers.enter_async_context(Processed(settings, topic))
                    for topic in (topics.raw, topics.parsed, topics.deduplicated)
                    if config.hops
                ]
                jit = broker_jit_cpu(broker_pid)
                started = time.perf_counter()
                warm_up = await latency(
                    base, texts, config.latency_rate, config.latency_warmup_s, processed,
                    deadline, first=30_000_000,
                )  # fmt: skip
                warm_up["jit_cores"] = cores(broker_jit_cpu(broker_pid) - jit, started)
                before, jit = busy_cpu(services, broker_pid), broker_jit_cpu(broker_pid)
                started = time.perf_counter()
                lat = await latency(
                    base, texts, config.latency_rate, config.latency_s, processed, deadline,
                    upstream,
                )  # fmt: skip
                lat["cores_busy"] = {
                    name: cores(used - before[name], started)
                    for name, used in busy_cpu(services, broker_pid).items()
                }
                lat["jit_cores"] = cores(broker_jit_cpu(broker_pid) - jit, started)
                lat["warm_up"] = {k: v for k, v in warm_up.items() if k != "hops"}
        rss = {s.name: s.peak_rss_mb() for s in services}
        bare = await bare_baseline(settings, plain, deadline)
    finally:
        for service in services:
            stop(service)
        if own_broker:
            localkafka.stop(settings)
    return {"phases": [main, mix, bare], "latency": lat, "rss_mb": rss, "workdir": str(workdir)}


def cores(cpu_s: float, since: float) -> float:
    """CPU seconds used since ``since`` (a perf_counter reading) as cores busy on average."""
    return cpu_s / (time.perf_counter() - since)


# the JVM's JIT compiler threads, as /proc names them (15 characters)
JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre")


def broker_jit_cpu(broker_pid: int | None) -> float:
    """CPU seconds the broker's JIT compiler threads have used so far (0.0 if not ours)."""
    return thread_cpu_s(broker_pid, JIT_THREADS) if broker_pid else 0.0


def busy_cpu(services: Sequence[Service], broker_pid: int | None) -> dict[str, float]:
    """CPU seconds used so far by each service, the broker and this bench process."""
    used = {s.name: s.cpu() for s in services}
    if broker_pid:
        used["broker"] = process_cpu_s(broker_pid)
    used["bench"] = self_cpu_s()
    return used


def service_settings(
    settings: Settings, workdir: Path, database_url: str | None = None
) -> Settings:
    """What the services are told: this run's broker, topics, data directory and database, ports
    of their own, and the default logging (one summary line per record, as JSON, to a file)."""
    base = free_port()
    while any(localkafka.port_in_use(base + i) for i in range(3)):
        base = free_port()
    return settings.model_copy(
        update={
            "kafka_bootstrap_servers": settings.bootstrap_servers,
            "data_dir": workdir / "data",
            "database_url": database_url,
            "ingest_port": free_port(),
            "health_port_base": base,
            "log_level": "INFO",
            "log_format": "json",
        }
    )


def report(config: Config, result: dict[str, Any], store: str = "SQLite") -> dict[str, Any]:
    main, mix, bare = result["phases"]
    rows = [
        [p.name, p.articles, round(p.seconds, 1), p.rate, ratio(p.rate, bare.rate)]
        for p in (main, mix, bare)
    ]
    print(f"\ncommand: {command_line()}")
    print(table(["phase", "articles", "seconds", "articles/s", "x bare"], rows))
    names = [*SERVICES, *(["broker"] if "broker" in main.cpu else [])]
    cpu_rows = [
        [
            name,
            main.cpu.get(name, 0.0) * 1000 / max(main.articles, 1),
            mix.cpu.get(name, 0.0) * 1000 / max(mix.articles, 1),
            result["rss_mb"].get(name, 0.0),
        ]
        for name in names
    ]
    total = sum(main.cpu.values()) * 1000 / max(main.articles, 1)
    cpu_rows.append(["all", total, sum(mix.cpu.values()) * 1000 / max(mix.articles, 1), ""])
    print("\nwhere the time goes (CPU seconds per 1,000 articles; peak RSS)")
    print(table(["process", "plain cpu s/1k", "mix cpu s/1k", "peak RSS MB"], cpu_rows))
    if main.jit_s:
        print(
            f"of the broker's CPU in the plain-text phase, its JIT compiler threads used "
            f"{main.jit_s:.1f} s ({main.jit_s * 1000 / max(main.articles, 1):.2f} s/1k; "
            f"{config.warmup:,} articles went through before it)"
        )
    lat = result["latency"]
    print(
        f"\nlatency 202 -> processed at {lat['offered_per_s']:.0f}/s offered "
        f"({lat['articles']} articles): p50 {lat['p50_ms']:.0f} ms, p95 {lat['p95_ms']:.0f} ms, "
        f"p99 {lat['p99_ms']:.0f} ms, max {lat['max_ms']:.0f} ms"
    )
    warm = lat["warm_up"]
    print(
        f"  after a warm-up of {config.latency_warmup_s:.0f} s at the same load, whose own figures "
        f"were p50 {warm['p50_ms']:.0f} ms, p99 {warm['p99_ms']:.0f} ms "
        f"(broker JIT compiler threads busy {warm['jit_cores']:.2f} cores then, "
        f"{lat['jit_cores']:.2f} in the window)"
    )
    if lat.get("cores_busy"):
        busy = lat["cores_busy"]
        print(
            "CPU cores busy meanwhile: "
            + ", ".join(f"{name} {cores:.2f}" for name, cores in busy.items())
            + f" (all {sum(busy.values()):.2f} of {os.cpu_count()})"
        )
    if lat.get("hops"):
        print("time each hop adds (visible on one topic -> visible on the next):")
        print(
            table(
                ["hop", "p50 ms", "p99 ms"],
                [[name, h["p50_ms"], h["p99_ms"]] for name, h in lat["hops"].items()],
            )
        )
    goals = goals_of(ratio(main.rate, bare.rate), lat["p99_ms"], total, result["rss_mb"], store)
    for line in goal_lines(goals):
        print(line)
    data = {
        "config": config.__dict__,
        "phases": [phase_dict(p) for p in (main, mix, bare)],
        "latency": lat,
        "peak_rss_mb": result["rss_mb"],
        "goals": goals,
    }
    print(f"store on {store}")
    name = "e2e" if store == "SQLite" else f"e2e-{store.lower()}"
    print(f"result: {write_result(name, data | {'store': store})}")
    return data


def goals_of(
    ratio_to_bare: float, p99_ms: float, cpu_ms: float, rss_mb: dict[str, float], store: str
) -> dict[str, dict[str, Any]]:
    """Issue #22's goals: throughput as a ratio to the bare baseline of the same run (so that a
    fast or slow stretch of the machine moves both), p99 at the offered rate, CPU an article
    over every process, the broker's included, and each service's peak RSS."""
    floor = GOAL_RATIO_POSTGRESQL if store == "PostgreSQL" else GOAL_RATIO_SQLITE
    peak = max(rss_mb.values(), default=0.0)
    return {
        "ratio_to_bare": {"goal": floor, "value": ratio_to_bare, "met": ratio_to_bare >= floor},
        "p99_ms": {"goal": GOAL_P99_MS, "value": p99_ms, "met": p99_ms <= GOAL_P99_MS},
        "cpu_ms_per_article": {
            "goal": GOAL_CPU_MS,
            "value": cpu_ms,
            "met": cpu_ms <= GOAL_CPU_MS,
        },
        "peak_rss_mb": {"goal": GOAL_RSS_MB, "value": peak, "met": peak <= GOAL_RSS_MB},
    }


def goal_lines(goals: dict[str, dict[str, Any]]) -> list[str]:
    ratio_, p99, cpu, rss = (
        goals[key] for key in ("ratio_to_bare", "p99_ms", "cpu_ms_per_article", "peak_rss_mb")
    )
    return [
        f"goal plain text >= {ratio_['goal']}x the bare baseline: {ratio_['value']:.3f}x"
        f" -> {met(ratio_['met'])}",
        f"goal p99 <= {p99['goal']:.0f} ms at the offered rate, after the warm-up:"
        f" {p99['value']:.0f} ms -> {met(p99['met'])}",
        f"goal CPU <= {cpu['goal']} ms an article over all processes:"
        f" {cpu['value']:.2f} ms -> {met(cpu['met'])}",
        f"goal peak RSS <= {rss['goal']:.0f} MB for every service: {rss['value']:.0f} MB"
        f" -> {met(rss['met'])}",
    ]


def met(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def phase_dict(phase: Phase) -> dict[str, Any]:
    return {
        "name": phase.name,
        "articles": phase.articles,
        "seconds": phase.seconds,
        "per_s": phase.rate,
        "cpu_s": phase.cpu,
        "broker_jit_cpu_s": phase.jit_s,
    }


def print_profile(workdir: Path, stage: str, top: int = 25) -> None:
    path = workdir / f"{stage}.prof"
    if path.exists():
        print(f"\nprofile of {stage} (cumulative, top {top}):")
        pstats.Stats(str(path)).sort_stats("tottime").print_stats(top)


async def run_on(config: Config, workdir: Path, server: str | None) -> dict[str, Any]:
    """:func:`run`, with the store on a fresh PostgreSQL database of ``server`` when given."""
    if server is None:
        return await run(config, workdir)
    async with fresh_database(server, "bench_e2e") as url:
        return await run(dataclasses.replace(config, database_url=url), workdir)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--mix", type=int, default=3_000)
    parser.add_argument(
        "--warmup",
        type=int,
        default=1_000,
        help="articles pushed through the pipeline before the throughput phase (not counted)",
    )
    parser.add_argument("--rate", type=float, default=200.0, help="offered load for latency")
    parser.add_argument("--latency-seconds", type=float, default=20.0)
    parser.add_argument(
        "--latency-warmup",
        type=float,
        default=60.0,
        help="seconds at the offered load before the latency window (reported apart)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="10k articles, 1k mix, 20 s warm-up, 10 s latency"
    )
    parser.add_argument("--profile", choices=SERVICES, default=None)
    parser.add_argument(
        "--postgresql",
        metavar="SERVER_URL",
        help="store on PostgreSQL: a fresh database on this server (one its user may create)",
    )
    parser.add_argument(
        "--hops",
        action="store_true",
        help="also follow the raw, parsed and deduplicated topics in the latency phase and print "
        "the time each hop adds (three more consumers: they load the machine themselves)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.mix, args.latency_seconds, args.latency_warmup = 10_000, 1_000, 10, 20
    for name, value, least in (
        ("--articles", args.articles, 1),
        ("--mix", args.mix, 1),
        ("--warmup", args.warmup, 0),
        ("--latency-warmup", args.latency_warmup, 0),
    ):
        if value < least:
            parser.error(f"{name} must be at least {least}, got {value}")
    for name, value in (("--rate", args.rate), ("--latency-seconds", args.latency_seconds)):
        if not value > 0:
            parser.error(f"{name} must be more than 0, got {value}")
    config = Config(
        args.articles, args.mix, args.rate, args.latency_seconds, args.latency_warmup,
        args.warmup, args.profile, 1500.0, args.hops,
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="newsflow-e2e-") as tmp:
        workdir = Path(tmp)
        result = asyncio.run(run_on(config, workdir, args.postgresql))
        report(config, result, "PostgreSQL" if args.postgresql else "SQLite")
        if config.profile:
            print_profile(workdir, config.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
