"""Articles in Japanese, Chinese, Korean and Thai, as plain text and as web pages, are parsed:
title, dateline, paragraphs, language and a word count by the rule of services.parser.words."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.core.models import ParsedArticle, RawArticle
from services.parser.language import detect_language
from services.parser.parse import parse_article
from tests.conftest import DATA

SCRIPTS = DATA / "scripts"
LANGUAGES = ("ja", "zh", "ko", "th")
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
PUBLISHED = {
    "ja": datetime(2025, 7, 19, 14, 30, tzinfo=timezone(timedelta(hours=9))),
    "zh": datetime(2025, 3, 28, 10, 15, tzinfo=timezone(timedelta(hours=8))),
    "ko": datetime(2025, 10, 2, 9, 15, tzinfo=timezone(timedelta(hours=9))),
    "th": None,  # the plain text has no date line; the page's meta has one
}
PROBES = {"ja": "東京都", "zh": "宝山区", "ko": "자전거", "th": "รถไฟฟ้า"}
THAI_WORDS_BY_HAND = 167  # th.segmented.txt


def _blocks(language: str) -> tuple[str, list[str]]:
    """The title and the body paragraphs of the plain-text article (date line left out)."""
    blocks = (SCRIPTS / f"{language}.txt").read_text(encoding="utf-8").strip().split("\n\n")
    return blocks[0], [b for b in blocks[1:] if not b[:4].isdigit()]


def _parse(language: str, kind: str) -> ParsedArticle:
    suffix = "txt" if kind == "text/plain" else "html"
    raw = RawArticle.model_validate(
        {
            "id": f"{language}-{suffix}",
            "id_source": "client",
            "content": (SCRIPTS / f"{language}.{suffix}").read_text(encoding="utf-8"),
            "content_type": kind,
            "received_at": NOW,
        }
    )
    return parse_article(raw)


def _expected_words(language: str, body: str) -> int:
    """The word count the rule gives, counted here without the parser's tables."""
    if language in ("ja", "zh"):  # each ideograph and kana; each run of ASCII digits/letters
        ideographs = re.findall(r"[\u3040-\u30fa\u30fc-\u30ff\u4e00-\u9fff]", body)
        return len(ideographs) + len(re.findall(r"[0-9A-Za-z]+(?:\.[0-9]+)?", body))
    if language == "ko":  # written with spaces
        return len(body.split())
    letters = (sum(unicodedata.category(c)[0] == "L" for c in run) for run in body.split())
    return sum(math.ceil(count / 3.5) for count in letters)


@pytest.mark.parametrize("kind", ["text/plain", "text/html"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_article_is_parsed(language: str, kind: str) -> None:
    parsed = _parse(language, kind)
    title, paragraphs = _blocks(language)
    assert parsed.title == title
    assert parsed.paragraphs == paragraphs
    assert parsed.lead == paragraphs[0]
    assert parsed.language == language
    assert parsed.word_count == _expected_words(language, parsed.body)
    assert PROBES[language] in parsed.body
    if kind == "text/plain":
        assert parsed.published_at == PUBLISHED[language]
        assert parsed.boilerplate_removed == []
    else:
        assert parsed.published_at is not None
        assert parsed.canonical_url is not None


@pytest.mark.parametrize(
    ("language", "least", "most"), [("ja", 400, 450), ("zh", 280, 320), ("ko", 95, 110)]
)
def test_word_count_is_the_size_of_the_article(language: str, least: int, most: int) -> None:
    """Not the few "words" a space-separated count finds in Chinese and Japanese (7 each)."""
    assert least <= _parse(language, "text/plain").word_count <= most


def test_thai_word_count_is_near_a_segmentation_by_hand() -> None:
    segmented = (SCRIPTS / "th.segmented.txt").read_text(encoding="utf-8")
    parsed = _parse("th", "text/plain")
    assert segmented.replace("|", "").strip() == parsed.body  # the same text, segmented
    assert len(segmented.replace("|", " ").split()) == THAI_WORDS_BY_HAND
    assert abs(parsed.word_count - THAI_WORDS_BY_HAND) <= 0.1 * THAI_WORDS_BY_HAND


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_short_page_in_the_script_is_not_refused(language: str) -> None:
    """One short paragraph of the article (the HTML body minimum is five words)."""
    _, paragraphs = _blocks(language)
    sentence = re.split(r"(?<=[。．]) ?|(?<=\.) ", paragraphs[0])[0][:60]
    page = f"<html><body><article><p>{sentence}</p></article></body></html>"
    parsed = parse_article(
        RawArticle.model_validate(
            {"id": "s", "id_source": "client", "content": page, "received_at": NOW}
        )
    )
    assert parsed.paragraphs == [sentence]
    assert parsed.word_count >= 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_of_the_title_alone(language: str) -> None:
    title, _ = _blocks(language)
    assert detect_language(title) == language
