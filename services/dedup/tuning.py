"""Plain, immutable settings of the dedup engine (the service maps pydantic-settings onto them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

SYNCHRONOUS_MODES = ("OFF", "NORMAL", "FULL", "EXTRA")


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """Thresholds, window and fingerprint sizes.

    A candidate is the same story when the estimated Jaccard is ``>= jaccard_threshold`` or the
    larger containment is ``>= containment_threshold``, and the two openings agree: at least
    ``lede_threshold`` of the candidate's lede (first content shingles) is found in the first
    ``lede_max_position`` of the new article, or of the new article's lede in the candidate's
    (waived from ``lede_exempt_jaccard`` up). Different stories sharing a long footer, or a story
    quoted at the end of another, share content but not their openings.
    """

    shingle_size: int = 5
    window: timedelta = timedelta(days=7)
    anchors_per_doc: int = 6
    head_anchors: int = 3
    head_size: int = 64
    sample_size: int = 128
    lede_size: int = 24
    probe_limit: int = 256
    max_candidates: int = 8
    min_shingles: int = 3
    jaccard_threshold: float = 0.5
    containment_threshold: float = 0.65
    lede_threshold: float = 0.2
    lede_max_position: float = 0.5
    lede_exempt_jaccard: float = 0.8
    update_containment: float = 0.85
    update_novelty: float = 0.15
    boilerplate_min_stories: int = 4
    boilerplate_max_blocks: int = 200_000
    boilerplate_max_shingles: int = 200_000
    sweep_every: int = 1024
    sqlite_synchronous: str = "FULL"

    def __post_init__(self) -> None:
        positive = {
            "shingle_size": self.shingle_size,
            "anchors_per_doc": self.anchors_per_doc,
            "head_size": self.head_size,
            "sample_size": self.sample_size,
            "lede_size": self.lede_size,
            "probe_limit": self.probe_limit,
            "max_candidates": self.max_candidates,
            "min_shingles": self.min_shingles,
            "boilerplate_min_stories": self.boilerplate_min_stories,
            "boilerplate_max_blocks": self.boilerplate_max_blocks,
            "boilerplate_max_shingles": self.boilerplate_max_shingles,
            "sweep_every": self.sweep_every,
        }
        for name, value in positive.items():
            if value < 1:
                raise ValueError(f"{name} must be >= 1, got {value}")
        if self.anchors_per_doc > self.sample_size:
            raise ValueError("anchors_per_doc must not exceed sample_size")
        if not 0 <= self.head_anchors <= self.anchors_per_doc:
            raise ValueError("head_anchors must be within [0, anchors_per_doc]")
        if self.window <= timedelta(0):
            raise ValueError(f"window must be positive, got {self.window}")
        fractions = {
            "jaccard_threshold": self.jaccard_threshold,
            "containment_threshold": self.containment_threshold,
            "lede_threshold": self.lede_threshold,
            "lede_max_position": self.lede_max_position,
            "lede_exempt_jaccard": self.lede_exempt_jaccard,
            "update_containment": self.update_containment,
            "update_novelty": self.update_novelty,
        }
        for name, fraction in fractions.items():
            if not 0.0 <= fraction <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {fraction}")
        if self.sqlite_synchronous not in SYNCHRONOUS_MODES:
            raise ValueError(f"sqlite_synchronous must be one of {SYNCHRONOUS_MODES}")

    @property
    def window_seconds(self) -> int:
        return int(self.window.total_seconds())
