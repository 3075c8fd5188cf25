"""Dedup's durable state as rows (pure): what both backends write and read back, and the
compatibility check of the state's format.

Unsigned 64-bit hashes are stored as signed integers (SQLite's and PostgreSQL's integers are
signed); arrays of them as little-endian blobs; a verdict as its JSON text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from services.core.settings import DedupSettings
from services.dedup.boilerplate_model import BlockStat, BoilerplateDelta, Promotion
from services.dedup.decision import Decision
from services.dedup.deduplicator import StateChange
from services.dedup.errors import StateError
from services.dedup.recordstore import DocRecord

# The format of the state's rows: 2: token hashes read tokens eight bytes at a time
# (fingerprints of version 1 differ, so a state of version 1 is refused).
FORMAT_VERSION = "2"
_SIGN = 1 << 63
FINGERPRINT_COLUMNS = (
    "seq",
    "article_id",
    "story_id",
    "event_time",
    "body_hash",
    "url_key",
    "shingle_count",
    "sample",
    "lede",
    "anchors",
    "first_body",
)


def to_signed(value: int) -> int:
    """uint64 → int64."""
    return value - (1 << 64) if value >= _SIGN else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def blob(values: NDArray[np.uint64]) -> bytes:
    return values.astype("<u8").tobytes()


def array(data: bytes) -> NDArray[np.uint64]:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


def record_of(row: Sequence[Any]) -> DocRecord:
    """The record of a fingerprint row (columns in :data:`FINGERPRINT_COLUMNS` order)."""
    return DocRecord(
        seq=int(row[0]),
        article_id=str(row[1]),
        story_id=str(row[2]),
        event_time=int(row[3]),
        body_hash=to_unsigned(int(row[4])),
        url_key=None if row[5] is None else to_unsigned(int(row[5])),
        shingle_count=int(row[6]),
        sample=array(row[7]),
        lede=array(row[8]),
        anchors=array(row[9]),
        first_body=bool(row[10]),
    )


def record_row(record: DocRecord) -> tuple[Any, ...]:
    """A fingerprint row (``first_body`` as a bool: SQLite stores it as 1 or 0)."""
    return (
        record.seq,
        record.article_id,
        record.story_id,
        record.event_time,
        to_signed(record.body_hash),
        None if record.url_key is None else to_signed(record.url_key),
        record.shingle_count,
        blob(record.sample),
        blob(record.lede),
        blob(record.anchors),
        record.first_body,
    )


def verdict_row(verdict: Decision) -> tuple[str, str, str]:
    """The verdicts table's row (the JSON by orjson: a tenth of the standard library's time;
    numpy numbers are written as the numbers they hold)."""
    json = orjson.dumps(verdict.to_dict(), option=orjson.OPT_SERIALIZE_NUMPY)
    return (verdict.article_id, verdict.story_id, json.decode())


def verdict_of(json: str) -> Decision:
    return Decision.from_dict(orjson.loads(json))


def block_stat(stories: bytes, last_seq: int) -> BlockStat:
    return BlockStat(tuple(array(stories).tolist()), int(last_seq))


@dataclass(frozen=True, slots=True)
class BatchRows:
    """What one batch of changes writes, table by table, in this order: new verdicts and
    fingerprints; boilerplate blocks deleted, then upserted with their state after the batch;
    promotions upserted; the clock; then fingerprints older than ``sweep_before`` deleted."""

    verdicts: list[tuple[str, str, str]]
    fingerprints: list[tuple[Any, ...]]
    blocks_gone: list[int]
    blocks_kept: list[tuple[int, bytes, int]]
    promoted: list[tuple[int, bytes]]
    clock: dict[str, str]
    sweep_before: int | None


def batch_rows(changes: Sequence[StateChange]) -> BatchRows:
    """The rows of a non-empty batch of changes (in order)."""
    blocks, promoted = _final_boilerplate(change.boilerplate for change in changes)
    last = changes[-1]
    sweeps = [change.cutoff for change in changes if change.sweep]
    return BatchRows(
        verdicts=[verdict_row(change.verdict) for change in changes],
        fingerprints=[record_row(change.record) for change in changes],
        blocks_gone=[to_signed(b) for b, stat in blocks.items() if stat is None],
        blocks_kept=[
            (to_signed(b), blob(np.array(stat.stories, dtype=np.uint64)), stat.last_seq)
            for b, stat in blocks.items()
            if stat is not None
        ],
        promoted=[(to_signed(p.block), blob(p.shingles)) for p in promoted],
        clock={"watermark": str(last.watermark), "next_seq": str(last.record.seq + 1)},
        sweep_before=max(sweeps) if sweeps else None,
    )


def _final_boilerplate(
    deltas: Iterable[BoilerplateDelta],
) -> tuple[dict[int, BlockStat | None], list[Promotion]]:
    """Each block's state after the deltas in order (``None``: deleted), and the promotions."""
    blocks: dict[int, BlockStat | None] = {}
    promoted: list[Promotion] = []
    for delta in deltas:
        blocks.update(delta.updates)
        for block in (*delta.pruned, *(p.block for p in delta.promotions)):
            blocks[block] = None
        promoted.extend(delta.promotions)
    return blocks, promoted


def expected_meta(settings: DedupSettings) -> dict[str, str]:
    """What the state records about the engine that wrote it (checked at every open)."""
    return {"schema_version": FORMAT_VERSION, "shingle_size": str(settings.shingle_size)}


def check_meta(meta: Mapping[str, str], settings: DedupSettings) -> None:
    """Refuse a state written by an incompatible engine (:class:`StateError`)."""
    for key, value in expected_meta(settings).items():
        if key in meta and meta[key] != value:
            raise StateError(f"state has {key}={meta[key]!r}, engine expects {value!r}")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything needed to rebuild the in-memory state."""

    records: list[DocRecord]
    stats: list[tuple[int, BlockStat]]
    promotions: list[Promotion]
    watermark: int | None
    next_seq: int

    @classmethod
    def of(
        cls,
        meta: Mapping[str, str],
        records: list[DocRecord],
        stats: list[tuple[int, BlockStat]],
        promotions: list[Promotion],
    ) -> Snapshot:
        watermark = int(meta["watermark"]) if "watermark" in meta else None
        return cls(records, stats, promotions, watermark, int(meta.get("next_seq", "0")))


def window_start(meta: Mapping[str, str], window_seconds: int) -> int:
    """The oldest event time a snapshot keeps (by the stored watermark)."""
    return -(1 << 63) if "watermark" not in meta else int(meta["watermark"]) - window_seconds
