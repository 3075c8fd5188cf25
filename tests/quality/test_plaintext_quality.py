"""Quality gates: the plain-text extractor on the English and the international dev sets.

Each set's title, authors and publication date are scored exact per document, the body by the
shingle F1 of :mod:`tests.quality.shingle_f1`; on the international set every layout (German,
French, Spanish, Italian, Portuguese, agency wire) must reach the floors as well as the whole.
An ``expected.published_at`` without an offset means the text gave no zone: the extractor must
then leave ``published_at`` empty and give the wall-clock time as ``published_local``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from services.core import ndjson
from services.parser.plaintext import extract_plaintext
from services.parser.result import Extracted
from tests.quality import floors
from tests.quality.shingle_f1 import score

DATA = Path(__file__).resolve().parents[1] / "data" / "plaintext"
DEV_SET = DATA / "plaintext-dev.jsonl"
INTL_DEV_SET = DATA / "plaintext-intl-dev.jsonl"


@dataclass(frozen=True, slots=True)
class Figures:
    title: float
    authors: float
    published_at: float
    body_f1: float
    misses: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"title={self.title:.3f} authors={self.authors:.3f} "
            f"published_at={self.published_at:.3f} body_f1={self.body_f1:.4f} "
            f"misses={list(self.misses)}"
        )


def _same_instant_and_offset(got: datetime | None, want: datetime) -> bool:
    return got is not None and got == want and got.utcoffset() == want.utcoffset()


def _date_right(got: Extracted, expected: str) -> bool:
    """The offset date-time when the text gave a zone; else no offset and the local time."""
    want = datetime.fromisoformat(expected)
    if want.tzinfo is not None:
        return _same_instant_and_offset(got.published_at, want)
    return got.published_at is None and got.published_local == expected


def _measure(docs: list[dict[str, Any]]) -> Figures:
    title = authors = published = 0
    misses: list[str] = []
    pairs: list[tuple[str, str]] = []
    for doc in docs:
        want = doc["expected"]
        got: Extracted = extract_plaintext(doc["text"])
        checks = (
            got.title == want["title"],
            list(got.authors) == want["authors"],
            _date_right(got, want["published_at"]),
        )
        title, authors, published = title + checks[0], authors + checks[1], published + checks[2]
        if not all(checks):
            misses.append(doc["doc_id"])
        pairs.append((want["body"], "\n\n".join(got.paragraphs)))
    n = len(docs)
    return Figures(title / n, authors / n, published / n, score(pairs).f1, tuple(misses))


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line.text) for line in ndjson.records(path.read_text("utf-8"))]


@pytest.fixture(scope="module")
def figures() -> Figures:
    docs = _load(DEV_SET)
    assert len(docs) == 60
    measured = _measure(docs)
    print(f"\nplain-text quality on {len(docs)} dev docs: {measured}")  # visible with -s
    return measured


def test_title_accuracy(figures: Figures) -> None:
    assert figures.title >= floors.PLAINTEXT_TITLE_ACCURACY, str(figures)


def test_authors_accuracy(figures: Figures) -> None:
    assert figures.authors >= floors.PLAINTEXT_AUTHORS_ACCURACY, str(figures)


def test_published_at_accuracy(figures: Figures) -> None:
    assert figures.published_at >= floors.PLAINTEXT_PUBLISHED_AT_ACCURACY, str(figures)


def test_body_f1(figures: Figures) -> None:
    assert figures.body_f1 >= floors.PLAINTEXT_BODY_F1, str(figures)


@pytest.fixture(scope="module")
def intl_figures() -> dict[str, Figures]:
    """The international set's figures, overall ("all") and per layout."""
    docs = _load(INTL_DEV_SET)
    assert len(docs) == 60
    layouts = sorted({doc["layout"] for doc in docs})
    assert len(layouts) == 6
    measured = {"all": _measure(docs)}
    for layout in layouts:
        measured[layout] = _measure([doc for doc in docs if doc["layout"] == layout])
    for name, figures in measured.items():
        print(f"\nplain-text quality, international dev, {name}: {figures}")  # visible with -s
    return measured


def test_intl_title_accuracy(intl_figures: dict[str, Figures]) -> None:
    for name, figures in intl_figures.items():
        assert figures.title >= floors.PLAINTEXT_INTL_TITLE_ACCURACY, f"{name}: {figures}"


def test_intl_authors_accuracy(intl_figures: dict[str, Figures]) -> None:
    for name, figures in intl_figures.items():
        assert figures.authors >= floors.PLAINTEXT_INTL_AUTHORS_ACCURACY, f"{name}: {figures}"


def test_intl_published_accuracy(intl_figures: dict[str, Figures]) -> None:
    for name, figures in intl_figures.items():
        assert figures.published_at >= floors.PLAINTEXT_INTL_PUBLISHED_ACCURACY, (
            f"{name}: {figures}"
        )


def test_intl_body_f1(intl_figures: dict[str, Figures]) -> None:
    for name, figures in intl_figures.items():
        assert figures.body_f1 >= floors.PLAINTEXT_INTL_BODY_F1, f"{name}: {figures}"
