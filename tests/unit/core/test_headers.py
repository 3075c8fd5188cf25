"""Trace context and CloudEvents headers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.core import topology
from services.core.events import next_record, stage_output
from services.core.headers import TraceContext, cloudevent_headers, header_map
from services.core.models import RawArticle
from services.core.records import ConsumedRecord
from services.core.topics import Topic, Topics


def test_traceparent_round_trip_and_child_keeps_trace() -> None:
    value = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    trace = TraceContext.parse(value)
    assert trace is not None and trace.header() == value
    child = trace.child()
    assert child.trace_id == trace.trace_id and child.span_id != trace.span_id


@pytest.mark.parametrize(
    "bad",
    [None, "", "garbage", "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
     "00-00000000000000000000000000000000-b7ad6b7169203331-01",
     "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"],
)  # fmt: skip
def test_invalid_traceparent_is_ignored(bad: str | None) -> None:
    assert TraceContext.parse(bad) is None


def test_cloudevent_headers_binary_mode() -> None:
    time = datetime(2025, 1, 1, tzinfo=UTC)
    headers = header_map(
        cloudevent_headers(
            event_id="e1", source="/s", event_type="t", time=time, trace=TraceContext.new()
        )
    )
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_time"] == "2025-01-01T00:00:00+00:00"
    assert headers["content-type"] == "application/json"
    assert set(headers) == {
        "ce_specversion",
        "ce_id",
        "ce_source",
        "ce_type",
        "ce_time",
        "content-type",
        "traceparent",
    }


def test_next_record_continues_the_trace_with_a_stable_event_id() -> None:
    trace = TraceContext.new()
    incoming = ConsumedRecord(
        "raw", 1, 5, b"id-1", b"{}", [("ce_id", b"abc"), ("traceparent", trace.header().encode())]
    )
    message = RawArticle(id="id-1", id_source="client", content="x", received_at=datetime.now(UTC))
    first = next_record(
        incoming,
        "parsed",
        message,
        stage="parser",
        event_type="t",
        extra_headers={"nf_verdict": "unique"},
    )
    again = next_record(incoming, "parsed", message, stage="parser", event_type="t")
    out = header_map(first.headers)
    assert out["ce_id"] == header_map(again.headers)["ce_id"] == "abc:parser"
    assert out["traceparent"].split("-")[1] == trace.trace_id
    assert out["nf_verdict"] == "unique"
    assert first.key == b"id-1"


def test_records_of_one_batch_share_their_time_and_keep_their_own_id_span_and_extras() -> None:
    trace = TraceContext.new()
    batch_time = datetime(2026, 11, 27, 2, 30, 0, 123456, tzinfo=UTC)
    incoming = [
        ConsumedRecord(
            "dedup", 0, n, f"id-{n}".encode(), b"{}",
            [("ce_id", f"e{n}".encode()), ("traceparent", trace.header().encode())],
        )
        for n in range(4)
    ]  # fmt: skip
    verdicts = ["unique", "duplicate", "unique", "near_duplicate"]
    out = [
        header_map(
            next_record(
                record, "processed", b"{}", stage="store", event_type="t", time=batch_time,
                extra_headers={"nf_verdict": verdict},
            ).headers
        )
        for record, verdict in zip(incoming, verdicts, strict=True)
    ]  # fmt: skip
    assert {headers["ce_time"] for headers in out} == {"2026-11-27T02:30:00.123456+00:00"}
    assert [headers["ce_id"] for headers in out] == ["e0:store", "e1:store", "e2:store", "e3:store"]
    assert [headers["nf_verdict"] for headers in out] == verdicts
    spans = [headers["traceparent"].split("-") for headers in out]
    assert {span[1] for span in spans} == {trace.trace_id}
    assert len({span[2] for span in spans} | {trace.span_id}) == 5


def test_a_record_without_event_id_or_trace_gets_its_position_and_a_new_trace() -> None:
    before = datetime.now(UTC)
    incoming = ConsumedRecord(
        "raw", 2, 41, b"k", b"{}", [("traceparent", b"00-zz-bad-01"), ("ce_id", b"")]
    )
    out = header_map(next_record(incoming, "parsed", b"{}", stage="parser", event_type="t").headers)
    assert out["ce_id"] == "raw/2/41:parser"
    assert TraceContext.parse(out["traceparent"]) is not None
    assert before <= datetime.fromisoformat(out["ce_time"]) <= datetime.now(UTC)


def test_the_last_header_of_a_name_wins_as_in_header_map() -> None:
    incoming = ConsumedRecord("raw", 0, 0, b"k", b"{}", [("ce_id", b"first"), ("ce_id", b"last")])
    out = header_map(next_record(incoming, "parsed", b"{}", stage="parser", event_type="t").headers)
    assert out["ce_id"] == "last:parser"


def test_children_are_distinct_valid_spans_of_the_trace() -> None:
    parent = TraceContext.new()
    children = parent.children(1000)
    assert len({child.span_id for child in children}) == 1000
    for child in children:
        assert child.trace_id == parent.trace_id and child.flags == parent.flags
        assert TraceContext.parse(child.header()) == child
    assert parent.children(0) == []


def test_stage_output_takes_topic_stage_and_event_type_from_the_topology_row() -> None:
    incoming = ConsumedRecord("nf.raw", 0, 7, b"id-7", b"{}", [("ce_id", b"up")])
    [record] = stage_output(
        topology.stage("dedup"),
        Topics("nf."),
        incoming,
        b"{}",
        time=datetime(2026, 1, 2, tzinfo=UTC),
        extra_headers={"nf_verdict": "duplicate"},
    )
    headers = header_map(record.headers)
    assert record.topic == Topics("nf.").name_of(Topic.DEDUPLICATED)
    assert headers["ce_type"] == topology.stage("dedup").event_type
    assert headers["ce_source"] == "/newsflow/dedup"
    assert headers["ce_id"] == "up:dedup"
    assert headers["nf_verdict"] == "duplicate"
    assert record.key == b"id-7" and record.value == b"{}"
