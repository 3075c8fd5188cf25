"""Request bodies into articles: NDJSON batches answer one result per non-blank line."""

from __future__ import annotations

import pytest
from hypothesis import given

from services.ingest.bodies import NDJSON, BodyError, parse_batch, parse_single
from services.ingest.requests import ArticleIn
from tests.encoded_news import NEWS, News
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


@pytest.mark.parametrize("news", NEWS, ids=lambda n: f"{n.language}-{n.charset}")
def test_text_and_html_in_their_declared_or_meta_charset(news: News) -> None:
    plain = parse_single(news.encoded(news.plain), f"text/plain; charset={news.charset}", {})
    assert (plain.content, plain.content_type) == (news.plain, "text/plain")
    page = news.html("charset")
    html = parse_single(news.encoded(page), "text/html", {"source": "wire"})
    assert (html.content, html.content_type, html.source) == (page, "text/html", "wire")
    quoted = parse_single(news.encoded(page), f'text/html;Charset="{news.charset}"', {})
    assert quoted.content == page


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code", "message"),
    [
        (b'{"content": "x"}', "application/json; charset=iso-8859-1", 415, "unsupported_charset", "JSON is UTF-8 only (RFC 8259), not charset=iso-8859-1"),
        (b'{"content": "x"}', "application/json; charset=klingon", 415, "unsupported_charset", "JSON is UTF-8 only (RFC 8259), not charset=klingon"),
        (b"Caf\xe9", "text/plain; charset=klingon", 415, "unsupported_charset", "unknown charset 'klingon': send UTF-8 or name a text encoding"),
        (b"Caf\xe9", "text/plain; charset=utf-8", 400, "invalid_utf8", "body is not valid utf-8 (as declared): unexpected end of data at byte 3"),
        (b"\x81\x20", "text/html; charset=shift_jis", 400, "undecodable", "body is not valid shift_jis (as declared): illegal multibyte sequence at byte 0"),
        (b"Caf\xe9 au lait", "text/plain", 400, "invalid_utf8", "body is not valid UTF-8 (invalid continuation byte at byte 3) and no charset declared: send it as 'text/plain; charset=<its encoding>'"),
        (bytes(range(256)) * 4, "text/html", 400, "invalid_utf8", "body is not valid UTF-8 (invalid start byte at byte 128), no charset declared and none detected"),
    ],
)  # fmt: skip
def test_bodies_in_no_readable_charset_are_refused(
    body: bytes, content_type: str, status: int, code: str, message: str
) -> None:
    with pytest.raises(BodyError) as refused:
        parse_single(body, content_type, {})
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        status,
        code,
        message,
    )


def test_json_batches_are_utf8_and_may_say_so() -> None:
    body = b'{"content": "a"}\n'
    for kind in (NDJSON, "application/json"):
        with pytest.raises(BodyError, match="unsupported_charset: JSON is UTF-8 only"):
            parse_batch(body, f"{kind}; charset=windows-1252", 10, 1000)
    [item] = parse_batch(body, f"{NDJSON}; charset=UTF-8", 10, 1000)
    assert isinstance(item, ArticleIn)
    assert (
        parse_single(b'{"content": "\xc3\xa9"}', "application/json; charset=utf8", {}).content
        == "é"
    )
