"""Quality gate: dates, authors, titles and body on html-metadata-dev, beside the specialists.

Every page is parsed once per process (``extract_html``, the HTML path of the parser); the
anchors run on the same pages in the same test session and their figures are printed beside
newsflow's (``pytest -s`` shows them): htmldate's extensive mode for dates, trafilatura's
defaults and its benchmark call (comments left out, tables kept) for the body.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import trafilatura
from htmldate import find_date

from services.parser.errors import EmptyArticleError
from services.parser.html import extract_html
from services.parser.result import Extracted
from tests.quality.floors import (
    HTML_META_AUTHORS_EXACT,
    HTML_META_BODY_F1_MARGIN,
    HTML_META_DATE_MARGIN,
    HTML_META_NO_AUTHOR_KEPT,
    HTML_META_TITLE_EXACT,
)
from tests.quality.metadata_metrics import (
    Row,
    SnippetScore,
    author_names,
    authors_exact,
    date_counts,
    day_of,
    load_page,
    load_rows,
    snippet_score,
    title_exact,
)


@dataclass(frozen=True, slots=True)
class Pages:
    rows: tuple[Row, ...]
    html: dict[str, str]  # page file name -> decoded page
    url: dict[str, str]  # page file name -> the url of its first row


@functools.cache
def _pages() -> Pages:
    rows = tuple(load_rows())
    url: dict[str, str] = {}
    for row in rows:
        url.setdefault(row.page, row.url)
    return Pages(rows, {name: load_page(name) for name in url}, url)


@functools.cache
def _newsflow() -> dict[str, Extracted | None]:
    pages = _pages()
    found: dict[str, Extracted | None] = {}
    for name, html in pages.html.items():
        try:
            found[name] = extract_html(html, pages.url[name])
        except EmptyArticleError:
            found[name] = None
    return found


@functools.cache
def _htmldate_extensive() -> dict[str, str | None]:
    pages = _pages()
    return {
        name: find_date(html, url=pages.url[name], extensive_search=True, original_date=True)
        for name, html in pages.html.items()
    }


@functools.cache
def _trafilatura_bodies() -> dict[str, dict[str, str]]:
    """Per setting, each trafilatura row's page -> trafilatura's text."""
    pages = _pages()
    settings: dict[str, dict[str, Any]] = {
        "defaults": {},
        "benchmark": {"include_comments": False, "include_tables": True},
    }
    return {
        setting: {
            row.page: trafilatura.extract(pages.html[row.page], url=row.url, **options) or ""
            for row in pages.rows
            if row.dataset == "trafilatura"
        }
        for setting, options in settings.items()
    }


def _day(extracted: Extracted | None) -> str | None:
    if extracted is None:
        return None
    return day_of(extracted.published_local) or day_of(extracted.published_at)


def _date_rows(dataset: str) -> list[Row]:
    rows = [row for row in _pages().rows if row.dataset == dataset]
    return rows if dataset == "htmldate" else [row for row in rows if row.date]


def _assert_dates(dataset: str) -> None:
    rows, mine, anchor = _date_rows(dataset), _newsflow(), _htmldate_extensive()
    ours = date_counts((row.date, _day(mine[row.page])) for row in rows)
    theirs = date_counts((row.date, day_of(anchor[row.page])) for row in rows)
    print(
        f"\n{dataset} dates ({ours.rows} rows): newsflow {ours.accuracy:.3f} {ours},"
        f" htmldate extensive {theirs.accuracy:.3f} {theirs}"
    )
    assert ours.accuracy >= theirs.accuracy + HTML_META_DATE_MARGIN, (
        f"date accuracy {ours.accuracy:.3f} on {dataset}'s pages is below htmldate's extensive"
        f" mode {theirs.accuracy:.3f} + {HTML_META_DATE_MARGIN}"
    )


def test_dates_on_htmldate_pages() -> None:
    _assert_dates("htmldate")


def test_dates_on_trafilatura_pages() -> None:
    _assert_dates("trafilatura")


def test_authors() -> None:
    mine = _newsflow()
    rows = [row for row in _pages().rows if row.dataset == "trafilatura"]

    def authors(row: Row) -> tuple[str, ...]:
        extracted = mine[row.page]
        return extracted.authors if extracted else ()

    named = [row for row in rows if row.author]
    exact = sum(authors_exact(row.author or (), authors(row)) for row in named) / len(named)
    unnamed = [row for row in rows if row.author == ()]
    kept = sum(not author_names(authors(row)) for row in unnamed) / len(unnamed)
    print(
        f"\nauthors exact {exact:.3f} ({len(named)} rows); no author named on {kept:.3f}"
        f" of the {len(unnamed)} pages without one"
    )
    assert exact >= HTML_META_AUTHORS_EXACT, f"authors exact {exact:.3f}"
    assert kept >= HTML_META_NO_AUTHOR_KEPT, f"no author named on only {kept:.3f}"


def test_titles() -> None:
    mine = _newsflow()
    rows = [row for row in _pages().rows if row.dataset == "trafilatura" and row.title]
    exact = sum(
        title_exact(row.title or "", extracted.title if (extracted := mine[row.page]) else None)
        for row in rows
    ) / len(rows)
    print(f"\ntitles exact {exact:.3f} ({len(rows)} rows)")
    assert exact >= HTML_META_TITLE_EXACT, f"titles exact {exact:.3f}"


def test_body_snippets() -> None:
    mine = _newsflow()
    rows = [row for row in _pages().rows if row.dataset == "trafilatura"]

    def pooled(body: dict[str, str]) -> SnippetScore:
        return sum((snippet_score(body[r.page], r.with_, r.without) for r in rows), SnippetScore())

    ours = pooled(
        {
            row.page: "\n".join(extracted.paragraphs) if (extracted := mine[row.page]) else ""
            for row in rows
        }
    )
    anchors = {name: pooled(bodies) for name, bodies in _trafilatura_bodies().items()}
    best = max(score.f1 for score in anchors.values())
    figures = ", ".join(f"trafilatura {name} {score.f1:.4f}" for name, score in anchors.items())
    print(f"\nbody snippet F1 ({len(rows)} pages): newsflow {ours.f1:.4f} {ours}; {figures}")
    assert ours.f1 >= best + HTML_META_BODY_F1_MARGIN, (
        f"body F1 {ours.f1:.4f} is below trafilatura's best setting {best:.4f}"
        f" + {HTML_META_BODY_F1_MARGIN}"
    )
