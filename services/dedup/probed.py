"""A probed article (pure): its fingerprint and the indexed documents it must be checked
against, as :meth:`Deduplicator.probe <services.dedup.deduplicator.Deduplicator.probe>` finds
them and the verdict rules read them."""

from __future__ import annotations

from dataclasses import dataclass

from services.dedup.decision import DedupInput
from services.dedup.fingerprint import Blocks, Fingerprint, TokenStream
from services.dedup.index import Candidate


@dataclass(frozen=True, slots=True)
class ProbedArticle:
    """A fingerprinted article and the indexed documents it must be checked against."""

    article: DedupInput
    seq: int
    event_time: int
    url_key: int | None
    stream: TokenStream
    parts: Blocks
    fingerprint: Fingerprint
    url_seqs: tuple[int, ...]
    body_seqs: tuple[int, ...]
    candidates: tuple[Candidate, ...]

    @property
    def wanted(self) -> tuple[int, ...]:
        """Sequence numbers whose records ``decide`` needs."""
        seqs = set(self.url_seqs[-1:]) | set(self.body_seqs[:1])
        seqs.update(candidate.seq for candidate in self.candidates)
        return tuple(sorted(seqs))
