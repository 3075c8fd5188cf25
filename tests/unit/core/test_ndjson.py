"""The one framing rule of line-delimited JSON: records end at ``\\n`` alone."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given

from services.core import ndjson
from tests.ndjson_cases import SEPARATORS, Case, cases


@given(cases())
def test_one_record_per_non_blank_line_in_order(case: Case) -> None:
    found = ndjson.records(case.body)
    assert [line.number for line in found] == [r.line for r in case.records]
    for line, record in zip(found, case.records, strict=True):
        if record.article is not None:
            assert orjson.loads(line.text) == record.article
        else:
            with pytest.raises(orjson.JSONDecodeError):
                orjson.loads(line.text)


@given(cases())
def test_line_numbers_are_those_of_the_input(case: Case) -> None:
    physical = case.body.split("\n")
    for line in ndjson.records(case.body):
        assert physical[line.number - 1].removesuffix("\r") == line.text


@pytest.mark.parametrize("separator", SEPARATORS)
def test_a_raw_separator_inside_a_string_stays_in_its_record(separator: str) -> None:
    body = f'{{"content": "a{separator}b"}}\n{{"content": "c"}}'
    assert [line.text for line in ndjson.records(body)] == [
        f'{{"content": "a{separator}b"}}',
        '{"content": "c"}',
    ]


def test_crlf_blank_lines_and_no_final_newline() -> None:
    body = '\r\n{"a": 1}\r\n \t\r\n\r\n{"a": 2}\r\n\n{"a": 3}'
    assert ndjson.records(body) == [
        ndjson.Line(2, '{"a": 1}'),
        ndjson.Line(5, '{"a": 2}'),
        ndjson.Line(7, '{"a": 3}'),
    ]
    assert ndjson.records("") == [] and ndjson.records("\n \r\n\t\n") == []


@pytest.mark.parametrize("invisible", [*SEPARATORS, "\u00a0", "\u200b", "\ufeff"])
def test_a_line_of_invisible_characters_is_a_record_not_a_blank(invisible: str) -> None:
    """Only JSON's whitespace makes a line blank: anything else is kept, to be refused as not
    JSON at its own line rather than dropped unseen."""
    assert ndjson.records(f'{{"a": 1}}\n{invisible}\n{{"a": 2}}') == [
        ndjson.Line(1, '{"a": 1}'),
        ndjson.Line(2, invisible),
        ndjson.Line(3, '{"a": 2}'),
    ]
