"""The dedup decision (pure): probe the index, verify candidates, decide, then apply.

``Deduplicator.check`` runs the whole cycle against a synchronous :class:`RecordStore`, saving
each article's record and verdict before applying its :class:`StateChange`. The async engine
runs the same steps for a batch — ``probe`` → load the wanted records → ``decide`` → ``apply``,
article by article, so each sees the ones before it — and then persists the batch's changes in
one transaction; when that write fails it rebuilds the in-memory state from the committed one,
so no verdict is returned before it is durable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from services.core.settings import DedupSettings
from services.dedup.boilerplate_model import (
    BlockStat,
    BoilerplateDelta,
    BoilerplateModel,
    Promotion,
)
from services.dedup.decision import Decision, DedupInput, Method
from services.dedup.errors import EmptyBodyError
from services.dedup.fingerprint import (
    ANCHOR_SHIFT,
    analyse,
    anchor_keys,
)
from services.dedup.index import DEAD, CandidateIndex, IndexBatch
from services.dedup.normalise import hash64, url_key
from services.dedup.probed import ProbedArticle
from services.dedup.recordstore import DocRecord, MemoryRecordStore, RecordStore
from services.dedup.rules import decide_verdict

_NO_ANCHORS = np.zeros(0, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class StateChange:
    """Everything one article changes: the engine ``apply``-s it in memory, then persists it."""

    verdict: Decision
    record: DocRecord
    boilerplate: BoilerplateDelta
    watermark: int
    cutoff: int
    sweep: bool


def to_epoch(moment: datetime) -> int:
    """Epoch seconds; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


_warm = False


def warm_up() -> None:
    """Compile, or load from numba's on-disk cache, every kernel specialisation the engine runs
    (once per process; :class:`Deduplicator` calls it, so the first article is not slow)."""
    global _warm  # noqa: PLW0603
    if _warm:
        return
    _warm = True
    dedup = Deduplicator(DedupSettings(boilerplate_min_stories=2))
    lines = [f"Line {n}: the council voted on the river bridge budget again" for n in range(30)]
    body = "\n".join(lines)
    articles = [
        DedupInput("warm-1", "https://warm.example/a", body + "\nSubscribe. Naïve café — “x”"),
        DedupInput("warm-2", "https://warm.example/b", body + "\nSubscribe. " + "z" * 70),
        DedupInput("warm-3", "https://warm.example/a", "\n".join(lines[:20])),
    ]
    for article in articles:
        dedup.check(article)


class Deduplicator:
    """In-memory dedup state: candidate index, learned boilerplate, window watermark."""

    def __init__(self, settings: DedupSettings, store: RecordStore | None = None) -> None:
        warm_up()
        self.settings = settings
        self.store: RecordStore = MemoryRecordStore() if store is None else store
        self.index = CandidateIndex()
        self.boilerplate = BoilerplateModel(
            settings.boilerplate_min_stories,
            settings.boilerplate_max_blocks,
            settings.boilerplate_max_shingles,
        )
        self.watermark: int | None = None
        self.next_seq = 0
        self._since_sweep = 0

    def check(self, article: DedupInput, now: datetime | None = None) -> Decision:
        """The verdict for ``article`` (the stored one when its id was seen before)."""
        known = self.store.verdict(article.article_id)
        if known is not None:
            return known
        probe = self.probe(article, now)
        change = self.decide(probe, self.store.records(probe.wanted))
        self.store.save(change.record, change.verdict)
        self.apply(change)
        if change.sweep:
            self.store.evict(change.cutoff)
        return change.verdict

    def event_time(self, article: DedupInput, now: datetime | None) -> int:
        """Published time (capped at ``now``), else ``now``, else the watermark."""
        times = [to_epoch(t) for t in (article.published_at, now) if t is not None]
        if times:
            return min(times)
        return 0 if self.watermark is None else self.watermark

    def probe(self, article: DedupInput, now: datetime | None = None) -> ProbedArticle:
        """Fingerprint the article and look up its candidates (no state change)."""
        settings = self.settings
        stream, parts, fp = analyse(
            article.body,
            promoted_blocks=self.boilerplate.promoted_blocks,
            boilerplate_shingles=self.boilerplate.shingles,
            shingle_size=settings.shingle_size,
            lede_size=settings.lede_size,
        )
        if stream.size == 0:
            raise EmptyBodyError(f"article {article.article_id!r} has an empty body")
        key = url_key(article.canonical_url)
        probes = fp.shingles[: settings.probe_limit if fp.size >= settings.min_shingles else 0]
        found, url_seqs, body_seqs = self.index.probe(
            probes, settings.max_candidates, key, fp.body_hash
        )
        return ProbedArticle(
            article=article,
            seq=self.next_seq,
            event_time=self.event_time(article, now),
            url_key=key,
            stream=stream,
            parts=parts,
            fingerprint=fp,
            url_seqs=tuple(url_seqs),
            body_seqs=tuple(body_seqs),
            candidates=tuple(found),
        )

    def decide(self, probe: ProbedArticle, records: Mapping[int, DocRecord]) -> StateChange:
        """The verdict and state changes for a probe, given the records it wanted (pure)."""
        settings = self.settings
        verdict = decide_verdict(probe, records, self.boilerplate.shingles, settings)
        fp = probe.fingerprint
        near_or_new = verdict.method in (Method.NEAR_CONTENT, Method.NONE) or (
            verdict.method is Method.EXACT_URL and not verdict.evidence.body_hash_match
        )
        record = DocRecord(
            seq=probe.seq,
            article_id=probe.article.article_id,
            story_id=verdict.story_id,
            event_time=probe.event_time,
            body_hash=fp.body_hash,
            url_key=probe.url_key,
            shingle_count=fp.size,
            sample=fp.sample(settings.sample_size),
            lede=fp.lede,
            anchors=fp.anchors(settings.anchors_per_doc, settings.head_anchors, settings.head_size)
            if near_or_new and fp.size >= settings.min_shingles
            else _NO_ANCHORS,
            first_body=not probe.body_seqs,
        )
        delta = self.boilerplate.observe(
            probe.stream, probe.parts, hash64(verdict.story_id), probe.seq, settings.shingle_size
        )
        watermark = max(probe.event_time, self.watermark or probe.event_time)
        return StateChange(
            verdict=verdict,
            record=record,
            boilerplate=delta,
            watermark=watermark,
            cutoff=watermark - settings.window_seconds,
            sweep=self._since_sweep + 1 >= settings.sweep_every,
        )

    def apply(self, change: StateChange) -> None:
        """Make a change part of the in-memory state (the engine persists it afterwards and
        rebuilds from the committed state when that fails)."""
        self._index_record(change.record)
        self.boilerplate.apply(change.boilerplate)
        self.watermark = change.watermark
        self.index.advance(change.cutoff)
        self._since_sweep += 1
        if change.sweep:
            self.index.sweep()
            self._since_sweep = 0

    def _index_record(self, record: DocRecord) -> None:
        self.index.add(
            record.seq,
            record.event_time,
            record.anchors,
            record.body_hash if record.first_body else None,
            record.url_key,
            shift=ANCHOR_SHIFT,
        )
        self.next_seq = max(self.next_seq, record.seq + 1)

    def restore(
        self,
        records: Sequence[DocRecord],
        stats: Iterable[tuple[int, BlockStat]],
        promotions: Iterable[Promotion],
        watermark: int | None,
        next_seq: int,
    ) -> None:
        """Rebuild from durable state: records in the window, boilerplate, clock."""
        self.boilerplate.restore_stats(stats)
        self.boilerplate.promote(promotions)
        self.watermark = watermark
        if watermark is not None:
            self.index.advance(watermark - self.settings.window_seconds)
        if records:
            self.index.add_many(batch_of(sorted(records, key=lambda item: item.seq)))
        self.next_seq = max(self.next_seq, next_seq)


def batch_of(records: Sequence[DocRecord]) -> IndexBatch:
    """The index batch for records sorted by sequence number."""
    first = records[0].seq
    rows = np.array([r.seq - first for r in records], dtype=np.int64)
    times = np.full(int(rows[-1]) + 1, DEAD, dtype=np.int64)
    times[rows] = [r.event_time for r in records]
    anchors = [anchor_keys(r.anchors) for r in records]
    sizes = np.array([a.size for a in anchors], dtype=np.int64)
    bodies = [
        (row, r.body_hash) for row, r in zip(rows.tolist(), records, strict=True) if r.first_body
    ]
    urls = [
        (row, r.url_key)
        for row, r in zip(rows.tolist(), records, strict=True)
        if r.url_key is not None
    ]
    return IndexBatch(
        first_seq=first,
        times=times,
        anchors=np.concatenate(anchors) if anchors else np.zeros(0, dtype=np.uint32),
        anchor_rows=np.repeat(rows, sizes),
        bodies=np.array([k for _, k in bodies], dtype=np.uint64),
        body_rows=np.array([row for row, _ in bodies], dtype=np.int64),
        urls=np.array([k for _, k in urls], dtype=np.uint64),
        url_rows=np.array([row for row, _ in urls], dtype=np.int64),
    )
