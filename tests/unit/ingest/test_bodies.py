"""Request bodies into articles: NDJSON batches answer one result per non-blank line."""

from __future__ import annotations

from hypothesis import given

from services.ingest.bodies import NDJSON, BodyError, parse_batch
from services.ingest.requests import ArticleIn
from tests.ndjson_cases import Case, cases


def batch(body: str) -> list[ArticleIn | BodyError]:
    return parse_batch(body.encode(), NDJSON, max_items=1000, max_item_bytes=1 << 20)


@given(cases())
def test_ndjson_batch_has_one_result_per_line_in_order(case: Case) -> None:
    results = batch(case.body)
    assert len(results) == len(case.records)
    for result, record in zip(results, case.records, strict=True):
        if record.article is None:
            assert isinstance(result, BodyError) and result.code == "malformed_json"
            assert result.message.startswith(f"line {record.line}: ")
        else:
            assert isinstance(result, ArticleIn), result
            assert (result.content, result.title) == (
                record.article["content"],
                record.article["title"],
            )


def test_u2028_in_one_page_does_not_shift_the_others() -> None:
    lines = [f'{{"content": "page {n}"}}' for n in range(22)]
    lines[5] = '{"content": "page 5, with a line\u2028separator"}'
    results = batch("\n".join(lines) + "\n")
    assert [r.content for r in results if isinstance(r, ArticleIn)][6:] == [
        f"page {n}" for n in range(6, 22)
    ]
    assert len(results) == 22


def test_errors_name_the_true_input_line() -> None:
    [good, bad] = batch('\n\n{"content": "x"}\r\n \n\u2028\n')
    assert isinstance(good, ArticleIn)
    assert isinstance(bad, BodyError) and bad.message.startswith("line 5: ")
