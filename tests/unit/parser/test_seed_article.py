"""The seed article parses as its expected parse says."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from services.parser.language import detect_language
from services.parser.outlets import find_cited_outlets
from services.parser.plaintext import extract_plaintext
from services.parser.quotes import extract_quotes
from services.parser.result import Extracted

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / "seed-article.expected.json").read_text("utf-8"))
    return loaded


@pytest.fixture(scope="module")
def extracted() -> Extracted:
    return extract_plaintext((DATA / "seed-article.txt").read_text("utf-8"))


def test_header(extracted: Extracted, expected: dict[str, Any]) -> None:
    assert extracted.title == expected["title"]
    assert list(extracted.authors) == expected["authors"]
    assert extracted.subtitle is None


def test_published_at_keeps_the_source_offset(
    extracted: Extracted, expected: dict[str, Any]
) -> None:
    want = datetime.fromisoformat(expected["published_at"])
    assert extracted.published_at == want
    assert extracted.published_at is not None
    assert extracted.published_at.utcoffset() == want.utcoffset()
    assert extracted.published_at.isoformat() == "2025-03-19T09:19:00+01:00"


def test_body(extracted: Extracted, expected: dict[str, Any]) -> None:
    assert list(extracted.boilerplate_removed) == expected["boilerplate_removed"]
    assert len(extracted.paragraphs) == expected["body_paragraph_count"]
    assert extracted.paragraphs[0] == expected["body_first_paragraph"]
    assert extracted.paragraphs[-1] == expected["body_last_paragraph"]
    assert extracted.warnings == ()


def test_language(extracted: Extracted, expected: dict[str, Any]) -> None:
    assert detect_language("\n\n".join(extracted.paragraphs)) == expected["language"]


def test_cited_outlets(extracted: Extracted, expected: dict[str, Any]) -> None:
    assert list(find_cited_outlets(extracted.paragraphs)) == expected["cited_outlets"]


def test_quotes(extracted: Extracted, expected: dict[str, Any]) -> None:
    """Exactly the two labelled quotations, each with the full name the article gives."""
    paragraphs = list(extracted.paragraphs)
    quotes = extract_quotes(paragraphs)
    assert [{"speaker": q.speaker, "text": q.text} for q in quotes] == expected["quotes"]
    assert [(q.speaker_kind, q.cue) for q in quotes] == [("person", "said"), ("person", "said")]
    for quote in quotes:
        assert paragraphs[quote.paragraph][quote.start : quote.end] == quote.text
