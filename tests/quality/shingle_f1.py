"""The body-extraction metric of the article-extraction benchmark.

Tokens are the Unicode ``\\w+`` matches (case kept); a text becomes the multiset of its 4-token
shingles. Per page, tp = sum of min counts, fp and fn the excesses, the three divided by their sum.
Precision and recall are averaged over pages (a page with tp+fp = 0 is left out of precision,
tp+fn = 0 out of recall; both zero-excess gives 1.0); F1 = 2PR/(P+R).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(max(len(tokens) - SHINGLE + 1, 0)))


@dataclass(frozen=True, slots=True)
class PageScore:
    tp: float
    fp: float
    fn: float


def score_page(expected: str, predicted: str) -> PageScore:
    true, pred = shingles(expected), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(1.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(pairs: Iterable[tuple[str, str]]) -> Score:
    """Score (expected, predicted) body pairs."""
    precisions: list[float] = []
    recalls: list[float] = []
    for expected, predicted in pairs:
        page = score_page(expected, predicted)
        if page.tp + page.fp > 0:
            precisions.append(page.tp / (page.tp + page.fp))
        if page.tp + page.fn > 0:
            recalls.append(page.tp / (page.tp + page.fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    return Score(precision, recall)
