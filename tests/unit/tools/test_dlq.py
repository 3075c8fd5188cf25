"""The pure parts of `newsflow dlq`: entries, filters, selections, replay records, rendering."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from services.core.models import DeadLetter
from services.core.records import ConsumedRecord, Delivered
from services.tools.dlq.entries import (
    REPLAYED_FROM,
    DlqEntry,
    DlqError,
    Filter,
    Missing,
    Selection,
    entry_of,
    filtered,
    markers_in,
    original_value,
    plan,
    replay_of,
    select,
    selection_of,
    targets_of,
)
from services.tools.dlq.render import details, one_line, summary, table

DLQ = "t.articles.dlq.v1"
RAW = "t.articles.raw.v1"
FAILED_AT = datetime(2025, 3, 19, 8, 0, tzinfo=UTC)


def letter(**changes: object) -> DeadLetter:
    fields: dict[str, object] = {
        "stage": "parser",
        "error_class": "InvalidMessageError",
        "error_message": "the record has no value",
        "original_topic": RAW,
        "original_partition": 2,
        "original_offset": 7,
        "original_key": "a-1",
        "original_value": "Title\n\nBody",
        "original_value_encoding": "utf-8",
        "original_headers": {
            "ce_id": "a-1",
            "traceparent": "00-" + "1" * 32 + "-" + "2" * 16 + "-01",
        },
        "failed_at": FAILED_AT,
    }
    fields.update(changes)
    return DeadLetter.model_validate(fields)


def entry(offset: int, dead: DeadLetter | None = None, key: bytes | None = b"a-1") -> DlqEntry:
    value = (dead or letter()).to_bytes()
    return entry_of(ConsumedRecord(DLQ, 0, offset, key, value, [("nf_stage", b"parser")]))


def unreadable(offset: int) -> DlqEntry:
    return entry_of(ConsumedRecord(DLQ, 0, offset, b"k", b"{not json"))


def test_entry_of_reads_a_dead_letter_or_keeps_why_not() -> None:
    good = entry(3)
    assert good.letter is not None and good.letter.stage == "parser" and good.problem is None
    assert good.marker == f"{DLQ}/0/3"
    bad = unreadable(4)
    assert bad.letter is None
    assert bad.problem is not None and bad.problem.startswith("not a dead letter")


@pytest.mark.parametrize(
    ("stage", "error_class", "expected"),
    [
        (None, None, [0, 1, 2, 3]),
        ("parser", None, [0, 2]),
        (None, "EmptyArticleError", [1, 2]),
        ("parser", "EmptyArticleError", [2]),
        ("store", None, []),
    ],
)
def test_filter_by_stage_and_error_class(
    stage: str | None, error_class: str | None, expected: list[int]
) -> None:
    entries = [
        entry(0),
        entry(1, letter(stage="dedup", error_class="EmptyArticleError")),
        entry(2, letter(error_class="EmptyArticleError")),
        unreadable(3),  # matches only when nothing is filtered
    ]
    kept = filtered(entries, Filter(stage, error_class), None)
    assert [e.offset for e in kept] == expected


def test_limit_keeps_the_newest_and_refuses_less_than_one() -> None:
    entries = [entry(n) for n in range(5)]
    assert [e.offset for e in filtered(entries, Filter(), 2)] == [3, 4]
    assert [e.offset for e in filtered(entries, Filter(), 10)] == [0, 1, 2, 3, 4]
    with pytest.raises(DlqError, match="--limit"):
        filtered(entries, Filter(), 0)


def test_selection_sorts_and_deduplicates_offsets() -> None:
    selection = selection_of([5, 2, 5], False, None, None)
    assert selection.offsets == (2, 5) and selection.bounds == (2, 6)
    assert selection_of([], True, None, None).bounds == (0, None)
    assert selection_of([], False, "parser", None).keep == Filter("parser")


@pytest.mark.parametrize(
    ("offsets", "every", "stage", "error_class", "message"),
    [
        ([], False, None, None, "choose what to replay"),
        ([1], True, None, None, "choose what to replay"),
        ([1], False, "parser", None, "choose what to replay"),
        ([], True, None, "X", "choose what to replay"),
        ([-1], False, None, None, "never negative"),
    ],
)
def test_selection_errors(
    offsets: list[int], every: bool, stage: str | None, error_class: str | None, message: str
) -> None:
    with pytest.raises(DlqError, match=message):
        selection_of(offsets, every, stage, error_class)


def test_select_by_offset_reports_absent_and_unreadable() -> None:
    entries = [entry(1), unreadable(2), entry(3)]
    chosen, missing = select(entries, Selection((1, 2, 9)))
    assert [e.offset for e in chosen] == [1]
    assert [m.offset for m in missing] == [2, 9]
    assert missing[0].reason.startswith("not a dead letter")
    assert missing[1].reason == "no such record in the DLQ"


def test_select_all_or_by_filter_skips_unreadable() -> None:
    entries = [entry(1), unreadable(2), entry(3, letter(stage="dedup"))]
    chosen, missing = select(entries, Selection())
    assert [e.offset for e in chosen] == [1, 3] and missing == []
    chosen, _ = select(entries, Selection(keep=Filter(stage="dedup")))
    assert [e.offset for e in chosen] == [3]


def test_original_value_text_and_base64() -> None:
    assert original_value(letter()) == b"Title\n\nBody"
    raw = b"\xff\xfe\x00binary"
    encoded = base64.b64encode(raw).decode()
    assert original_value(letter(original_value=encoded, original_value_encoding="base64")) == raw
    with pytest.raises(DlqError, match="not valid base64"):
        original_value(letter(original_value="%%%not base64", original_value_encoding="base64"))


def test_replay_keeps_the_original_record_and_adds_the_marker() -> None:
    old_marker = {REPLAYED_FROM: f"{DLQ}/0/1"}  # an earlier replay that failed again
    headers = {**letter().original_headers, **old_marker}
    replay = replay_of(entry(5, letter(original_headers=headers)))
    assert (replay.topic, replay.partition, replay.key) == (RAW, 2, b"a-1")
    assert replay.value == b"Title\n\nBody"
    names = [name for name, _ in replay.headers]
    assert names == ["ce_id", "traceparent", REPLAYED_FROM]
    assert dict(replay.headers)[REPLAYED_FROM] == f"{DLQ}/0/5".encode()
    assert dict(replay.headers)["traceparent"] == headers["traceparent"].encode()


def test_replay_key_falls_back_to_the_letter_and_unreadable_is_refused() -> None:
    assert replay_of(entry(1, key=None)).key == b"a-1"
    assert replay_of(entry(1, letter(original_key=None), key=None)).key is None
    with pytest.raises(DlqError, match="offset 2: not a dead letter"):
        replay_of(unreadable(2))


def test_plan_skips_what_the_target_already_carries() -> None:
    chosen = [entry(1), entry(2, letter(original_partition=0))]
    assert targets_of(chosen) == {(RAW, 2), (RAW, 0)}
    target = [
        ConsumedRecord(RAW, 2, 0, b"a-1", b"x", [(REPLAYED_FROM, f"{DLQ}/0/1".encode())]),
        ConsumedRecord(RAW, 2, 1, b"a-2", b"y", [("ce_id", b"a-2")]),
    ]
    replayed = markers_in(target)
    assert replayed == {f"{DLQ}/0/1"}
    todo = plan(chosen, [Missing(9, "no such record in the DLQ")], replayed)
    assert [r.source.offset for r in todo.publish] == [2]
    assert [e.offset for e in todo.already] == [1]
    assert [m.offset for m in todo.missing] == [9]


def test_one_line_flattens_and_cuts() -> None:
    assert one_line("a\n\n b\tc", 10) == "a b c"
    assert one_line("x" * 20, 10) == "x" * 9 + "…"


def test_table_aligns_columns_and_counts() -> None:
    entries = [entry(3, letter(error_message="line one\nline two")), unreadable(12)]
    lines = table(entries, total=5)
    assert lines[0].split() == ["OFFSET", "TIME", "STAGE", "ERROR", "CLASS", "KEY", "MESSAGE"]
    assert lines[1].split() == [
        "3",
        "2025-03-19T08:00:00+00:00",
        "parser",
        "InvalidMessageError",
        "a-1",
        "line",
        "one",
        "line",
        "two",
    ]
    assert lines[2].startswith("12") and "not a dead letter" in lines[2]
    assert lines[0].index("STAGE") == lines[1].index("parser")
    assert lines[-1] == "(2 of 5 matching records shown)"


def test_details_show_reason_origin_headers_and_text_value() -> None:
    text = "\n".join(details(entry(3)))
    assert f"dead letter: {DLQ}/0/3" in text
    assert "error class: InvalidMessageError" in text
    assert "error message: the record has no value" in text
    assert f"original record: {RAW}/2/7" in text
    assert "dead-letter headers:\n  nf_stage: parser" in text
    assert "original headers:\n  ce_id: a-1\n  traceparent: 00-" in text
    assert text.endswith("original value: 11 bytes of UTF-8 text:\nTitle\n\nBody")


def test_details_show_the_traceback_once_and_note_a_letter_without_one() -> None:
    trace = 'Traceback (most recent call last):\n  File "x.py", line 1\nKeyError: 1'
    record = ConsumedRecord(
        DLQ,
        0,
        6,
        b"a-1",
        letter(error_traceback=trace).to_bytes(),
        [("nf_stage", b"parser"), ("nf_error_traceback", trace.encode())],
    )
    text = "\n".join(details(entry_of(record)))
    assert "traceback:\n  Traceback (most recent call last):\n" in text
    assert "  KeyError: 1\ndead-letter headers:\n  nf_stage: parser\n" in text
    assert text.count("KeyError: 1") == 1  # not again among the headers
    assert "traceback: not recorded" in "\n".join(details(entry(3)))


def test_details_note_base64_and_unreadable_records() -> None:
    encoded = base64.b64encode(b"\xff\xfe").decode()
    dead = letter(original_value=encoded, original_value_encoding="base64", original_headers={})
    text = "\n".join(details(entry(4, dead)))
    assert "original headers: none" in text
    assert text.endswith(f"original value: 2 bytes, not UTF-8, shown as base64:\n{encoded}")
    lines = details(unreadable(5))
    assert (
        lines[0].startswith(f"record {DLQ}/0/5: not a dead letter") and lines[1] == "headers: none"
    )


def test_summary_of_a_replay_and_of_a_dry_run() -> None:
    todo = plan([entry(1), entry(2)], [Missing(9, "no such record in the DLQ")], {f"{DLQ}/0/2"})
    done = summary(todo, [Delivered(RAW, 2, 40)])
    assert done == [
        "replayed: 1",
        f"  dlq offset 1 -> {RAW}/2/40",
        "skipped, already replayed: 1",
        "  dlq offset 2",
        "not found: 1",
        "  dlq offset 9: no such record in the DLQ",
    ]
    dry = summary(todo, None)
    assert dry[:2] == ["would replay: 1", f"  dlq offset 1 -> {RAW}/2"]
