"""Dead-letter records: the original record, the reason and the traceback, its end kept."""

from __future__ import annotations

import json

from services.core.deadletters import MAX_TRACEBACK_HEADER, dead_letter_record, traceback_of
from services.core.errors import InvalidMessageError, RecordFault
from services.core.headers import header_map
from services.core.records import ConsumedRecord


def test_dead_letter_keeps_the_original_and_the_reason() -> None:
    record = ConsumedRecord("raw", 2, 41, b"k", b"\xff\x00", [("traceparent", b"nonsense")])
    out = dead_letter_record("dlq", "parser", record, RecordFault("cannot parse"))
    headers = header_map(out.headers)
    assert out.topic == "dlq" and out.key == b"k"
    assert headers["nf_stage"] == "parser"
    assert headers["nf_error_class"] == "RecordFault"
    assert headers["nf_error_message"] == "cannot parse"
    assert (
        headers["nf_original_topic"],
        headers["nf_original_partition"],
        headers["nf_original_offset"],
    ) == ("raw", "2", "41")
    body = json.loads(out.value)
    assert body["original_value"] == "/wA=" and body["original_value_encoding"] == "base64"
    assert body["original_headers"] == {"traceparent": "nonsense"}


def _raised_deep(depth: int) -> Exception:
    def dive(n: int) -> None:
        if n == 0:
            raise InvalidMessageError("not a valid RawArticle")
        dive(n - 1)

    try:
        dive(depth)
    except InvalidMessageError as error:
        return error
    raise AssertionError("unreachable")


def test_dead_letter_carries_the_traceback_in_value_and_header() -> None:
    record = ConsumedRecord("raw", 0, 7, b"k", b"{}")
    out = dead_letter_record("dlq", "parser", record, _raised_deep(2))
    body = json.loads(out.value)
    trace = body["error_traceback"]
    assert trace.startswith("Traceback (most recent call last):")
    assert "in dive" in trace and "_raised_deep" in trace
    assert trace.endswith("InvalidMessageError: not a valid RawArticle")
    assert header_map(out.headers)["nf_error_traceback"] == trace


def test_a_long_traceback_keeps_its_end() -> None:
    error = _raised_deep(400)
    full = traceback_of(error, limit=10**9)
    cut = traceback_of(error, limit=500)
    assert len(full) > 500 and len(cut) == 500
    assert cut.startswith("…") and full.endswith(cut[1:])
    record = ConsumedRecord("raw", 0, 7, b"k", b"{}")
    out = dead_letter_record("dlq", "parser", record, error)
    assert len(header_map(out.headers)["nf_error_traceback"]) <= MAX_TRACEBACK_HEADER
    assert json.loads(out.value)["error_traceback"].endswith("not a valid RawArticle")


def test_an_error_never_raised_still_names_itself() -> None:
    assert traceback_of(ValueError("made, not raised")) == "ValueError: made, not raised"
