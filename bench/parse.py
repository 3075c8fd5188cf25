"""Parser throughput: documents/s through the parser, beside bare trafilatura.

Single process, one core. Plain text: the 60 dev articles and the seed article, parsed as one
batch by ``parse_articles`` (phase by phase over the batch, as the parser service parses each
batch it consumes; the goals are this path's) and one by one by ``parse_article``, each with and
without its quotation phase (``extract_quotes`` swapped for a stub inside the bench only, for
that mode's passes): the ratio is what quotations cost. HTML: the 60 extraction-dev pages
(decompressed up front) through ``parse_article`` and ``extract_html``, beside
``trafilatura.extract`` with the parser's settings (favor_precision, no comments) and with its
defaults, on the same pages in the same run, repeats interleaved (in an order that rotates
between repeats) so drift and cache effects hit every mode alike. Reports best and median of the
repeats and the ratios (documents per second of the process's CPU time); writes
``bench/results/parse.json``.

    .venv/bin/python -m bench.parse [--quick] [--repeats N] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import io
import json
import pstats
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import trafilatura

from bench.common import DATA_DIR, Deadline, Summary, command_line, ratio, table, write_result
from services.core import ndjson
from services.core.models import Quote, RawArticle
from services.parser import html as html_module
from services.parser import parse as parse_module
from services.parser.authorship import page_authors
from services.parser.errors import EmptyArticleError
from services.parser.headline import page_title
from services.parser.html import extract_html
from services.parser.language import SAMPLE_CHARS, _classify, detect_language, opening_sample
from services.parser.metadata import finish, merge, read_metadata, read_trafilatura
from services.parser.outlets import find_cited_outlets
from services.parser.pagedate import Declared, read_page_date
from services.parser.parse import parse_article, parse_articles
from services.parser.plaintext import extract_plaintext
from services.parser.quotes import extract_quotes

GOAL_PLAIN_DOCS_S = 2000.0
GOAL_HTML_RATIO = 0.9
GOAL_QUOTES_RATIO = 0.85  # issue #21: quotations cost at most 15% of plain-text throughput
PLAIN = "plain: parse_articles (batch)"
PLAIN_BARE = "plain: parse_articles (batch) without quotes"
PLAIN_ONE = "plain: parse_article (one by one)"
PLAIN_ONE_BARE = "plain: parse_article (one by one) without quotes"
RUN_BOUND_S = 170.0


@dataclass(frozen=True, slots=True)
class Page:
    key: str
    url: str
    html: str


@dataclass(frozen=True, slots=True)
class Mode:
    name: str
    docs: int  # documents per pass
    run: Callable[[], int]  # one pass; returns the number of documents that failed


def load_plaintext() -> list[str]:
    lines = ndjson.records((DATA_DIR / "plaintext" / "plaintext-dev.jsonl").read_text("utf-8"))
    texts = [json.loads(line.text)["text"] for line in lines]
    return [*texts, (DATA_DIR / "seed-article.txt").read_text()]


def load_pages() -> list[Page]:
    root = DATA_DIR / "extraction-dev"
    truth = json.loads((root / "ground-truth.json").read_text())
    pages = []
    for path in sorted((root / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        pages.append(Page(key, truth.get(key, {}).get("url") or "", html))
    return pages


def raw_article(index: int, content: str, kind: str, url: str | None) -> RawArticle:
    return RawArticle.model_validate(
        {
            "id": f"bench-{index}",
            "id_source": "client",
            "content": content,
            "content_type": kind,
            "url": url or None,
            "received_at": datetime.now(UTC),
        }
    )


def count_failures(items: Sequence[Any], one: Callable[[Any], object]) -> int:
    failed = 0
    for item in items:
        try:
            if one(item) is None:
                failed += 1
        except EmptyArticleError:
            failed += 1
    return failed


@contextlib.contextmanager
def quotes_skipped() -> Iterator[None]:
    """``parse_article`` without its quotation phase, for the time of the block (the bench's
    baseline for what quotations cost; no production switch)."""

    def none(paragraphs: Sequence[str]) -> list[Quote]:
        return []

    name = extract_quotes.__name__  # the name parse_article calls it by, in its module
    setattr(parse_module, name, none)
    try:
        yield
    finally:
        setattr(parse_module, name, extract_quotes)


def parse_without_quotes(plain: list[RawArticle]) -> int:
    with quotes_skipped():
        return count_failures(plain, parse_article)


def parse_batch(plain: list[RawArticle]) -> int:
    """The documents as one batch, phase by phase, as the parser service parses each batch it
    consumes (``parse_articles``); the number that failed."""
    return sum(isinstance(parse, EmptyArticleError) for parse in parse_articles(plain))


def parse_batch_without_quotes(plain: list[RawArticle]) -> int:
    with quotes_skipped():
        return parse_batch(plain)


def build_modes(texts: list[str], pages: list[Page]) -> list[Mode]:
    plain = [raw_article(i, text, "text/plain", None) for i, text in enumerate(texts)]
    html = [raw_article(i, page.html, "text/html", page.url) for i, page in enumerate(pages)]
    return [
        Mode(PLAIN, len(plain), lambda: parse_batch(plain)),
        Mode(PLAIN_BARE, len(plain), lambda: parse_batch_without_quotes(plain)),
        Mode(PLAIN_ONE, len(plain), lambda: count_failures(plain, parse_article)),
        Mode(PLAIN_ONE_BARE, len(plain), lambda: parse_without_quotes(plain)),
        Mode("html: parse_article", len(html), lambda: count_failures(html, parse_article)),
        Mode(
            "html: extract_html only",
            len(pages),
            lambda: count_failures(pages, lambda p: extract_html(p.html, p.url or None)),
        ),
        Mode(
            "html: trafilatura.extract precision",
            len(pages),
            lambda: count_failures(
                pages,
                lambda p: trafilatura.extract(
                    p.html, url=p.url or None, favor_precision=True, include_comments=False
                ),
            ),
        ),
        Mode(
            "html: trafilatura.extract default",
            len(pages),
            lambda: count_failures(pages, lambda p: trafilatura.extract(p.html, url=p.url or None)),
        ),
    ]


def measure(group: Sequence[Mode], passes: int) -> list[tuple[float, int]]:
    """Documents per second of this process's CPU time over ``passes`` passes of each mode of
    ``group``, and the failures seen. The passes of a group alternate (one of each in turn,
    the order flipping every pass), so a change in the machine's load hits its modes alike.
    CPU time, not wall time: the goals are for one core, and on a shared machine the wall
    clock also counts the time other processes hold the core (the parse is single-threaded)."""
    spent = [0.0] * len(group)
    failed = [0] * len(group)
    for done in range(passes):
        for index in range(len(group))[:: -1 if done % 2 else 1]:
            begun = time.process_time()
            failed[index] += group[index].run()
            spent[index] += time.process_time() - begun
    return [(mode.docs * passes / s, f) for mode, s, f in zip(group, spent, failed, strict=True)]


def html_phases(pages: list[Page]) -> dict[str, float]:
    """Seconds per phase of ``extract_html`` (and ``parse_article``'s own part) over all pages,
    by replaying its steps with a timer between them."""
    spent: dict[str, float] = {}

    def add(name: str, since: float) -> float:
        now = time.perf_counter()
        spent[name] = spent.get(name, 0.0) + now - since
        return now

    for page in pages:
        url = page.url or None
        t = time.perf_counter()
        try:
            tree = html_module._parse(page.html)
        except EmptyArticleError:
            continue
        t = add("load_html (parse the page)", t)
        raw = read_metadata(tree, url)
        t = add("read_metadata (JSON-LD, OG, meta, microdata)", t)
        if not (raw.title and raw.site_name):
            raw = merge(raw, read_trafilatura(tree, url, raw))
        t = add("read_trafilatura (title/site)", t)
        meta = finish(raw, url)
        title = page_title(tree, meta.title, raw.site_name, url)
        t = add("page_title (h1)", t)
        declared = Declared(raw.published, raw.modified, title, meta.language)
        read_page_date(tree, url, declared)
        t = add("read_page_date (declared and shown dates, htmldate extensive)", t)
        page_authors(tree, raw.authors, raw.site_name, url)
        t = add("page_authors (bylines)", t)
        dropped = html_module._holds_dropped(tree)
        paragraphs = html_module.trafilatura_body(tree, url)
        t = add("trafilatura_body (fast pass, fallbacks where short)", t)
        paragraphs += html_module._continuation(tree, paragraphs, dropped)
        t = add("_continuation (ad-split chunks)", t)
        paragraphs = html_module.clean_paragraphs(paragraphs, title)
        t = add("finish + clean_paragraphs", t)
        if not meta.language:
            detect_language("\n\n".join(paragraphs))
        find_cited_outlets(paragraphs)
        t = add("parse_article: language + cited outlets", t)
        extract_quotes(paragraphs)
        add("parse_article: quotes (with speakers)", t)
    return spent


def plain_phases(texts: list[str]) -> dict[str, float]:
    """Seconds per phase of ``parse_article`` on plain text over all texts (timed phases, in CPU
    time like the rates: on a shared machine the wall clock swings with the load)."""
    spent: dict[str, float] = {}
    for text in texts:
        t0 = time.process_time()
        extracted = extract_plaintext(text)
        t1 = time.process_time()
        paragraphs = list(extracted.paragraphs)
        if not extracted.language:
            detect_language("\n\n".join(paragraphs))
        t2 = time.process_time()
        find_cited_outlets(paragraphs)
        t3 = time.process_time()
        extract_quotes(paragraphs)
        t4 = time.process_time()
        for name, seconds in (
            ("extract_plaintext", t1 - t0),
            ("detect_language (up to 20,000 chars)", t2 - t1),
            ("find_cited_outlets", t3 - t2),
            ("extract_quotes (with speakers)", t4 - t3),
        ):
            spent[name] = spent.get(name, 0.0) + seconds
    return spent


def language_sample_levers(texts: list[str]) -> list[list[object]]:
    """What the size of detect_language's opening sample costs and changes, on the plain-text
    bodies: each size classifies the opening sample as detect_language does, the text itself
    (<= 20,000 chars) when that is undecided; "same answer" is beside the text itself."""
    bodies = ["\n\n".join(extract_plaintext(text).paragraphs) for text in texts]
    full = [_classify(body[:20_000]) for body in bodies]
    rows: list[list[object]] = []
    for size in (None, 400, SAMPLE_CHARS, 200):
        begun = time.perf_counter()
        answers = [_sampled(body, size) for body in bodies]
        elapsed = time.perf_counter() - begun
        same = sum(a == b for a, b in zip(answers, full, strict=True))
        label = f"opening {size:,} chars" if size else "no sample (<= 20,000 chars)"
        if size == SAMPLE_CHARS:
            label += " (as now)"
        rows.append([label, 1000 * elapsed / len(bodies), f"{same}/{len(bodies)}"])
    return rows


def _sampled(body: str, size: int | None) -> str | None:
    """detect_language with an opening sample of ``size`` characters (None: no sample)."""
    sample = opening_sample(body, size) if size else body
    if len(sample) < len(body):
        code = _classify(sample)
        if code is not None:
            return code
    return _classify(body[:20_000])


def print_phases(title: str, phases: dict[str, float], count: int) -> None:
    total = sum(phases.values()) or 1.0
    print(f"\n{title}")
    print(
        table(
            ["phase", "ms/doc", "share"],
            [
                [name, 1000 * s / count, f"{100 * s / total:.0f}%"]
                for name, s in sorted(phases.items(), key=lambda kv: -kv[1])
            ],
        )
    )


def profile_extract_html(pages: list[Page], top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    count_failures(pages, lambda p: extract_html(p.html, p.url or None))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def diagnose(
    goals: dict[str, dict[str, Any]], texts: list[str], pages: list[Page], *, always: bool
) -> dict[str, Any]:
    """Where the time goes, for each goal not met (or always): timed phases and levers."""
    phases: dict[str, float] = {}
    plain_spent: dict[str, float] = {}
    levers: list[list[object]] = []
    if not (goals["plain_docs_s"]["met"] and goals["quotes_ratio"]["met"]) or always:
        plain_spent = plain_phases(texts * 2)
        print_phases(
            "where parse_article's plain-text time goes (two passes, timed phases):",
            plain_spent,
            2 * len(texts),
        )
        levers = language_sample_levers(texts)
        print("\ndetect_language sample size (cost per doc; same answer as with no sample):")
        print(table(["sample", "ms/doc", "same answer"], levers))
    if not goals["html_vs_bare_precision"]["met"] or always:
        phases = html_phases(pages)
        print_phases(
            "where parse_article's HTML time goes (one pass over the pages, timed phases):",
            phases,
            len(pages),
        )
    if always:
        print("\ncProfile of extract_html, one pass, by own time:")
        print(profile_extract_html(pages))
    return {
        "html_phases_s": phases,
        "plain_phases_s": plain_spent,
        "language_sample_levers": levers,
    }


def goals_of(
    summary: dict[str, Summary], rates: dict[str, list[float]]
) -> dict[str, dict[str, Any]]:
    """The goals' figures: plain text on the batch path, HTML beside bare trafilatura."""
    base = summary["html: trafilatura.extract precision"]
    plain = summary[PLAIN]
    bare_plain = summary[PLAIN_BARE]
    pairs = [ratio(a, b) for a, b in zip(rates[PLAIN], rates[PLAIN_BARE], strict=True)]
    quotes_ratio = statistics.median(pairs)  # of the repeats' ratios: each pair ran together
    one = summary[PLAIN_ONE]
    one_pairs = [ratio(a, b) for a, b in zip(rates[PLAIN_ONE], rates[PLAIN_ONE_BARE], strict=True)]
    html_ratio = ratio(summary["html: parse_article"].median, base.median)
    goals: dict[str, dict[str, Any]] = {
        "plain_docs_s": {
            "goal": GOAL_PLAIN_DOCS_S,
            "best": plain.best,
            "median": plain.median,
            "met": plain.median >= GOAL_PLAIN_DOCS_S,
        },
        "html_vs_bare_precision": {
            "goal": GOAL_HTML_RATIO,
            "ratio_best": ratio(summary["html: parse_article"].best, base.best),
            "ratio_median": html_ratio,
            "met": html_ratio >= GOAL_HTML_RATIO,
        },
        "quotes_ratio": {
            "goal": GOAL_QUOTES_RATIO,
            "ratio_median": quotes_ratio,
            "ratios": pairs,
            "quotes_ms_per_doc": 1000 / plain.median - 1000 / bare_plain.median,
            "met": quotes_ratio >= GOAL_QUOTES_RATIO,
        },
        "one_by_one": {  # parse_article per document: no goal, shown beside the batch path
            "docs_s_median": one.median,
            "quotes_ratio_median": statistics.median(one_pairs),
            "quotes_ms_per_doc": 1000 / one.median - 1000 / summary[PLAIN_ONE_BARE].median,
        },
    }
    return goals


def print_goals(goals: dict[str, dict[str, Any]]) -> None:
    plain, html = goals["plain_docs_s"], goals["html_vs_bare_precision"]
    quotes, one = goals["quotes_ratio"], goals["one_by_one"]
    print()
    print(
        f"goal plain text >= {GOAL_PLAIN_DOCS_S:,.0f} docs/s (batch): median"
        f" {plain['median']:,.0f} -> {'MET' if plain['met'] else 'NOT MET'}"
    )
    print(
        f"goal HTML >= {GOAL_HTML_RATIO}x bare trafilatura (precision): median"
        f" {html['ratio_median']:.2f}x -> {'MET' if html['met'] else 'NOT MET'}"
    )
    print(
        f"goal quotations <= 15% of plain-text throughput (batch): with/without median"
        f" {quotes['ratio_median']:.2f}x ({quotes['quotes_ms_per_doc']:.3f} ms/doc)"
        f" -> {'MET' if quotes['met'] else 'NOT MET'}"
    )
    print(
        f"one by one (parse_article; no goal): median {one['docs_s_median']:,.0f} docs/s,"
        f" quotations with/without {one['quotes_ratio_median']:.2f}x"
        f" ({one['quotes_ms_per_doc']:.3f} ms/doc)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats and passes (~20 s)")
    parser.add_argument("--repeats", type=int, help="measurements per mode (default 5; quick 3)")
    parser.add_argument(
        "--profile", action="store_true", help="always print the extract_html profile"
    )
    args = parser.parse_args(argv)
    repeats = max(1, min(args.repeats or (3 if args.quick else 5), 20))
    plain_passes = 4 if args.quick else 12
    deadline = Deadline(RUN_BOUND_S)

    texts, pages = load_plaintext(), load_pages()
    modes = build_modes(texts, pages)
    passes = {mode.name: plain_passes if mode.name.startswith("plain") else 1 for mode in modes}
    print(f"command: {command_line()}")
    print(
        f"corpus: {len(texts)} plain-text docs ({sum(map(len, texts)) // len(texts):,} chars avg),"
        f" {len(pages)} HTML pages ({sum(len(p.html) for p in pages) // len(pages):,} chars avg)"
    )
    print(
        f"{repeats} repeats per mode, interleaved in rotating order; one process, one core;"
        " rates per second of CPU time\n"
    )

    for mode in modes:  # warm-up: imports, caches, the language model
        mode.run()
    # the plain-text parse with and without quotes is measured as a pair, pass by pass (the
    # batch path's pair, then the one-by-one path's)
    groups = [modes[:2], modes[2:4], *([mode] for mode in modes[4:])]
    rates: dict[str, list[float]] = {mode.name: [] for mode in modes}
    failures: dict[str, int] = {mode.name: 0 for mode in modes}
    for repeat in range(repeats):
        if deadline.passed():
            print("run bound reached: fewer repeats than asked")
            break
        # the order rotates, so no group always runs right after the same other one
        for group in groups[repeat % len(groups) :] + groups[: repeat % len(groups)]:
            measured = measure(group, passes[group[0].name])
            for mode, (rate, failed) in zip(group, measured, strict=True):
                rates[mode.name].append(rate)
                failures[mode.name] = failed

    summary = {name: Summary(tuple(values)) for name, values in rates.items()}
    base = summary["html: trafilatura.extract precision"]
    rows = []
    for mode in modes:
        s = summary[mode.name]
        # beside: HTML modes bare trafilatura (precision), plain text the same path's parse
        # without quotes
        if mode.name.startswith("html"):
            beside = base
        else:
            beside = summary[PLAIN_ONE_BARE if mode.name.startswith(PLAIN_ONE) else PLAIN_BARE]
        rows.append(
            [
                mode.name,
                s.best,
                s.median,
                f"{1000 / s.best:.2f}" if s.best else "-",
                f"{ratio(s.best, beside.best):.2f}x",
                f"{ratio(s.median, beside.median):.2f}x",
                f"{failures[mode.name]}/{mode.docs}",
            ]
        )
    headers = ["mode", "docs/s best", "docs/s median", "ms/doc", "vs base best", "vs base med"]
    print(table([*headers, "failed"], rows))
    print("(base: bare trafilatura precision for HTML, the parse without quotes for plain text)")

    goals = goals_of(summary, rates)
    print_goals(goals)

    diagnostics = diagnose(goals, texts, pages, always=args.profile)

    path = write_result(
        "parse",
        {
            "repeats": repeats,
            "plain_passes_per_measurement": plain_passes,
            "corpus": {"plain_docs": len(texts), "html_pages": len(pages)},
            "docs_per_s": {name: s.as_dict() for name, s in summary.items()},
            "failures_per_pass": failures,
            "goals": goals,
            **diagnostics,
        },
    )
    print(f"\nresult: {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
