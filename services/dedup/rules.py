"""Decision rules (pure): same URL, then same normalised body, then verified near content."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from services.core.settings import DedupSettings
from services.dedup.decision import Decision, Evidence, Method, VerdictKind
from services.dedup.probed import ProbedArticle
from services.dedup.recordstore import DocRecord
from services.dedup.similarity import PairScore, accepts, compare, is_update


def _evidence(
    probe: ProbedArticle,
    score: PairScore | None,
    settings: DedupSettings,
    *,
    url_match: bool = False,
    body_match: bool = False,
) -> Evidence:
    fp = probe.fingerprint
    base = {
        "content_shingles": fp.size,
        "boilerplate_tokens": fp.boilerplate_tokens,
        "boilerplate_shingles": fp.boilerplate_shingles,
        "candidates": len(probe.candidates),
        "jaccard_threshold": settings.jaccard_threshold,
        "containment_threshold": settings.containment_threshold,
        "lede_threshold": settings.lede_threshold,
        "url_match": url_match,
        "body_hash_match": body_match,
    }
    if score is None:
        return Evidence(**base)  # type: ignore[arg-type]
    return Evidence(
        jaccard=round(score.jaccard, 4),
        containment_new=round(score.containment_new, 4),
        containment_match=round(score.containment_match, 4),
        lede_overlap=round(score.lede_overlap, 4),
        lede_position=round(score.lede_position, 4),
        matched_shingles=score.matched,
        sample_size=score.sample_size,
        **base,  # type: ignore[arg-type]
    )


def _verdict(
    probe: ProbedArticle,
    *,
    kind: VerdictKind,
    match: DocRecord | None,
    similarity: float,
    method: Method,
    evidence: Evidence,
) -> Decision:
    article_id = probe.article.article_id
    return Decision(
        article_id=article_id,
        kind=kind,
        story_id=article_id if match is None else match.story_id,
        duplicate_of=None if match is None else match.article_id,
        similarity=round(similarity, 4),
        method=method,
        evidence=evidence,
    )


def _by_url(
    probe: ProbedArticle, match: DocRecord, boilerplate: NDArray[np.uint64], settings: DedupSettings
) -> Decision:
    score = compare(probe.fingerprint, match, boilerplate, settings.lede_max_position)
    same = match.body_hash == probe.fingerprint.body_hash
    evidence = _evidence(probe, score, settings, url_match=True, body_match=same)
    if same:
        return _verdict(
            probe,
            kind=VerdictKind.DUPLICATE,
            match=match,
            similarity=1.0,
            method=Method.EXACT_URL,
            evidence=evidence,
        )
    return _verdict(
        probe,
        kind=VerdictKind.UPDATE,
        match=match,
        similarity=score.jaccard,
        method=Method.EXACT_URL,
        evidence=evidence,
    )


def _best_near(
    probe: ProbedArticle,
    records: Mapping[int, DocRecord],
    boilerplate: NDArray[np.uint64],
    settings: DedupSettings,
) -> tuple[PairScore | None, bool]:
    """The closest candidate (highest Jaccard, then oldest) and whether it is accepted."""
    best: PairScore | None = None
    best_ok = False
    for candidate in probe.candidates:
        record = records.get(candidate.seq)
        if record is None:
            continue
        score = compare(probe.fingerprint, record, boilerplate, settings.lede_max_position)
        ok = accepts(score, settings)
        rank = (ok, score.jaccard, -score.seq)
        if best is None or rank > (best_ok, best.jaccard, -best.seq):
            best, best_ok = score, ok
    return best, best_ok


def decide_verdict(
    probe: ProbedArticle,
    records: Mapping[int, DocRecord],
    boilerplate: NDArray[np.uint64],
    settings: DedupSettings,
) -> Decision:
    """Apply the rules in order; the first that matches a live record wins."""
    url_match = records.get(probe.url_seqs[-1]) if probe.url_seqs else None
    if url_match is not None:
        return _by_url(probe, url_match, boilerplate, settings)
    body_match = records.get(probe.body_seqs[0]) if probe.body_seqs else None
    if body_match is not None and body_match.body_hash == probe.fingerprint.body_hash:
        evidence = _evidence(probe, None, settings, body_match=True)
        return _verdict(
            probe,
            kind=VerdictKind.DUPLICATE,
            match=body_match,
            similarity=1.0,
            method=Method.EXACT_CONTENT,
            evidence=evidence,
        )
    best, ok = _best_near(probe, records, boilerplate, settings)
    evidence = _evidence(probe, best, settings)
    if best is None or not ok:
        similarity = 0.0 if best is None else best.jaccard
        return _verdict(
            probe,
            kind=VerdictKind.UNIQUE,
            match=None,
            similarity=similarity,
            method=Method.NONE,
            evidence=evidence,
        )
    match = records[best.seq]
    kind = VerdictKind.UPDATE if is_update(best, settings) else VerdictKind.DUPLICATE
    return _verdict(
        probe,
        kind=kind,
        match=match,
        similarity=best.containment,
        method=Method.NEAR_CONTENT,
        evidence=evidence,
    )
