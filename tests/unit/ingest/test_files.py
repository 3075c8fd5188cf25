"""Files and stdin into articles for `newsflow push`."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given

from services.ingest.files import expand, items_from_text, read_items, sniff_suffix
from services.ingest.push import PushSummary, batches
from tests.encoded_news import DETECTABLE, NEWS, News
from tests.ndjson_cases import Case, cases

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def test_every_seed_file_gives_articles() -> None:
    files = expand([SEEDS])
    assert {f.suffix for f in files} >= {".txt", ".html", ".json", ".ndjson"}
    items = [item for f in files for item in read_items(f)]
    assert all(item.article is not None for item in items), [i.error for i in items]
    assert len(items) >= 7


def test_kinds_and_errors() -> None:
    [text] = items_from_text("Title\n\nBody", "a.txt", ".txt")
    assert text.article == {
        "content": "Title\n\nBody",
        "content_type": "text/plain",
        "source": "a.txt",
    }
    [html] = items_from_text("<p>x</p>", "a.html", ".HTML")
    assert html.article is not None and html.article["content_type"] == "text/html"
    many = list(items_from_text('[{"content": "a"}, 3]', "b.json", ".json"))
    assert [i.error for i in many] == [None, "a JSON article must be an object"]
    lines = list(items_from_text('{"content": "a"}\n\n{bad\n', "c.ndjson", ".ndjson"))
    assert lines[0].article == {"content": "a"}
    assert lines[1].origin == "c.ndjson:3" and "not valid JSON" in (lines[1].error or "")
    [bad] = items_from_text("{", "d.json", ".json")
    assert "not valid JSON" in (bad.error or "")
    [other] = items_from_text("x", "e.pdf", ".pdf")
    assert "unsupported" in (other.error or "")


def test_unreadable_files(tmp_path: Path) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    [error] = [i.error for i in read_items(binary)]
    assert error is not None and error.startswith("not valid UTF-8 (invalid start byte at byte")
    assert error.endswith("none detected; name its encoding with --charset")
    json_file = tmp_path / "x.json"
    json_file.write_bytes(b'{"content": "caf\xe9"}')
    assert [i.error for i in read_items(json_file)] == [
        "not valid UTF-8 (invalid continuation byte at byte 16)"
    ]
    assert [i.error for i in read_items(binary, charset="klingon")] == ["unknown charset 'klingon'"]
    assert "cannot read" in (next(read_items(tmp_path / "missing.txt")).error or "")


@pytest.mark.parametrize("news", NEWS, ids=lambda n: f"{n.language}-{n.charset}")
def test_text_and_html_files_in_legacy_encodings(tmp_path: Path, news: News) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(news.encoded(news.html("charset")))
    [html] = read_items(page)
    assert html.article is not None and html.article["content"] == news.html("charset")
    text = tmp_path / "story.txt"
    text.write_bytes(news.encoded(news.plain))
    [declared] = read_items(text, charset=news.charset)
    assert declared.article is not None and declared.article["content"] == news.plain
    if news in DETECTABLE:
        [detected] = read_items(text)
        assert detected.article is not None and detected.article["content"] == news.plain


def test_json_files_may_open_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.ndjson"
    path.write_bytes(codecs.BOM_UTF8 + b'{"content": "a"}\n{"content": "b"}\n')
    assert [i.article for i in read_items(path)] == [{"content": "a"}, {"content": "b"}]


def test_sniff_stdin() -> None:
    assert sniff_suffix(' [{"a": 1}]') == ".json"
    assert sniff_suffix('{"a": 1}\n{"a": 2}') == ".ndjson"
    assert sniff_suffix('{"a": 1}') == ".json"
    assert sniff_suffix("<html>") == ".html"
    assert sniff_suffix("Title\n\nBody") == ".txt"


def test_batches_split_by_count_and_skip_errors() -> None:
    summary = PushSummary()
    items = list(
        items_from_text(
            "\n".join('{"content": "x"}' for _ in range(1201)) + "\n{", "f.ndjson", ".ndjson"
        )
    )
    sizes = [len(b) for b in batches(items, summary)]
    assert sizes == [500, 500, 201]
    assert sum(summary.rejected.values()) == 1
    assert summary.lines()[0] == "accepted: 0"


@given(cases())
def test_ndjson_file_gives_one_item_per_line_in_order(case: Case) -> None:
    items = list(items_from_text(case.body, "f.ndjson", ".ndjson"))
    assert [item.origin for item in items] == [f"f.ndjson:{r.line}" for r in case.records]
    for item, record in zip(items, case.records, strict=True):
        assert item.article == record.article
        assert (item.error is None) == (record.article is not None)


@given(cases())
def test_stdin_ndjson_is_sniffed_and_framed_by_the_same_rule(case: Case) -> None:
    body = case.body
    if len(case.records) > 1 or case.records[0].article is None:
        assert sniff_suffix(body) == ".ndjson"
    else:
        assert sniff_suffix(body) == ".json"  # one object: a JSON document as well


def test_sniff_stdin_with_a_separator_in_the_first_object() -> None:
    assert sniff_suffix('{"content": "a\u2028b"}\n{"content": "c"}\n') == ".ndjson"
    assert sniff_suffix('{\n  "content": "a\u2028b"\n}\n') == ".json"


def test_an_unsupported_file_is_named_so_whatever_its_bytes(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n\xe2\xe3\xcf\xd3")
    assert [i.error for i in read_items(pdf)] == ["unsupported file type .pdf"]
