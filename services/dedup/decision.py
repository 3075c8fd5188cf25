"""The dedup decision (kind, method, evidence) and its input (plain values, JSON-friendly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class VerdictKind(StrEnum):
    UNIQUE = "unique"
    DUPLICATE = "duplicate"
    UPDATE = "update"


class Method(StrEnum):
    EXACT_URL = "exact_url"
    EXACT_CONTENT = "exact_content"
    NEAR_CONTENT = "near_content"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class DedupInput:
    """What the engine needs of an article."""

    article_id: str
    canonical_url: str | None
    body: str
    title: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a verdict was given (for the best candidate compared, if any).

    ``jaccard`` and ``matched_shingles`` are estimates from the candidate's bottom-k sample;
    ``containment_new`` is the share of the new article's content shingles found in the
    candidate, ``containment_match`` the share of the candidate's found in the new article,
    ``lede_overlap`` the share of the candidate's lede shingles found in the new article.
    """

    jaccard: float = 0.0
    containment_new: float = 0.0
    containment_match: float = 0.0
    lede_overlap: float = 0.0
    lede_position: float = 1.0
    matched_shingles: int = 0
    sample_size: int = 0
    content_shingles: int = 0
    boilerplate_tokens: int = 0
    boilerplate_shingles: int = 0
    candidates: int = 0
    jaccard_threshold: float = 0.0
    containment_threshold: float = 0.0
    lede_threshold: float = 0.0
    url_match: bool = False
    body_hash_match: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's answer for one article id (stable across replays and restarts)."""

    article_id: str
    kind: VerdictKind
    story_id: str
    duplicate_of: str | None
    similarity: float
    method: Method
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "kind": self.kind.value,
            "story_id": self.story_id,
            "duplicate_of": self.duplicate_of,
            "similarity": self.similarity,
            "method": self.method.value,
            "evidence": self.evidence.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        return cls(
            article_id=str(data["article_id"]),
            kind=VerdictKind(data["kind"]),
            story_id=str(data["story_id"]),
            duplicate_of=None if data["duplicate_of"] is None else str(data["duplicate_of"]),
            similarity=float(data["similarity"]),
            method=Method(data["method"]),
            evidence=Evidence.from_dict(dict(data["evidence"])),
        )
