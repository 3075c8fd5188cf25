"""The parser's memory: RSS and peak RSS (VmHWM) after each step of the e2e bench's workload.

Each run is a fresh process that does what the parser service does, without the broker: it
imports the service's modules, warms up (:func:`services.parser.parse.warm_up`), then feeds the
e2e bench's two phases (``bench.e2e``: its plain-text articles, then its mix of plain text,
extraction-dev HTML pages and structured JSON) to the stage's own handler as the runner would:
fetches of ``consumer_batch_size`` records over three partitions, each partition's share cut in
transactions of ``transaction_max_bytes``, the partitions handled side by side (one worker
thread each). The records are built in this process (as ingest encodes them) and read by the
run one fetch at a time, so it holds no more of them than the service does. A baseline run in
the same sitting imports only trafilatura and numpy.

    .venv/bin/python -m bench.parser_memory [--quick] [--articles N] [--mix N] [--repeats N]
"""

from __future__ import annotations

import argparse
import asyncio
import pickle
import statistics
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.common import ROOT, command_line, table, write_result

PARTITIONS = 3
MARK = "parser-memory"  # starts the lines a run reports on (its logs go to stdout too)
GOAL_PEAK_MB = 430.0  # the service's ceiling is 512 MB (issue #22): this leaves the margin


def memory_mb() -> tuple[float, float]:
    """This process's resident set and its peak so far, in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def report(step: str) -> None:
    rss, peak = memory_mb()
    print(f"{MARK}\t{step}\t{rss:.1f}\t{peak:.1f}", flush=True)


# ---------------------------------------------------------------- the records (parent side)


def write_fetches(path: Path, articles: int, mix: int, batch: int) -> None:
    """The e2e bench's two phases as raw-article records, pickled one fetch at a time."""
    from bench.e2e import html_pages, mixed_article, plain_article, plain_texts
    from services.ingest.articles import to_raw_article
    from services.ingest.publisher import received_now
    from services.ingest.requests import ArticleIn

    texts, html, now = plain_texts(), html_pages(), received_now()
    phases = {
        "plain": [plain_article(n, texts) for n in range(articles)],
        "mix": [mixed_article(n, texts, html) for n in range(articles, articles + mix)],
    }
    with path.open("wb") as out:
        for phase, items in phases.items():
            for start in range(0, len(items), batch):
                raw = [to_raw_article(ArticleIn(**a), now) for a in items[start : start + batch]]
                fetch = [(zlib.crc32(r.id.encode()) % PARTITIONS, r.id, r.value) for r in raw]
                pickle.dump((phase, fetch), out)
            pickle.dump((phase, None), out)  # the phase's end


# ---------------------------------------------------------------- one run (child side)


def read_fetches(path: Path) -> Iterator[tuple[str, list[tuple[int, str, bytes]] | None]]:
    """Each phase's fetches, then its name with None (read one at a time, as they come)."""
    with path.open("rb") as source:
        while True:
            try:
                yield pickle.load(source)
            except EOFError:
                return


async def handle_fetch(
    handle: Any, fetch: Sequence[tuple[int, str, bytes]], topic: str, transaction_bytes: int
) -> None:
    """One fetch as the runner handles it: its partitions side by side, each in transactions."""
    from services.core.records import ConsumedRecord
    from services.core.runner import by_size

    async def partition(number: int) -> None:
        records = [
            ConsumedRecord(topic, number, offset, key.encode(), value)
            for offset, (at, key, value) in enumerate(fetch)
            if at == number
        ]
        for part in by_size(records, transaction_bytes):
            await handle(part)

    await asyncio.gather(*(partition(number) for number in range(PARTITIONS)))


def run_parser(path: Path) -> None:
    report("start")
    import services.core.service  # what ``python -m services.parser`` imports
    import services.parser.handler  # noqa: F401

    report("import")
    asyncio.run(feed(path))


async def feed(path: Path) -> None:
    """The parser stage started as the service starts it (its warm-up included), then the
    fetches through its handler on one event loop (its worker threads kept, as in the service),
    with a report at the end of each step."""
    from services.core.settings import Settings
    from services.core.topics import Topics
    from services.parser.handler import parser_stage

    settings = Settings()
    topics = Topics(settings.topic_prefix)
    async with parser_stage(settings, topics) as stage:
        report("warm_up")
        for phase, fetch in read_fetches(path):
            if fetch is None:
                report(phase)
            else:
                await handle_fetch(stage.handler, fetch, topics.raw, settings.transaction_max_bytes)
            del fetch  # as the runner drops a fetch once handled, before it fetches again


def run_baseline() -> None:
    report("start")
    import numpy  # noqa: F401
    import trafilatura  # noqa: F401

    report("import")


# ---------------------------------------------------------------- the runs (parent side)


def child(kind: str, path: Path) -> dict[str, tuple[float, float]]:
    command = [sys.executable, "-m", "bench.parser_memory", "--child", kind, "--records", str(path)]
    done = subprocess.run(command, check=False, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{kind} run failed ({done.returncode}):\n{done.stderr}")
    out = done.stdout
    steps = {}
    for line in out.splitlines():
        mark, step, rss, peak = [*line.split("\t", 3), "", "", ""][:4]
        if mark == MARK:
            steps[step] = (float(rss), float(peak))
    return steps


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run of 1,000 + 1,000 articles")
    parser.add_argument("--articles", type=int, default=3000, help="plain-text phase")
    parser.add_argument("--mix", type=int, default=3000, help="mix phase")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", choices=("parser", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--records", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "parser":
        run_parser(args.records)
        return
    if args.child == "baseline":
        run_baseline()
        return
    if args.quick:
        args.articles, args.mix, args.repeats = 1000, 1000, 1
    from services.core.settings import Settings

    runs: list[dict[str, tuple[float, float]]] = []
    baselines: list[dict[str, tuple[float, float]]] = []
    with tempfile.TemporaryDirectory(prefix="parser-memory-") as workdir:
        path = Path(workdir) / "fetches.pickle"
        write_fetches(path, args.articles, args.mix, Settings().consumer_batch_size)
        for _ in range(args.repeats):
            baselines.append(child("baseline", path))
            runs.append(child("parser", path))
    rows = [[f"baseline: {step}", *medians(baselines, step)] for step in baselines[0]]
    rows += [[f"parser: {step}", *medians(runs, step)] for step in runs[0]]
    print(f"{command_line()}  ({args.repeats} runs each, medians)")
    print(table(["after", "RSS MB", "peak MB"], rows))
    peak = max(medians(runs, step)[1] for step in runs[0])
    verdict = "met" if peak <= GOAL_PEAK_MB else "NOT met"
    print(f"goal: parser peak <= {GOAL_PEAK_MB:.0f} MB: {peak:.0f} MB -> {verdict}")
    write_result(
        "parser_memory",
        {
            "articles": args.articles,
            "mix": args.mix,
            "repeats": args.repeats,
            "baseline": baselines,
            "parser": runs,
            "parser_peak_mb": peak,
        },
    )


def medians(runs: Sequence[dict[str, tuple[float, float]]], step: str) -> tuple[float, float]:
    return (
        round(statistics.median(run[step][0] for run in runs), 1),
        round(statistics.median(run[step][1] for run in runs), 1),
    )


if __name__ == "__main__":
    main()
