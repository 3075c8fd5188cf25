"""Full-text index benchmark: what the store's FTS5 merge settings cost and save.

Run: ``.venv/bin/python bench/fts.py [--articles 60000] [--batch 430] [--small 6000]``.

Both contenders get the same rows, e2e-sized (the plain-text dev set's texts, 4.7 KB on
average, as ``bench.e2e`` pushes them), in fresh databases with the store's pragmas:

* newsflow — the store's schema (every migration: FTS5 ``automerge`` 16, ``crisismerge`` 64);
* automerge 16 alone — ``crisismerge`` left at 16: why the store raises it too;
* FTS5 defaults — the same schema without the merge settings (``automerge`` 4, ``crisismerge``
  16), the baseline.

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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import DATA_DIR, table, write_result  # noqa: E402
from bench.store import Corpus  # noqa: E402
from services.store.database import MIGRATIONS, Migration  # noqa: E402
from services.store.repository import INSERT_ARTICLE, Row, article_row  # noqa: E402

STEP = 20_000
PRAGMAS = ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -65536")
MERGE_ONLY = Migration(3, "automerge only", MIGRATIONS[2].statements[:1])
CONTENDERS = {
    "newsflow": MIGRATIONS,
    "automerge 16 alone": (*MIGRATIONS[:2], MERGE_ONLY),
    "FTS5 defaults": MIGRATIONS[:2],
}
TITLE, BODY = 5, -2  # positions in an articles row (ARTICLE_COLUMNS order)


def rows(count: int) -> list[Row]:
    """Generated rows with the dev set's texts as bodies, each title made unique."""
    lines = (DATA_DIR / "plaintext" / "plaintext-dev.jsonl").read_text().splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    corpus = Corpus()
    made = []
    for n in range(count):
        row = list(article_row(corpus.article(n)))
        row[TITLE] = f"{row[TITLE]} ({n})"
        row[BODY] = texts[n % len(texts)]
        made.append(tuple(row))
    return made


def measure(
    path: Path, migrations: Sequence[Migration], data: list[Row], bulk: int, batch: int
) -> dict[str, Any]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        for migration in migrations:
            for statement in migration.statements:
                conn.execute(statement)
        per_step: list[float] = []
        started = time.process_time()
        for first in range(0, bulk, batch):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(INSERT_ARTICLE, data[first : first + batch])
            conn.execute("COMMIT")
            done = min(first + batch, bulk)
            if done // STEP > first // STEP or done == bulk:
                stored = done - len(per_step) * STEP
                per_step.append((time.process_time() - started) / stored * 1e6)
                started = time.process_time()
        writes: list[float] = []
        for first in range(bulk, len(data), 3):
            began = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(INSERT_ARTICLE, data[first : first + 3])
            conn.execute("COMMIT")
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
    data = rows(args.articles + args.small)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="newsflow-fts-") as tmp:
        for name, migrations in CONTENDERS.items():
            path = Path(tmp) / f"{len(results)}.db"
            results[name] = measure(path, migrations, data, args.articles, args.batch)
    print(f"\n{args.articles:,} articles in transactions of {args.batch}, then {args.small:,} "
          "three at a time")  # fmt: skip
    print(table(
        ["schema", "bulk CPU µs/article", "per 20k stored", "small write p50 / p99 / max ms"],
        [
            [name, r["bulk_cpu_us_per_article"],
             " ".join(f"{v:.0f}" for v in r["bulk_cpu_us_per_article_per_20k"]),
             "{p50:.2f} / {p99:.1f} / {max:.1f}".format(**r["small_write_ms"])]
            for name, r in results.items()
        ],
    ))  # fmt: skip
    ours, base = results["newsflow"], results["FTS5 defaults"]
    ratio = ours["bulk_cpu_us_per_article"] / base["bulk_cpu_us_per_article"]
    print(f"bulk CPU per article = {ratio:.2f}x FTS5 defaults")
    summary = {"articles": args.articles, "batch": args.batch, "small": args.small}
    path = write_result("fts", {**summary, "results": results, "ratio": ratio})
    print(f"results: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
