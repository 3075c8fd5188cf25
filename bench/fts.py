"""Full-text index benchmark: how the store enters articles in its FTS5 index, and what it costs.

Run: ``.venv/bin/python bench/fts.py [--articles 60000] [--batch 430] [--small 6000]``.

Every contender gets the same rows, e2e-sized (the plain-text dev set's texts, 4.7 KB on
average, as ``bench.e2e`` pushes them), in fresh databases with the store's pragmas:

* newsflow — the store's schema and writes (every migration): each write inserts its rows,
  then their full-text entries in one ``executemany`` (``services.store.sqlite.repository``), so
  a write's terms become one FTS5 segment; ``automerge`` 16, ``crisismerge`` 64; the entries'
  indexed text (schema 5: CJK and Thai characters cut apart) is computed inside the timed write;
* writer, schema 4 — the same writes before schema 5: the rows' title and body as they are;
* by trigger (schema 3) — the store before schema 4: the rows' insert trigger enters each in the
  index, and FTS5 writes one segment per article; the same merge settings;
* writer, FTS5 merges — the store's writes with FTS5's merge settings (``automerge`` 4,
  ``crisismerge`` 16): what the settings of schema 3 still do;
* FTS5 defaults — by trigger, FTS5's merge settings (the schema before either change): the
  baseline.

Two measures, both in one SQLite connection on one thread:

* bulk — ``--articles`` rows in transactions of ``--batch`` (the size a stage's partition
  batch has at full throughput), CPU microseconds an article per 20,000 stored;
* small writes — then ``--small`` more rows, three a transaction (a partition's batch at 200
  articles/s), the time each write takes: p50, p99, max.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import DATA_DIR, table, write_result  # noqa: E402
from bench.store import Corpus  # noqa: E402
from services.core import ndjson  # noqa: E402
from services.core.migration import Migration  # noqa: E402
from services.store.fulltext import index_text  # noqa: E402
from services.store.rows import ARTICLE_COLUMNS, Row, article_row  # noqa: E402
from services.store.sqlite.database import (  # noqa: E402
    INDEX_TEXT_FUNCTION,
    MIGRATIONS,
    writer_pragmas,
)
from services.store.sqlite.repository import (  # noqa: E402
    INDEX_ARTICLE,
    INSERT_ARTICLE,
    INSERT_INDEXED_TEXT,
    index_entries,
    numbered,
)

STEP = 20_000
WRITER_ONLY = Migration(3, "the writer indexes", MIGRATIONS[3].statements)


@dataclass(frozen=True)
class Contender:
    migrations: Sequence[Migration]
    writer_indexes: bool  # the write enters its rows in the index (else the insert trigger)
    indexed_text: bool = False  # the writer enters the indexed text (schema 5), else the rows'


CONTENDERS = {
    "newsflow": Contender(MIGRATIONS, writer_indexes=True, indexed_text=True),
    "writer, schema 4": Contender(MIGRATIONS[:4], writer_indexes=True),
    "by trigger (schema 3)": Contender(MIGRATIONS[:3], writer_indexes=False),
    "writer, FTS5 merges": Contender((*MIGRATIONS[:2], WRITER_ONLY), writer_indexes=True),
    "FTS5 defaults": Contender(MIGRATIONS[:2], writer_indexes=False),
}
TITLE, BODY = ARTICLE_COLUMNS.index("title"), ARTICLE_COLUMNS.index("body")


def rows(count: int) -> list[Row]:
    """Generated rows with the dev set's texts as bodies, each title made unique."""
    lines = ndjson.records((DATA_DIR / "plaintext" / "plaintext-dev.jsonl").read_text("utf-8"))
    texts = [json.loads(line.text)["text"] for line in lines]
    corpus = Corpus()
    made = []
    for n in range(count):
        row = list(article_row(corpus.article(n)))
        row[TITLE] = f"{row[TITLE]} ({n})"
        row[BODY] = texts[n % len(texts)]
        made.append(tuple(row))
    return made


def write(
    conn: sqlite3.Connection, contender: Contender, data: list[Row], first: int, end: int
) -> None:
    """One write transaction: rows ``first`` to ``end``, as the contender writes them."""
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(INSERT_ARTICLE, data[first:end])
    if contender.writer_indexes and not contender.indexed_text:
        raw = [(row[0], row[TITLE + 1], row[BODY + 1]) for row in data[first:end]]
        conn.executemany(INDEX_ARTICLE, raw)
    elif contender.writer_indexes:
        index = index_entries(data[first:end])
        if index.texts:
            conn.executemany(INSERT_INDEXED_TEXT, index.texts)
        conn.executemany(INDEX_ARTICLE, index.entries)
    conn.execute("COMMIT")


def measure(
    path: Path, contender: Contender, data: list[Row], bulk: int, batch: int
) -> dict[str, Any]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in writer_pragmas():
            conn.execute(pragma)
        conn.create_function(INDEX_TEXT_FUNCTION, 1, index_text, deterministic=True)
        for migration in contender.migrations:
            for statement in migration.statements:
                conn.execute(statement)
        per_step: list[float] = []
        started = time.process_time()
        for first in range(0, bulk, batch):
            done = min(first + batch, bulk)
            write(conn, contender, data, first, done)
            if done // STEP > first // STEP or done == bulk:
                stored = done - len(per_step) * STEP
                per_step.append((time.process_time() - started) / stored * 1e6)
                started = time.process_time()
        writes: list[float] = []
        for first in range(bulk, len(data), 3):
            began = time.perf_counter()
            write(conn, contender, data, first, first + 3)
            writes.append((time.perf_counter() - began) * 1000)
    finally:
        conn.close()
    writes.sort()
    return {
        "bulk_cpu_us_per_article_per_20k": per_step,
        "bulk_cpu_us_per_article": sum(per_step) / len(per_step),
        "small_write_ms": {
            "p50": writes[len(writes) // 2],
            "p99": writes[int(len(writes) * 0.99)],
            "max": writes[-1],
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60_000)
    parser.add_argument("--batch", type=int, default=430)
    parser.add_argument("--small", type=int, default=6_000)
    args = parser.parse_args(argv)
    for name, value in (("--articles", args.articles), ("--batch", args.batch)):
        if value < 1:
            parser.error(f"{name} must be at least 1, got {value}")
    if args.small < 3:
        parser.error(f"--small must be at least 3, got {args.small}")
    data = numbered(rows(args.articles + args.small), 1)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="newsflow-fts-") as tmp:
        for name, contender in CONTENDERS.items():
            path = Path(tmp) / f"{len(results)}.db"
            results[name] = measure(path, contender, data, args.articles, args.batch)
    print(f"\n{args.articles:,} articles in transactions of {args.batch}, then {args.small:,} "
          "three at a time")  # fmt: skip
    print(table(
        ["contender", "bulk CPU µs/article", "per 20k stored", "small write p50 / p99 / max ms"],
        [
            [name, r["bulk_cpu_us_per_article"],
             " ".join(f"{v:.0f}" for v in r["bulk_cpu_us_per_article_per_20k"]),
             "{p50:.2f} / {p99:.1f} / {max:.1f}".format(**r["small_write_ms"])]
            for name, r in results.items()
        ],
    ))  # fmt: skip
    ours = results["newsflow"]["bulk_cpu_us_per_article"]
    ratios = {name: ours / r["bulk_cpu_us_per_article"] for name, r in results.items()}
    for name in ("writer, schema 4", "by trigger (schema 3)", "FTS5 defaults"):
        print(f"bulk CPU per article = {ratios[name]:.2f}x {name}")
    summary = {"articles": args.articles, "batch": args.batch, "small": args.small}
    path = write_result("fts", {**summary, "results": results, "ratio": ratios["FTS5 defaults"],
                                "ratios": ratios})  # fmt: skip
    print(f"results: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
