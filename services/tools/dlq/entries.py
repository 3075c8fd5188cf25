"""DLQ records as entries, what a command selects, and the records a replay publishes (pure)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from services.core.errors import NewsflowError
from services.core.headers import Headers
from services.core.models import DeadLetter
from services.core.records import ConsumedRecord

REPLAYED_FROM = "nf_replayed_from"


class DlqError(NewsflowError):
    """A DLQ command cannot do what it was asked: an unknown offset, a bad selection, …"""


@dataclass(frozen=True, slots=True)
class DlqEntry:
    """One record of the DLQ topic: the dead letter, or why its value is not one."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    headers: Headers
    letter: DeadLetter | None
    problem: str | None = None

    @property
    def marker(self) -> str:
        """The ``nf_replayed_from`` value of this entry's replay."""
        return replay_marker(self.topic, self.partition, self.offset)


def replay_marker(topic: str, partition: int, offset: int) -> str:
    return f"{topic}/{partition}/{offset}"


def entry_of(record: ConsumedRecord) -> DlqEntry:
    """The record as an entry; a value that is not a ``DeadLetter`` is kept with the reason."""
    letter, problem = None, None
    try:
        letter = DeadLetter.from_bytes(record.value or b"")
    except ValidationError as error:
        problem = f"not a dead letter: {error.errors()[0]['msg']}"
    return DlqEntry(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        headers=list(record.headers),
        letter=letter,
        problem=problem,
    )


@dataclass(frozen=True, slots=True)
class Filter:
    """Which entries to keep: by stage and error class (an unreadable entry has neither)."""

    stage: str | None = None
    error_class: str | None = None

    @property
    def empty(self) -> bool:
        return self.stage is None and self.error_class is None

    def matches(self, entry: DlqEntry) -> bool:
        if self.empty:
            return True
        letter = entry.letter
        if letter is None:
            return False
        return (self.stage is None or letter.stage == self.stage) and (
            self.error_class is None or letter.error_class == self.error_class
        )


def filtered(entries: Iterable[DlqEntry], keep: Filter, limit: int | None) -> list[DlqEntry]:
    """The matching entries, oldest first; with ``limit``, only the newest ``limit`` of them."""
    if limit is not None and limit < 1:
        raise DlqError(f"--limit must be at least 1, not {limit}")
    matching = [entry for entry in entries if keep.matches(entry)]
    return matching[-limit:] if limit is not None else matching


@dataclass(frozen=True, slots=True)
class Selection:
    """What ``replay`` picks: given offsets, or every entry matching a filter (``--all``)."""

    offsets: tuple[int, ...] = ()
    keep: Filter = field(default_factory=Filter)

    @property
    def bounds(self) -> tuple[int, int | None]:
        """The DLQ offsets worth reading: [first, last + 1), or everything."""
        if self.offsets:
            return min(self.offsets), max(self.offsets) + 1
        return 0, None


def selection_of(
    offsets: Sequence[int], every: bool, stage: str | None, error_class: str | None
) -> Selection:
    """Exactly one way of choosing: offsets, ``--all``, or ``--stage``/``--error-class``."""
    keep = Filter(stage, error_class)
    ways = sum([bool(offsets), every, not keep.empty])
    if ways != 1:
        raise DlqError("choose what to replay: OFFSET…, --all, or --stage/--error-class")
    if any(offset < 0 for offset in offsets):
        raise DlqError(f"offsets are never negative: {min(offsets)}")
    return Selection(tuple(sorted(set(offsets))), keep)


@dataclass(frozen=True, slots=True)
class Missing:
    """A chosen offset that cannot be replayed, and why."""

    offset: int
    reason: str


def select(
    entries: Sequence[DlqEntry], selection: Selection
) -> tuple[list[DlqEntry], list[Missing]]:
    """The entries to replay and the chosen offsets that cannot be (absent or unreadable)."""
    if not selection.offsets:
        chosen = [e for e in entries if e.letter is not None and selection.keep.matches(e)]
        return chosen, []
    by_offset = {entry.offset: entry for entry in entries}
    found: list[DlqEntry] = []
    missing: list[Missing] = []
    for offset in selection.offsets:
        entry = by_offset.get(offset)
        if entry is None:
            missing.append(Missing(offset, "no such record in the DLQ"))
        elif entry.letter is None:
            missing.append(Missing(offset, entry.problem or "not a dead letter"))
        else:
            found.append(entry)
    return found, missing


def original_value(letter: DeadLetter) -> bytes:
    """The original record's value, as the stage read it."""
    if letter.original_value_encoding == "utf-8":
        return letter.original_value.encode("utf-8")
    try:
        return base64.b64decode(letter.original_value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DlqError(f"the original value is not valid base64: {error}") from error


@dataclass(frozen=True, slots=True)
class Replay:
    """The original record of a dead letter, as a replay publishes it."""

    source: DlqEntry
    topic: str
    partition: int
    key: bytes | None
    value: bytes
    headers: Headers


def replay_of(entry: DlqEntry) -> Replay:
    """Original topic, partition, key, value and headers, plus ``nf_replayed_from``."""
    letter = entry.letter
    if letter is None:
        raise DlqError(f"offset {entry.offset}: {entry.problem or 'not a dead letter'}")
    key = entry.key
    if key is None and letter.original_key is not None:
        key = letter.original_key.encode("utf-8")
    headers = [
        (name, value.encode("utf-8"))
        for name, value in letter.original_headers.items()
        if name != REPLAYED_FROM
    ]
    return Replay(
        source=entry,
        topic=letter.original_topic,
        partition=letter.original_partition,
        key=key,
        value=original_value(letter),
        headers=[*headers, (REPLAYED_FROM, entry.marker.encode("utf-8"))],
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """What a replay does: publish these, skip those already replayed, report the missing."""

    publish: list[Replay]
    already: list[DlqEntry]
    missing: list[Missing]


def targets_of(chosen: Iterable[DlqEntry]) -> set[tuple[str, int]]:
    """The (topic, partition) pairs the chosen entries' originals go back to."""
    return {
        (entry.letter.original_topic, entry.letter.original_partition)
        for entry in chosen
        if entry.letter is not None
    }


def plan(chosen: Sequence[DlqEntry], missing: Sequence[Missing], replayed: set[str]) -> Plan:
    """Split the chosen entries by whether their marker is already on the target topic."""
    return Plan(
        publish=[replay_of(entry) for entry in chosen if entry.marker not in replayed],
        already=[entry for entry in chosen if entry.marker in replayed],
        missing=list(missing),
    )


def markers_in(records: Iterable[ConsumedRecord]) -> set[str]:
    """The ``nf_replayed_from`` values carried by ``records``."""
    return {marker for record in records if (marker := record.header(REPLAYED_FROM))}
