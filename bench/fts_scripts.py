"""Full-text index for scripts written without spaces: three ways to find a word inside a run.

Run: ``.venv/bin/python bench/fts_scripts.py [--articles 4000] [--chars 1500]``.

Generated Japanese-like articles (``--chars`` characters each: two- and three-kanji words drawn
from a Zipf vocabulary, joined by hiragana particles, with commas and full stops) are indexed
three ways, each in a fresh database, in transactions of 200:

* characters — the store's way (schema 5, :func:`services.store.fulltext.index_text`): every
  character a ``unicode61`` token, a word looked up as the phrase of its characters;
* bigrams — every pair of neighbouring characters a token (a run's last character alone), a
  word looked up as the phrase of its pairs (a one-character word as a prefix);
* trigram — FTS5's ``trigram`` tokenizer over the text as it is; a word shorter than three
  characters cannot be matched through the index (FTS5 answers no rows), so it is looked for
  with ``instr`` over every stored text, as a trigram design would have to.

Measured: CPU µs an article to index, the database size after ``VACUUM``, and the mean time of
30 lookups of one-, two- and three-character words (``count(*)`` of the matches).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import table, write_result  # noqa: E402
from services.store.fulltext import index_text  # noqa: E402

_RUN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")
UNICODE61 = "unicode61 remove_diacritics 2"


def corpus(count: int, chars: int, rnd: random.Random) -> tuple[list[str], dict[int, list[str]]]:
    """``count`` articles, and 30 words each of one, two and three characters to look up."""
    particles = [chr(c) for c in range(0x3041, 0x3069)]
    kanji = [chr(0x4E00 + rnd.randrange(0, 20_000)) for _ in range(3_000)]
    words = ["".join(rnd.choices(kanji[:1_500], k=rnd.choice((2, 2, 3)))) for _ in range(8_000)]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    texts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(map(len, parts)) < chars:
            parts.append(rnd.choices(words, weights)[0])
            parts.append("".join(rnd.choices(particles, k=rnd.randrange(1, 4))))
            parts.append("、" if rnd.random() < 0.1 else "。" if rnd.random() < 0.05 else "")
        texts.append("".join(parts))
    lookups = {
        1: [rnd.choice(kanji[:300]) for _ in range(30)],
        2: [w for w in words[:400] if len(w) == 2][:30],
        3: [w for w in words[:2_000] if len(w) == 3][:30],
    }
    return texts, lookups


def bigrams(text: str) -> str:
    def pairs(run: re.Match[str]) -> str:
        chars = run.group()
        return " " + " ".join(chars[i : i + 2] for i in range(len(chars))) + " "

    return _RUN.sub(pairs, text)


def bigram_query(word: str) -> str:
    if len(word) == 1:
        return f'"{word}"*'
    return '"' + " ".join(word[i : i + 2] for i in range(len(word) - 1)) + '"'


CONTENDERS: dict[str, tuple[str, Callable[[str], str], Callable[[str], str] | None]] = {
    "characters (newsflow)": (UNICODE61, index_text, lambda w: f'"{index_text(w).strip()}"'),
    "bigrams": (UNICODE61, bigrams, bigram_query),
    "trigram": ("trigram", lambda text: text, None),
}


def lookup(conn: sqlite3.Connection, word: str, query: Callable[[str], str] | None) -> int:
    if query is not None:
        sql, param = "SELECT count(*) FROM f WHERE f MATCH ?", query(word)
    elif len(word) >= 3:
        sql, param = "SELECT count(*) FROM f WHERE f MATCH ?", f'"{word}"'
    else:
        sql, param = "SELECT count(*) FROM f WHERE instr(body, ?) > 0", word
    return int(conn.execute(sql, (param,)).fetchone()[0])


def measure(
    path: Path, name: str, texts: list[str], lookups: dict[int, list[str]]
) -> dict[str, Any]:
    tokenizer, indexed, query = CONTENDERS[name]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"CREATE VIRTUAL TABLE f USING fts5 (body, tokenize = '{tokenizer}')")
        started = time.process_time()
        for first in range(0, len(texts), 200):
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO f (body) VALUES (?)",
                [(indexed(t),) for t in texts[first : first + 200]],
            )
            conn.execute("COMMIT")
        cpu_us = (time.process_time() - started) / len(texts) * 1e6
        conn.execute("VACUUM")
        found: dict[str, Any] = {"index_cpu_us_per_article": cpu_us}
        for length, words in lookups.items():
            began = time.perf_counter()
            hits = sum(lookup(conn, word, query) for word in words)
            found[f"{length}ch"] = {
                "ms": (time.perf_counter() - began) / len(words) * 1e3,
                "hits": hits,
            }
    finally:
        conn.close()
    found["size_mib"] = os.path.getsize(path) / 2**20
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4_000)
    parser.add_argument("--chars", type=int, default=1_500)
    args = parser.parse_args(argv)
    if args.articles < 1 or args.chars < 10:
        parser.error("--articles must be at least 1 and --chars at least 10")
    texts, lookups = corpus(args.articles, args.chars, random.Random(7))
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="newsflow-fts-scripts-") as tmp:
        for n, name in enumerate(CONTENDERS):
            results[name] = measure(Path(tmp) / f"{n}.db", name, texts, lookups)
    print(f"\n{args.articles:,} generated Japanese articles of ~{args.chars:,} characters")
    print(table(
        ["index", "CPU µs/article", "size MiB", "1-char word ms (hits)", "2-char", "3-char"],
        [
            [name, r["index_cpu_us_per_article"], f"{r['size_mib']:.1f}",
             *(f"{r[k]['ms']:.2f} ({r[k]['hits']:,})" for k in ("1ch", "2ch", "3ch"))]
            for name, r in results.items()
        ],
    ))  # fmt: skip
    path = write_result("fts_scripts", {**vars(args), "results": results})
    print(f"results: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
