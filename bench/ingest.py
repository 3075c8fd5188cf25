"""Ingest throughput: articles/s through the HTTP service beside a bare producer, one broker.

Modes, each measured in the same run against the same broker and topic:

- ``bare producer``: an aiokafka producer loop (``make_producer(settings, linger_ms=2)``, as the
  publisher builds it: acks=all, idempotent) sending the records the service would send
  (``raw_record``: same value bytes, key and headers), with as many records in flight as the
  batch mode has. The ceiling: what the broker client can do in one Python process.
- ``batch POST``: ``/v1/articles:batch`` with JSON arrays of ``--batch-size`` articles.
- ``single POST``: ``/v1/articles``, one article per request, ``--connections`` keep-alive
  connections.

The service runs as a separate process (``python -m services.ingest``), ended by PID at the end.
The load generator is a lean HTTP/1.1 keep-alive client over asyncio streams (on uvloop when
installed). Articles are 2-4 KB plain-text variants of the seed article with distinct URLs.
Broker: ``KAFKA_BOOTSTRAP_SERVERS`` if set, else a private local broker on free ports, stopped
at the end. Writes ``bench/results/ingest.json``.

    .venv/bin/python -m bench.ingest [--quick] [--profile] [--no-variants]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import cProfile
import dataclasses
import functools
import io
import pstats
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from bench.common import (
    DATA_DIR,
    ROOT,
    Deadline,
    Summary,
    command_line,
    free_port,
    process_cpu_s,
    ratio,
    read_response,
    self_cpu_s,
    table,
    write_result,
)
from services.core.headers import TraceContext
from services.core.kafka import admin_client, ensure_topics, make_producer
from services.core.records import OutgoingRecord
from services.core.service import topic_specs
from services.core.settings import Settings
from services.core.topics import Topics
from services.ingest.articles import to_raw_article
from services.ingest.publisher import raw_record, received_now
from services.ingest.requests import ArticleIn
from services.tools import localkafka
from services.tools.processes import ServiceProcess

GOAL_SINGLE_ARTICLES_S = 1000.0
GOAL_BATCH_RATIO = 0.5
RUN_BOUND_S = 175.0
READY_TIMEOUT_S = 60.0
MAX_REQUESTS_PER_PHASE = 200_000
MARK = b"QQQQQQQQQ"  # fixed-width slot for the article number in the request templates
HOST = "127.0.0.1"

# --- articles ---------------------------------------------------------------------------------


def article_variants(count: int) -> list[dict[str, str]]:
    """``count`` plain-text articles of 2-4 KB built from the seed article, each with a slot for
    a unique number (in its URL and its text, so every article gets its own id)."""
    seed = (DATA_DIR / "seed-article.txt").read_text()
    blocks = [b for b in seed.split("\n\n") if b.strip()]
    head, body = blocks[:3], blocks[3:]
    variants = []
    for k in range(count):
        rotated = body[k % len(body) :] + body[: k % len(body)]
        kept = [b for i, b in enumerate(rotated) if i != k % 7]  # drop one paragraph
        marker = MARK.decode()
        text = "\n\n".join([*head, *kept, f"Bench reference {marker}, variant {k}."])
        variants.append(
            {
                "url": f"https://news.example.com/bench/{k}/{marker}",
                "source": "bench-wire",
                "content": text,
                "content_type": "text/plain",
            }
        )
    return variants


def number(n: int) -> bytes:
    return b"%09d" % (n % 1_000_000_000)


@dataclass(frozen=True, slots=True)
class Template:
    """A request with slots for article numbers: fixed length, so Content-Length is fixed."""

    parts: tuple[bytes, ...]

    def fill(self, first: int, per_item: int) -> bytes:
        out = [self.parts[0]]
        for i, part in enumerate(self.parts[1:]):
            out.append(number(first + i // per_item))
            out.append(part)
        return b"".join(out)


def request_template(path: str, port: int, body: bytes) -> Template:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return Template(tuple((head + body).split(MARK)))


def single_templates(port: int, variants: list[dict[str, str]]) -> list[Template]:
    return [request_template("/v1/articles", port, orjson.dumps(v)) for v in variants]


def batch_template(port: int, variants: list[dict[str, str]], size: int) -> Template:
    items = [variants[i % len(variants)] for i in range(size)]
    return request_template("/v1/articles:batch", port, orjson.dumps(items))


def bare_records(
    topic: str, variants: list[dict[str, str]], count: int, run: str
) -> list[OutgoingRecord]:
    """The records the service would publish for ``count`` articles (built as it builds them)."""
    trace = TraceContext.new()
    records = []
    for n in range(count):
        item = orjson.loads(orjson.dumps(variants[n % len(variants)]).replace(MARK, number(n)))
        item["url"] = item["url"].replace("/bench/", f"/bench-{run}/")
        raw = to_raw_article(ArticleIn.model_validate(item), received_now())
        records.append(raw_record(topic, raw, trace.child()))
    return records


# --- measurement ------------------------------------------------------------------------------


@dataclass
class Window:
    """Articles acknowledged inside the measurement window, and the latencies seen there."""

    starts_at: float
    ends_at: float
    articles: int = 0
    requests: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    latencies: list[float] = field(default_factory=list)

    def record(self, begun: float, done: float, articles: int, error: str | None) -> None:
        if not self.starts_at <= done <= self.ends_at:
            return
        self.requests += 1
        self.articles += articles
        if error:
            self.errors[error] += 1
        if len(self.latencies) < 100_000:
            self.latencies.append(done - begun)

    def rate(self) -> float:
        return self.articles / (self.ends_at - self.starts_at)

    def latency_ms(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def http_worker(
    port: int,
    make: Callable[[int], tuple[bytes, int]],
    counter: collections.abc.Iterator[int],
    window: Window,
    accepted_of: Callable[[int, bytes, int], int],
) -> None:
    """One keep-alive connection sending requests until the window closes."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.monotonic() < window.ends_at:
            n = next(counter, None)
            if n is None:
                return
            request, items = make(n)
            begun = time.monotonic()
            writer.write(request)
            status, body = await read_response(reader)
            accepted = accepted_of(status, body, items)
            error = None if accepted == items else f"HTTP {status}"
            window.record(begun, time.monotonic(), accepted, error)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


def single_accepted(status: int, _body: bytes, _items: int) -> int:
    return 1 if status == 202 else 0


def batch_accepted(status: int, body: bytes, _items: int) -> int:
    if status != 207:
        return 0
    accepted: int = orjson.loads(body)["accepted"]
    return accepted


@dataclass(frozen=True, slots=True)
class Phase:
    mode: str
    rate: float
    articles: int
    requests: int
    seconds: float
    errors: dict[str, int]
    p50_ms: float
    p99_ms: float
    cpu_ms_per_1k: dict[str, float]


class Cpu:
    """CPU seconds of the processes in play, for a per-article cost."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid}

    def snapshot(self) -> dict[str, float]:
        return {"bench": self_cpu_s()} | {n: process_cpu_s(p) for n, p in self.pids.items()}


async def measured(
    mode: str,
    warmup_s: float,
    measure_s: float,
    cpu: Cpu,
    run: Callable[[Window], Coroutine[Any, Any, None]],
) -> Phase:
    now = time.monotonic()
    window = Window(now + warmup_s, now + warmup_s + measure_s)
    task = asyncio.ensure_future(run(window))
    await asyncio.sleep(max(0.0, window.starts_at - time.monotonic()))
    before = cpu.snapshot()
    await asyncio.sleep(max(0.0, window.ends_at - time.monotonic()))
    after = cpu.snapshot()
    try:
        await asyncio.wait_for(task, 30.0)  # in-flight requests finish (bounded)
    except TimeoutError:
        window.errors["unfinished"] += 1
    thousands = max(window.articles, 1) / 1000
    return Phase(
        mode=mode,
        rate=window.rate(),
        articles=window.articles,
        requests=window.requests,
        seconds=measure_s,
        errors=dict(window.errors),
        p50_ms=window.latency_ms(0.5),
        p99_ms=window.latency_ms(0.99),
        cpu_ms_per_1k={n: 1000 * (after[n] - before[n]) / thousands for n in after},
    )


async def http_load(
    port: int,
    connections: int,
    make: Callable[[int], tuple[bytes, int]],
    accepted_of: Callable[[int, bytes, int], int],
    window: Window,
) -> None:
    counter = iter(range(MAX_REQUESTS_PER_PHASE))
    workers = [http_worker(port, make, counter, window, accepted_of) for _ in range(connections)]
    results = await asyncio.gather(*workers, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            window.errors[type(result).__name__] += 1


async def bare_load(
    settings: Settings, records: list[OutgoingRecord], in_flight: int, window: Window
) -> None:
    """The bare producer loop: send the records (cycling), at most ``in_flight`` unacknowledged."""
    producer = make_producer(settings, linger_ms=2)
    await producer.start()
    pending: collections.deque[tuple[float, asyncio.Future[Any]]] = collections.deque()

    async def settle_oldest() -> None:
        begun, future = pending.popleft()
        try:
            await future
            window.record(begun, time.monotonic(), 1, None)
        except Exception as error:  # a failed send counts as an error, not an article
            window.record(begun, time.monotonic(), 0, type(error).__name__)

    try:
        for n in range(MAX_REQUESTS_PER_PHASE * 10):
            if time.monotonic() >= window.ends_at:
                break
            record = records[n % len(records)]
            future = await producer.send(
                record.topic, record.value, key=record.key, headers=record.headers
            )
            pending.append((time.monotonic(), future))
            if len(pending) >= in_flight:
                await settle_oldest()
        while pending:
            await settle_oldest()
    finally:
        await asyncio.wait_for(producer.stop(), 30.0)


# --- processes --------------------------------------------------------------------------------


@dataclass
class Server(ServiceProcess):
    """A server process of the run (ingest, or a stage on its health port)."""

    @property
    def label(self) -> str:
        return self.name

    @property
    def port(self) -> int:
        """The port it answers ``/readyz`` on (ingest's own port)."""
        return (urlsplit(self.ready_url).port or 0) if self.ready_url else 0

    def loaded(self) -> str:
        """Which event loop and HTTP parser the process has loaded (from its memory map)."""
        try:
            maps = Path(f"/proc/{self.pid}/maps").read_text()
        except OSError:
            return "unknown"
        loop = "uvloop" if "/uvloop/" in maps else "asyncio"
        parser = "httptools" if "/httptools/" in maps else "h11"
        return f"{loop} + {parser} loaded"


def start_server(
    label: str, settings: Settings, prefix: str, workdir: Path, command: list[str]
) -> Server:
    port = free_port()
    told = settings.model_copy(
        update={
            "ingest_port": port,
            "host": HOST,
            "topic_prefix": prefix,
            "kafka_bootstrap_servers": settings.bootstrap_servers,
            "log_level": "WARNING",
            "ingest_api_keys": "",
            "data_dir": workdir,
        }
    )
    log_path = workdir / f"server-{label.replace(' ', '_')}.log"
    return Server.start(
        label,
        told,
        command=command,
        log_path=log_path,
        cwd=ROOT,
        own_group=True,
        ready=f"http://{HOST}:{port}/readyz",
    )


async def wait_ready(server: Server, timeout_s: float = READY_TIMEOUT_S) -> None:
    await server.wait_ready(timeout_s)


def stop_server(server: Server, timeout_s: float = 20.0) -> None:
    """End exactly this server: SIGTERM to its PID, SIGKILL if it has not exited in time."""
    server.stop(timeout_s)


def broker_settings(workdir: Path) -> tuple[Settings, bool]:
    """The broker to use, and whether this run starts (and so stops) it."""
    configured = Settings()
    if configured.uses_external_kafka:
        return configured, False
    settings = Settings(
        kafka_port=free_port(),
        kafka_controller_port=free_port(),
        data_dir=workdir,
        kafka_bootstrap_servers=None,
    )
    return settings, True


async def delete_topics(settings: Settings, names: list[str]) -> None:
    with contextlib.suppress(Exception):
        async with admin_client(settings) as admin:
            await admin.delete_topics(names)


# --- profile ----------------------------------------------------------------------------------

CATEGORIES = (
    ("services/ingest/", "newsflow ingest code"),
    ("services/core/", "newsflow core (headers, models)"),
    ("structlog", "logging (structlog)"),
    ("/logging/", "logging (stdlib)"),
    ("prometheus_client", "prometheus counters"),
    ("pydantic", "pydantic"),
    ("fastapi", "fastapi"),
    ("starlette", "starlette"),
    ("anyio", "anyio (middleware streams)"),
    ("uvicorn", "uvicorn"),
    ("aiokafka", "aiokafka producer"),
    ("kafka/", "aiokafka producer"),
    ("asyncio", "asyncio"),
    ("uuid", "uuid / secrets"),
    ("secrets", "uuid / secrets"),
)


def category(filename: str, caller: str | None) -> str:
    for needle, name in CATEGORIES:
        if needle in filename:
            return name
    if filename == "~" and caller:  # a C call: charge it to its caller's category
        return category(caller, None)
    return "other"


def profile_breakdown(path: Path, top: int = 30) -> tuple[list[list[object]], str]:
    stats = pstats.Stats(str(path))
    raw: Any = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    shares: collections.Counter[str] = collections.Counter()
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, callers) in raw.items():
        caller = max(callers.items(), key=lambda kv: kv[1][2])[0][0] if callers else None
        shares[category(filename, caller)] += tottime
    rows: list[list[object]] = [
        [name, f"{100 * seconds / total:.1f}%"] for name, seconds in shares.most_common()
    ]
    out = io.StringIO()
    pstats.Stats(str(path), stream=out).sort_stats("tottime").print_stats(top)
    focus = io.StringIO()
    watched = (
        "push_article|require_api_key|read_bounded|parse_single|to_raw_article|identify"
        "|raw_record|publish|_proxy_to_logger|model_dump|render|__call__|TimeStamper"
        "|cloudevent_headers|validate_item|inc"
    )
    pstats.Stats(str(path), stream=focus).sort_stats("cumulative").print_stats(watched, 40)
    return rows, out.getvalue() + "\n" + focus.getvalue()


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Config:
    quick: bool
    rounds: int
    warmup_s: float
    measure_s: float
    connections: int
    batch_connections: int
    batch_size: int
    variants: bool
    profile: bool


def server_command(loop: str | None = None, http: str | None = None) -> list[str]:
    if loop is None:
        return [sys.executable, "-m", "services.ingest"]
    return [sys.executable, "-m", "bench.ingest", "serve", "--loop", loop, "--http", str(http)]


async def run_bench(config: Config, workdir: Path) -> dict[str, Any]:  # noqa: PLR0915
    deadline = Deadline(RUN_BOUND_S)
    settings, managed = broker_settings(workdir)
    run = uuid.uuid4().hex[:8]
    prefix = f"bench-{run}."
    settings = settings.model_copy(update={"topic_prefix": prefix})
    broker_pid: int | None = None
    servers: list[Server] = []
    result: dict[str, Any] = {"broker": "external" if not managed else "private local"}
    try:
        if managed:
            print(f"starting a private broker on 127.0.0.1:{settings.kafka_port} ...", flush=True)
            status, took = await asyncio.to_thread(localkafka.start, settings)
            broker_pid = status.pid
            print(f"broker up in {took:.1f}s (pid {broker_pid})")
        topics = Topics(prefix)
        specs = topic_specs(settings, topics)
        await ensure_topics(settings, specs)
        print(f"topics {prefix}* on {settings.bootstrap_servers}, {specs[0].partitions} partitions")

        variants = article_variants(64)
        sizes = [len(v["content"].encode()) for v in variants]
        print(f"articles: {len(variants)} variants, {min(sizes):,}-{max(sizes):,} bytes of text")
        records = bare_records(topics.raw, variants, 4000, run)

        default = start_server(
            "ingest", settings, prefix, workdir, server_command()
        )  # python -m services.ingest
        servers.append(default)
        await wait_ready(default)
        print(f"ingest server: python -m services.ingest, pid {default.pid}, {default.loaded()}")
        result["server_loop"] = default.loaded()

        cpu = Cpu({"server": default.pid, "broker": broker_pid})
        phases: list[Phase] = []
        for round_no in range(config.rounds):
            if deadline.left() < 3 * (config.warmup_s + config.measure_s) + 20:
                print("run bound near: fewer rounds than asked")
                break
            print(f"round {round_no + 1}/{config.rounds} ...", flush=True)
            phases += await one_round(config, settings, default, records, cpu)
        result["phases"] = phases

        variant_phases: list[Phase] = []
        if config.variants and deadline.left() > 2 * (config.warmup_s + config.measure_s) + 40:
            plain = start_server(
                "ingest asyncio+h11", settings, prefix, workdir, server_command("asyncio", "h11")
            )
            servers.append(plain)
            await wait_ready(plain)
            print(f"variant server: pid {plain.pid}, --loop asyncio --http h11", flush=True)
            vcpu = Cpu({"server": plain.pid, "broker": broker_pid})
            variant_phases = await one_round(
                config,
                settings,
                plain,
                records,
                vcpu,
                modes=("batch", "single"),
                tag=" [asyncio+h11]",
            )
            stop_server(plain)
        result["variant_phases"] = variant_phases

        single = Summary(tuple(p.rate for p in phases if p.mode == "single POST"))
        if config.profile or single.median < GOAL_SINGLE_ARTICLES_S:
            mode = "single" if single.median < GOAL_SINGLE_ARTICLES_S else "batch"
            if deadline.left() > config.measure_s + 40:
                result["profile"] = await profile_server(
                    config, settings, prefix, workdir, servers, mode
                )
            else:
                print("run bound near: skipping the profile")
    finally:
        for server in servers:
            stop_server(server)
        if managed:
            await asyncio.to_thread(localkafka.stop, settings)
        else:
            await delete_topics(
                settings, [spec.name for spec in topic_specs(settings, Topics(prefix))]
            )
    return result


async def one_round(  # noqa: PLR0917
    config: Config,
    settings: Settings,
    server: Server,
    records: list[OutgoingRecord],
    cpu: Cpu,
    modes: Sequence[str] = ("bare", "batch", "single"),
    tag: str = "",
) -> list[Phase]:
    variants = article_variants(64)
    singles = single_templates(server.port, variants)
    batch = batch_template(server.port, variants, config.batch_size)
    size = config.batch_size
    base = int(time.time() * 1000) % 100_000_000 * 1000  # distinct numbers across rounds
    phases = []
    for mode in modes:
        if mode == "bare":
            in_flight = config.batch_connections * size
            phase = await measured(
                "bare producer",
                config.warmup_s,
                config.measure_s,
                cpu,
                functools.partial(bare_load, settings, records, in_flight),
            )
        elif mode == "batch":
            phase = await measured(
                f"batch POST{tag}",
                config.warmup_s,
                config.measure_s,
                cpu,
                lambda w: http_load(
                    server.port,
                    config.batch_connections,
                    lambda n: (batch.fill(base + n * size, 1), size),
                    batch_accepted,
                    w,
                ),
            )
        else:
            phase = await measured(
                f"single POST{tag}",
                config.warmup_s,
                config.measure_s,
                cpu,
                lambda w: http_load(
                    server.port,
                    config.connections,
                    lambda n: (singles[n % len(singles)].fill(base + n, 2), 1),
                    single_accepted,
                    w,
                ),
            )
        print(f"  {phase.mode:<28} {phase.rate:>9,.0f} articles/s", flush=True)
        phases.append(phase)
    return phases


async def profile_server(  # noqa: PLR0917
    config: Config,
    settings: Settings,
    prefix: str,
    workdir: Path,
    servers: list[Server],
    mode: str,
) -> dict[str, Any]:
    """Single or batch POSTs against the service under cProfile (a separate process, as
    deployed): single POSTs when they miss their goal, else batches."""
    path = workdir / "ingest.prof"
    command = [sys.executable, "-m", "bench.ingest", "serve", "--profile", str(path)]
    server = start_server("ingest profiled", settings, prefix, workdir, command)
    servers.append(server)
    await wait_ready(server)
    print(f"profiling the service under load (pid {server.pid}, {server.loaded()}) ...", flush=True)
    cpu = Cpu({"server": server.pid})
    variants = article_variants(64)
    singles = single_templates(server.port, variants)
    batch = batch_template(server.port, variants, config.batch_size)
    size = config.batch_size
    base = int(time.time() * 1000) % 100_000_000 * 1000 + 500_000
    if mode == "single":
        load = functools.partial(
            http_load,
            server.port,
            config.connections,
            lambda n: (singles[n % len(singles)].fill(base + n, 2), 1),
            single_accepted,
        )
    else:
        load = functools.partial(
            http_load,
            server.port,
            config.batch_connections,
            lambda n: (batch.fill(base + n * size, 1), size),
            batch_accepted,
        )
    phase = await measured(f"{mode} POST (profiled)", config.warmup_s, config.measure_s, cpu, load)
    stop_server(server)
    if not path.exists():
        return {"error": f"no profile written; see {server.log_path}"}
    rows, text = profile_breakdown(path)
    return {"phase": phase, "categories": rows, "text": text}


def report(config: Config, result: dict[str, Any]) -> dict[str, Any]:
    phases: list[Phase] = result.get("phases", [])
    by_mode: dict[str, Summary] = {}
    for mode in dict.fromkeys(p.mode for p in phases):
        by_mode[mode] = Summary(tuple(p.rate for p in phases if p.mode == mode))
    bare = by_mode.get("bare producer", Summary(()))
    rows = []
    for mode, summary in by_mode.items():
        last = [p for p in phases if p.mode == mode][-1]
        rows.append(row(mode, summary, bare, last))
    for phase in result.get("variant_phases", []):
        rows.append(row(phase.mode, Summary((phase.rate,)), bare, phase))
    print()
    print(
        f"articles/s, {len(phases) // 3} round(s) of {config.measure_s:.0f}s per mode"
        f" after {config.warmup_s:.0f}s warm-up; server {result.get('server_loop')};"
        f" broker {result.get('broker')}"
    )
    headers = ["mode", "best", "median", "x bare (best)", "x bare (med)", "p50 ms", "p99 ms"]
    headers += ["server cpu ms/1k", "bench cpu ms/1k", "broker cpu ms/1k", "errors"]
    print(table(headers, rows))
    batch = by_mode.get("batch POST", Summary(()))
    single = by_mode.get("single POST", Summary(()))
    goals = {
        "batch_vs_bare": {
            "goal": GOAL_BATCH_RATIO,
            "ratio_best": ratio(batch.best, bare.best),
            "ratio_median": ratio(batch.median, bare.median),
        },
        "single_articles_s": {
            "goal": GOAL_SINGLE_ARTICLES_S,
            "best": single.best,
            "median": single.median,
        },
    }
    goals["batch_vs_bare"]["met"] = goals["batch_vs_bare"]["ratio_median"] >= GOAL_BATCH_RATIO
    goals["single_articles_s"]["met"] = single.median >= GOAL_SINGLE_ARTICLES_S
    print()
    print(
        f"goal batch >= {GOAL_BATCH_RATIO}x bare producer: median"
        f" {goals['batch_vs_bare']['ratio_median']:.2f}x"
        f" -> {'MET' if goals['batch_vs_bare']['met'] else 'NOT MET'}"
    )
    print(
        f"goal single POST >= {GOAL_SINGLE_ARTICLES_S:,.0f} articles/s: median"
        f" {single.median:,.0f} -> {'MET' if goals['single_articles_s']['met'] else 'NOT MET'}"
    )
    profile = result.get("profile")
    if profile and "categories" in profile:
        phase = profile["phase"]
        print(
            f"\nprofiled service (cProfile, {phase.rate:,.0f} articles/s under the profiler,"
            f" server cpu {phase.cpu_ms_per_1k.get('server', 0):,.0f} ms/1k):"
            " own time by component (C calls charged to their caller)"
        )
        print(table(["component", "share of server CPU"], profile["categories"]))
        print("\n" + profile["text"])
    elif profile:
        print(f"\nprofile: {profile.get('error')}")
    return {
        "config": config.__dict__,
        "broker": result.get("broker"),
        "server_loop": result.get("server_loop"),
        "articles_per_s": {mode: s.as_dict() for mode, s in by_mode.items()},
        "phases": [dataclasses.asdict(p) for p in phases],
        "variant_phases": [dataclasses.asdict(p) for p in result.get("variant_phases", [])],
        "goals": goals,
        "profile": (
            {"categories": profile["categories"], "phase": dataclasses.asdict(profile["phase"])}
            if profile and "categories" in profile
            else profile
        ),
    }


def row(mode: str, summary: Summary, bare: Summary, last: Phase) -> list[object]:
    cpu = last.cpu_ms_per_1k
    return [
        mode,
        summary.best,
        summary.median,
        f"{ratio(summary.best, bare.best):.2f}x",
        f"{ratio(summary.median, bare.median):.2f}x",
        f"{last.p50_ms:.1f}",
        f"{last.p99_ms:.1f}",
        f"{cpu.get('server', 0.0):,.0f}" if "bare" not in mode else "-",
        f"{cpu.get('bench', 0.0):,.0f}",
        f"{cpu.get('broker', 0.0):,.0f}" if "broker" in cpu else "-",
        ", ".join(f"{k}: {v}" for k, v in last.errors.items()) or "0",
    ]


def serve(argv: Sequence[str]) -> None:
    """``python -m bench.ingest serve``: the ingest service with a chosen loop and HTTP
    parser, or under cProfile (stats written at shutdown); as ``python -m services.ingest``."""
    import uvicorn

    from services.core.logs import configure_logging
    from services.ingest.app import create_app

    parser = argparse.ArgumentParser(prog="bench.ingest serve")
    parser.add_argument("--loop", default="auto")
    parser.add_argument("--http", default="auto")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format, service="ingest")

    def run() -> None:
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.ingest_port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=10,
            loop=args.loop,
            http=args.http,
        )

    if args.profile is None:
        run()
        return
    # uvicorn re-raises the SIGTERM it caught once it has shut down: ignore that one, so the
    # stats below still get written.
    signal.signal(signal.SIGTERM, lambda *_: None)
    profiler = cProfile.Profile()
    try:
        profiler.runcall(run)
    finally:
        profiler.dump_stats(str(args.profile))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        serve(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round, short phases (~1 min)")
    parser.add_argument("--rounds", type=int, help="rounds of (bare, batch, single); default 2")
    parser.add_argument("--seconds", type=float, help="measured seconds per phase (default 10)")
    parser.add_argument("--connections", type=int, default=64, help="single-POST connections")
    parser.add_argument("--batch-connections", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--no-variants", action="store_true", help="skip the asyncio+h11 server comparison"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the service even if the goal is met"
    )
    args = parser.parse_args(argv)
    config = Config(
        quick=args.quick,
        rounds=max(1, min(args.rounds or (1 if args.quick else 2), 5)),
        warmup_s=1.5 if args.quick else 2.0,
        measure_s=max(1.0, min(args.seconds or (5.0 if args.quick else 10.0), 30.0)),
        connections=max(1, min(args.connections, 512)),
        batch_connections=max(1, min(args.batch_connections, 64)),
        batch_size=max(1, min(args.batch_size, 1000)),
        variants=not (args.no_variants or args.quick),
        profile=args.profile,
    )
    print(f"command: {command_line()}")
    with tempfile.TemporaryDirectory(prefix="newsflow-bench-") as tmp:
        result = loop_runner()(run_bench(config, Path(tmp)))
        data = report(config, result)
    path = write_result("ingest", data)
    print(f"\nresult: {path.relative_to(ROOT)}")
    return 0


def loop_runner() -> Callable[[Coroutine[Any, Any, dict[str, Any]]], dict[str, Any]]:
    """Run on uvloop when installed (as the service does), else on asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run

    def run(coroutine: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(coroutine)

    return run


if __name__ == "__main__":
    raise SystemExit(main())
