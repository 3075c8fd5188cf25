"""What ``newsflow dlq`` prints: the table, one dead letter in full, the replay summary (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from services.core.deadletters import NF_ERROR_TRACEBACK
from services.core.headers import header_map
from services.core.models import DeadLetter
from services.core.records import Delivered
from services.tools.dlq.entries import DlqEntry, Plan, original_value

MESSAGE_WIDTH = 80
KEY_WIDTH = 40
COLUMNS = ("OFFSET", "TIME", "STAGE", "ERROR CLASS", "KEY", "MESSAGE")


def one_line(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters (an ellipsis marks the cut)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def row(entry: DlqEntry) -> tuple[str, ...]:
    key = "-" if entry.key is None else entry.key.decode("utf-8", "replace")
    letter = entry.letter
    if letter is None:
        return (str(entry.offset), "-", "-", "-", one_line(key, KEY_WIDTH), entry.problem or "")
    return (
        str(entry.offset),
        letter.failed_at.isoformat(timespec="seconds"),
        letter.stage,
        letter.error_class,
        one_line(key, KEY_WIDTH),
        one_line(letter.error_message, MESSAGE_WIDTH),
    )


def table(entries: Sequence[DlqEntry], total: int) -> list[str]:
    """Aligned columns, one entry a line, and how many of the matching records are shown."""
    rows = [COLUMNS, *(row(entry) for entry in entries)]
    widths = [max(len(cells[i]) for cells in rows) for i in range(len(COLUMNS) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(cells, widths, strict=False)), cells[-1]]).rstrip()
        for cells in rows
    ]
    lines.append(f"({len(entries)} of {total} matching records shown)")
    return lines


def _headers(title: str, headers: dict[str, str]) -> list[str]:
    if not headers:
        return [f"{title}: none"]
    return [f"{title}:", *(f"  {name}: {value}" for name, value in headers.items())]


def _without_traceback(headers: dict[str, str]) -> dict[str, str]:
    """The dead letter's headers but the traceback, shown whole with the reason."""
    return {name: value for name, value in headers.items() if name != NF_ERROR_TRACEBACK}


def _reason(entry: DlqEntry, letter: DeadLetter) -> list[str]:
    key = "-" if entry.key is None else entry.key.decode("utf-8", "replace")
    original = f"{letter.original_topic}/{letter.original_partition}/{letter.original_offset}"
    return [
        f"dead letter: {entry.topic}/{entry.partition}/{entry.offset}",
        f"stage: {letter.stage}",
        f"error class: {letter.error_class}",
        f"error message: {letter.error_message}",
        f"failed at: {letter.failed_at.isoformat()}",
        f"original record: {original}",
        f"key: {key}",
        *_traceback(letter.error_traceback),
    ]


def _traceback(text: str | None) -> list[str]:
    if not text:
        return ["traceback: not recorded"]
    return ["traceback:", *(f"  {line}" for line in text.splitlines())]


def details(entry: DlqEntry) -> list[str]:
    """Everything about one dead letter: the reason, where it came from, headers, the value."""
    letter = entry.letter
    if letter is None:
        return [
            f"record {entry.topic}/{entry.partition}/{entry.offset}: {entry.problem}",
            *_headers("headers", header_map(entry.headers)),
        ]
    if letter.original_value_encoding == "base64":
        size = len(original_value(letter))
        value_title = f"original value: {size} bytes, not UTF-8, shown as base64"
    else:
        size = len(letter.original_value.encode("utf-8"))
        value_title = f"original value: {size} bytes of UTF-8 text"
    return [
        *_reason(entry, letter),
        *_headers("dead-letter headers", _without_traceback(header_map(entry.headers))),
        *_headers("original headers", letter.original_headers),
        f"{value_title}:",
        letter.original_value,
    ]


def summary(plan: Plan, delivered: Sequence[Delivered] | None) -> list[str]:
    """The replay's outcome; ``delivered`` is None for a dry run (nothing was published)."""
    verb = "would replay" if delivered is None else "replayed"
    lines = [f"{verb}: {len(plan.publish)}"]
    for index, replay in enumerate(plan.publish):
        where = f"{replay.topic}/{replay.partition}"
        if delivered is not None:
            where = f"{where}/{delivered[index].offset}"
        lines.append(f"  dlq offset {replay.source.offset} -> {where}")
    lines.append(f"skipped, already replayed: {len(plan.already)}")
    lines.extend(f"  dlq offset {entry.offset}" for entry in plan.already)
    lines.append(f"not found: {len(plan.missing)}")
    lines.extend(f"  dlq offset {missing.offset}: {missing.reason}" for missing in plan.missing)
    return lines
