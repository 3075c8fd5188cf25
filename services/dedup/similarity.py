"""Verification of one candidate against a new article (pure).

The new article's full shingle set is at hand; the candidate is known by its bottom-k sample
(a uniform sample of its shingle set) and its lede (first content shingles). Shingles that have
become boilerplate since the candidate was stored are filtered out of both first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from services.core.settings import DedupSettings
from services.dedup import overlaps
from services.dedup.fingerprint import Fingerprint, member, screen
from services.dedup.recordstore import DocRecord


@dataclass(frozen=True, slots=True)
class PairScore:
    """Estimated overlap of a new article with a stored candidate."""

    seq: int
    jaccard: float
    containment_new: float
    containment_match: float
    lede_overlap: float
    lede_position: float
    matched: int
    sample_size: int

    @property
    def containment(self) -> float:
        return max(self.containment_new, self.containment_match)


def _drop(values: NDArray[np.uint64], boilerplate: NDArray[np.uint64]) -> NDArray[np.uint64]:
    if boilerplate.size == 0 or values.size == 0:
        return values
    return values[~member(boilerplate, values)]


def _opening(fp: Fingerprint, lede: NDArray[np.uint64], max_position: float) -> tuple[float, float]:
    """How much the two openings agree, and where the candidate's opening starts in ``fp``."""
    if lede.size == 0 or fp.sequence.size == 0:
        return 0.0, 1.0
    hits = member(np.sort(lede), fp.sequence)
    where = np.flatnonzero(hits)
    position = float(where[0]) / fp.sequence.size if where.size else 1.0
    inside = float(member(fp.shingles, lede).mean()) if position <= max_position else 0.0
    own = fp.lede
    shared = float(member(np.sort(lede), own).mean()) if own.size else 0.0
    return max(inside, shared), position


def overlap_counts(
    fp: Fingerprint, record: DocRecord, boilerplate: NDArray[np.uint64], max_position: float
) -> tuple[int, int, float, float]:
    """(sample size, sample shingles found in ``fp``, lede overlap, lede position) with the
    boilerplate dropped: the readable definition of ``overlaps.compare_counts``."""
    sample = _drop(record.sample, boilerplate)
    if sample.size == 0 or fp.size == 0:
        return int(sample.size), 0, 0.0, 1.0
    found = int(member(fp.shingles, sample).sum())
    overlap, position = _opening(fp, _drop(record.lede, boilerplate), max_position)
    return int(sample.size), found, overlap, position


def compare(
    fp: Fingerprint, record: DocRecord, boilerplate: NDArray[np.uint64], max_position: float
) -> PairScore:
    """Estimate Jaccard, both containments and the opening agreement of ``fp`` and ``record``."""
    size, found, overlap, position = overlaps.compare_counts(
        fp.shingles,
        fp.sequence,
        fp.lede,
        record.sample,
        record.lede,
        boilerplate,
        screen(boilerplate),
        max_position,
    )
    if size == 0 or fp.size == 0:
        return PairScore(record.seq, 0.0, 0.0, 0.0, 0.0, 1.0, 0, size)
    contained = found / size
    if record.shingle_count <= record.sample.size:
        other = float(size)
    else:
        other = record.shingle_count * size / record.sample.size
    matched = contained * other
    union = fp.size + other - matched
    return PairScore(
        seq=record.seq,
        jaccard=matched / union if union > 0 else 0.0,
        containment_new=min(matched / fp.size, 1.0),
        containment_match=contained,
        lede_overlap=overlap,
        lede_position=position,
        matched=round(matched),
        sample_size=size,
    )


def accepts(score: PairScore, settings: DedupSettings) -> bool:
    """Same story: high enough overlap, and the openings agree (unless near-identical)."""
    if score.jaccard >= settings.lede_exempt_jaccard:
        return True
    if score.lede_overlap < settings.lede_threshold:
        return False
    return (
        score.jaccard >= settings.jaccard_threshold
        or score.containment >= settings.containment_threshold
    )


def is_update(score: PairScore, settings: DedupSettings) -> bool:
    """The new article holds (almost) all of the candidate plus substantial new content."""
    return (
        score.containment_match >= settings.update_containment
        and 1.0 - score.containment_new >= settings.update_novelty
    )
