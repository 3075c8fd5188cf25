"""Quality gate: the plain-text extractor on the 60-document dev set."""

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

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "plaintext" / "plaintext-dev.jsonl"


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
            _same_instant_and_offset(
                got.published_at, datetime.fromisoformat(want["published_at"])
            ),
        )
        title, authors, published = title + checks[0], authors + checks[1], published + checks[2]
        if not all(checks):
            misses.append(doc["doc_id"])
        pairs.append((want["body"], "\n\n".join(got.paragraphs)))
    n = len(docs)
    return Figures(title / n, authors / n, published / n, score(pairs).f1, tuple(misses))


@pytest.fixture(scope="module")
def figures() -> Figures:
    docs = [json.loads(line.text) for line in ndjson.records(DEV_SET.read_text("utf-8"))]
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
