"""Every text field of a parse is NFC and free of invisible characters, on both extractor paths
and for the fields a client sends; joiners stay where a script needs them."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from services.core.models import ParsedArticle, RawArticle
from services.parser.errors import EmptyArticleError
from services.parser.parse import parse_article

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SHY, ZWSP, WJ, BOM, ZWNJ, ZWJ = "\u00ad", "\u200b", "\u2060", "\ufeff", "\u200c", "\u200d"
INVISIBLE = {SHY, ZWSP, WJ, BOM, "\u2061", "\u2062", "\u2063", "\u2064", "\u2028", "\u2029", "\x85"}
PERSIAN = "\u0645\u06cc" + ZWNJ + "\u062e\u0648\u0627\u0647\u0645"  # mi-khaham
HINDI = "\u0915\u094d" + ZWJ + "\u0937"  # half ka + ssa
FAMILY = "\U0001f468" + ZWJ + "\U0001f469" + ZWJ + "\U0001f467"
CAFE_NFD = "Cafe\u0301"

# (dirty, clean) pieces of text, one per character class
PIECES = [
    (f"Mit{SHY}tel{SHY}al{SHY}ter", "Mittelalter"),
    (f"zero{ZWSP}width", "zerowidth"),
    (f"word{WJ}joiner", "wordjoiner"),
    (f"{BOM}byte-order", "byte-order"),
    ("f\u2061x", "fx"),  # function application
    (CAFE_NFD, "Caf\u00e9"),
    (f"Auf{ZWNJ}lage", "Auflage"),
    (PERSIAN, PERSIAN),
    (HINDI, HINDI),
    (FAMILY, FAMILY),
]
DIRTY = " ".join(dirty for dirty, _ in PIECES)
CLEAN = " ".join(clean for _, clean in PIECES)


def _parse(content: str, kind: str, **fields: object) -> ParsedArticle:
    values: dict[str, object] = {
        "id": "a1",
        "id_source": "client",
        "content": content,
        "content_type": kind,
        "received_at": NOW,
        **fields,
    }
    return parse_article(RawArticle.model_validate(values))


def _texts(parsed: ParsedArticle) -> list[str]:
    single = [parsed.title, parsed.subtitle, parsed.site_name, parsed.lead]
    lists = [parsed.authors, parsed.paragraphs, parsed.boilerplate_removed, parsed.cited_outlets]
    return [t for t in single if t is not None] + [t for items in lists for t in items]


def _assert_clean(parsed: ParsedArticle) -> None:
    for text in _texts(parsed):
        assert unicodedata.is_normalized("NFC", text), repr(text)
        assert not INVISIBLE & set(text), repr(text)


PLAIN = (
    f"{BOM}The {DIRTY} Story{ZWSP}\n\nBy Jo{SHY}hann Mu\u0308ller\n\n"
    f"March 19, 2025 9:19 AM CET\n\nFirst paragraph: {DIRTY}.\n\n"
    f"Second paragraph says the Mit{SHY}tel{SHY}al{SHY}ter was long, Reuters reported.\n\n"
)
PAGE = (
    f"<html><head><title>The {DIRTY} Story</title>"
    f'<meta name="author" content="Jo&shy;hann Mu\u0308ller">'
    f'<meta property="og:site_name" content="Dai{ZWSP}ly Ex&shy;ample"></head>'
    f"<body><article><h1>The {DIRTY} Story</h1>"
    f"<p>First paragraph: {DIRTY}.</p>"
    f"<p>Second paragraph says the Mit&shy;tel&shy;al&shy;ter was long, Reuters reported.</p>"
    f"<p>A third para{WJ}graph with a line\u2028break and a paragraph\u2029break in it.</p>"
    "</article>"
    f'<footer><p class="editor">Jo&shy;hann Mu\u0308ller</p></footer></body></html>'
)


@pytest.mark.parametrize(("content", "kind"), [(PLAIN, "text/plain"), (PAGE, "text/html")])
def test_every_text_field_is_clean(content: str, kind: str) -> None:
    parsed = _parse(content, kind)
    _assert_clean(parsed)
    assert parsed.title == f"The {CLEAN} Story"
    assert parsed.paragraphs[0] == f"First paragraph: {CLEAN}."
    assert "Mittelalter" in parsed.paragraphs[1]
    assert parsed.authors == ["Johann M\u00fcller"]


def test_html_line_and_paragraph_separators_become_spaces() -> None:
    parsed = _parse(PAGE, "text/html")
    assert (
        parsed.paragraphs[2] == "A third paragraph with a line break and a paragraph break in it."
    )
    assert parsed.site_name == "Daily Example"


def test_plain_text_separators_break_lines_and_paragraphs() -> None:
    text = (
        "A Title For The Story\n\nThe first paragraph ends here.\u2029The second paragraph is"
        " this one.\u2028And this line is the third.\x85So is this fourth one."
    )
    parsed = _parse(text, "text/plain")
    assert parsed.paragraphs == [
        "The first paragraph ends here.",
        "The second paragraph is this one.",
        "And this line is the third.",
        "So is this fourth one.",
    ]


def test_client_fields_are_cleaned() -> None:
    parsed = _parse(
        PLAIN,
        "text/plain",
        title=f"{BOM}Client {CAFE_NFD} ti{SHY}tle",
        authors=[f"A.{ZWSP} Client", ZWSP],
    )
    assert parsed.title == "Client Caf\u00e9 title"
    assert parsed.authors == ["A. Client"]
    _assert_clean(parsed)


@pytest.mark.parametrize("kind", ["text/plain", "text/html"])
def test_an_article_of_invisible_characters_is_empty(kind: str) -> None:
    invisible = f"{ZWSP}{SHY}{BOM}{WJ}" * 20
    content = invisible if kind == "text/plain" else f"<html><body><p>{invisible}</p></body></html>"
    with pytest.raises(EmptyArticleError):
        _parse(content, kind)
