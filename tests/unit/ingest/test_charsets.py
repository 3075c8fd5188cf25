"""Text and HTML bodies in legacy encodings into the right Unicode."""

from __future__ import annotations

import codecs

import pytest

from services.ingest.charsets import (
    META_SCAN_BYTES,
    UndecodableError,
    UnknownCharsetError,
    decode_text,
    decoder_for,
    meta_charset,
)
from tests.encoded_news import DETECTABLE, NEWS, News

IDS = [f"{n.language}-{n.charset}" for n in NEWS]


@pytest.mark.parametrize("news", NEWS, ids=IDS)
def test_a_declared_charset_is_honoured(news: News) -> None:
    assert decode_text(news.encoded(news.plain), "text/plain", news.charset) == news.plain
    page = news.html("none")
    assert decode_text(news.encoded(page), "text/html", news.charset.upper()) == page


@pytest.mark.parametrize("meta", ["charset", "http-equiv"])
@pytest.mark.parametrize("news", NEWS, ids=IDS)
def test_an_html_page_is_read_by_its_own_meta(news: News, meta: str) -> None:
    page = news.html(meta)
    assert decode_text(news.encoded(page), "text/html", None) == page


@pytest.mark.parametrize("news", DETECTABLE, ids=[f"{n.language}-{n.charset}" for n in DETECTABLE])
def test_an_html_page_without_a_charset_is_detected(news: News) -> None:
    page = news.html("none")
    assert decode_text(news.encoded(page), "text/html", None) == page


def test_utf8_comes_first_and_its_bom_is_dropped() -> None:
    text = "Zürich: 東京 — ok"
    assert decode_text(text.encode(), "text/plain", None) == text
    assert decode_text(codecs.BOM_UTF8 + text.encode(), "text/plain", None) == text
    assert decode_text(codecs.BOM_UTF8 + text.encode(), "text/html", "utf-8") == text
    # valid UTF-8 wins over a stale <meta>, as in trafilatura's own decoding
    page = f'<meta charset="iso-8859-1"><p>{text}</p>'
    assert decode_text(page.encode(), "text/html", None) == page


@pytest.mark.parametrize("news", DETECTABLE, ids=[f"{n.language}-{n.charset}" for n in DETECTABLE])
def test_plain_text_that_is_not_utf8_needs_its_charset_or_detection(news: News) -> None:
    body = news.encoded(news.plain)
    with pytest.raises(UndecodableError, match=r"^not valid UTF-8 .*charset=<its encoding>"):
        decode_text(body, "text/plain", None)
    assert decode_text(body, "text/plain", None, detect_plain=True) == news.plain


def test_labels_read_as_browsers_read_them() -> None:
    # ISO-8859-1 and ASCII labels are windows-1252 (curly quotes, euro, its five holes kept)
    assert decode_text(b"\x93Hi\x94 \x80 \x81", "text/plain", "ISO-8859-1") == "“Hi” € \x81"
    assert decode_text(b"\x93Hi\x94", "text/plain", "us-ascii") == "“Hi”"
    # Shift_JIS as cp932 (NEC's circled digits), GB2312 as GB18030, EUC-KR as cp949
    assert decode_text("①".encode("cp932"), "text/plain", "Shift_JIS") == "①"
    assert decode_text("镕".encode("gbk"), "text/plain", "gb2312") == "镕"
    assert decode_text("똠".encode("cp949"), "text/plain", "euc-kr") == "똠"
    assert decoder_for('"x-sjis"') == decoder_for("windows-31j") == "cp932"


@pytest.mark.parametrize("label", ["klingon", "", "base64", "rot13", "utf-7", "unicode_escape"])
def test_a_name_that_is_no_text_encoding_is_refused(label: str) -> None:
    with pytest.raises(UnknownCharsetError, match="unknown charset"):
        decode_text(b"x", "text/plain", label)


def test_bytes_that_are_not_in_the_declared_charset_are_refused() -> None:
    with pytest.raises(UndecodableError, match=r"^not valid utf-8 \(as declared\): .* byte 3"):
        decode_text(b"caf\xe9", "text/plain", "utf-8")
    with pytest.raises(UndecodableError, match=r"^not valid shift_jis \(as declared\): .* byte 1"):
        decode_text(b"a\x81\x20", "text/plain", "shift_jis")


def test_a_page_its_meta_mislabels_is_detected() -> None:
    news = next(n for n in NEWS if n.charset == "windows-1251")
    page = news.html("none").replace("<head>", '<head><meta charset="shift_jis">')
    assert decode_text(news.encoded(page), "text/html", None) == page


def test_meta_is_read_in_the_first_bytes_only_and_binary_is_refused() -> None:
    page = b'<meta http-equiv="content-type" content="text/html;charset=koi8-r">'
    assert meta_charset(page) == "koi8-r"
    assert meta_charset(b" " * (META_SCAN_BYTES - len(page)) + page) == "koi8-r"
    assert meta_charset(b" " * (META_SCAN_BYTES - 10) + page) is None  # its first bytes only
    assert meta_charset(b'<meta charset="utf-16le">') is None  # an ASCII <meta> is not UTF-16
    assert meta_charset(b'<meta charset="bogus">') is None
    with pytest.raises(UndecodableError, match="none detected"):
        decode_text(bytes(range(256)) * 4, "text/html", None)
