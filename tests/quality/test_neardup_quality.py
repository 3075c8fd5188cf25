"""Quality gate of the dedup engine on ``tests/data/neardup/neardup-dev.jsonl``.

Articles are fed in file order (doc_id as article id, url as canonical URL, no published time);
the verdicts' story ids become clusters, scored by pairwise precision/recall over pairs of
documents placed in the same cluster, recall per document kind, and merges of different stories
where one is a 'footer' document or both share a long line (the footer).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from services.core import ndjson
from services.core.settings import DedupSettings
from services.dedup.decision import Decision, DedupInput
from services.dedup.deduplicator import Deduplicator
from services.dedup.engine import DedupEngine
from services.dedup.normalise import normalised_url
from tests.quality.floors import (
    NEARDUP_FOOTER_MERGES,
    NEARDUP_KIND_RECALL,
    NEARDUP_PRECISION,
    NEARDUP_RECALL,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "neardup" / "neardup-dev.jsonl"
LONG_LINE_WORDS = 30


def _docs() -> list[dict[str, Any]]:
    return [json.loads(line.text) for line in ndjson.records(DATA.read_text("utf-8"))]


def _inputs(docs: list[dict[str, Any]]) -> list[DedupInput]:
    return [
        DedupInput(
            article_id=doc["doc_id"],
            canonical_url=normalised_url(doc["url"]) if doc.get("url") else None,
            body=doc["text"],
            title=doc.get("title"),
            published_at=None,
        )
        for doc in docs
    ]


def _long_lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if len(line.split()) >= LONG_LINE_WORDS}


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    kind_recall: dict[str, float]
    footer_merges: int
    wrong_merges: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def describe(self) -> str:
        kinds = ", ".join(f"{k} {v:.4f}" for k, v in sorted(self.kind_recall.items()))
        return (
            f"P {self.precision:.4f} R {self.recall:.4f} F1 {self.f1:.4f}; kind recall: {kinds}; "
            f"footer merges {self.footer_merges}; different-story merges {self.wrong_merges}"
        )


def score(docs: list[dict[str, Any]], verdicts: list[Decision]) -> Score:
    story = {v.article_id: v.story_id for v in verdicts}
    tp = fp = fn = footer = 0
    kind_total: Counter[str] = Counter()
    kind_hit: Counter[str] = Counter()
    for a, b in itertools.combinations(docs, 2):
        same = a["cluster"] == b["cluster"]
        merged = story[a["doc_id"]] == story[b["doc_id"]]
        if same:
            tp, fn = tp + merged, fn + (not merged)
            for kind in {a["kind"], b["kind"]}:
                kind_total[kind] += 1
                kind_hit[kind] += merged
        elif merged:
            fp += 1
            kinds = {a["kind"], b["kind"]}
            footer += "footer" in kinds or bool(_long_lines(a["text"]) & _long_lines(b["text"]))
    return Score(
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        kind_recall={k: kind_hit[k] / kind_total[k] for k in kind_total},
        footer_merges=footer,
        wrong_merges=fp,
    )


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return _docs()


@pytest.fixture(scope="module")
def verdicts(docs: list[dict[str, Any]]) -> list[Decision]:
    dedup = Deduplicator(DedupSettings())
    return [dedup.check(item) for item in _inputs(docs)]


def test_dataset_shape(docs: list[dict[str, Any]]) -> None:
    assert len(docs) == 419
    assert len({d["cluster"] for d in docs}) == 59


def test_neardup_floors(docs: list[dict[str, Any]], verdicts: list[Decision]) -> None:
    result = score(docs, verdicts)
    message = result.describe()
    assert result.precision >= NEARDUP_PRECISION, message
    assert result.recall >= NEARDUP_RECALL, message
    worst = min(result.kind_recall, key=lambda kind: result.kind_recall[kind])
    assert result.kind_recall[worst] >= NEARDUP_KIND_RECALL, message
    assert result.footer_merges <= NEARDUP_FOOTER_MERGES, message


def test_every_verdict_is_well_formed(verdicts: list[Decision]) -> None:
    for verdict in verdicts:
        assert verdict.duplicate_of != verdict.article_id, verdict
        assert 0.0 <= verdict.similarity <= 1.0, verdict
        assert (verdict.duplicate_of is None) == (verdict.kind.value == "unique"), verdict


async def test_engine_on_sqlite_matches_the_pure_run(
    docs: list[dict[str, Any]], verdicts: list[Decision], tmp_path: Path
) -> None:
    settings = DedupSettings(sqlite_synchronous="NORMAL")
    inputs = _inputs(docs)
    half = len(inputs) // 2
    durable: list[Decision] = []
    for chunk in (inputs[:half], inputs[half:]):  # with a restart in the middle
        async with await DedupEngine.open(tmp_path / "dedup.db", settings) as engine:
            durable += [await engine.check(item) for item in chunk]
    assert durable == verdicts, score(docs, durable).describe()
