"""Quality gate: direct quotations and their speakers on quotes-dev (issue #21).

The 60 article bodies of extraction-dev (the ground truth's ``articleBody``) go through
``parse_article`` as plain text, and the parsed article's ``quotes`` are scored against the
labels with the metric of :mod:`tests.quality.quote_metrics`: quote precision, recall and F1
pooled over the articles, speaker accuracy among the matched quotes, joint F1.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.core import ndjson
from services.core.models import ParsedArticle, RawArticle
from services.parser.errors import EmptyArticleError
from services.parser.parse import parse_article
from tests.quality import floors
from tests.quality.quote_metrics import Figures, Labelled, normalise_text, same_speaker, score

DATA = Path(__file__).resolve().parents[1] / "data"
LABELS = DATA / "quotes" / "quotes-dev.jsonl"
BODIES = DATA / "extraction-dev" / "ground-truth.json"
RECEIVED = datetime(2025, 1, 1, tzinfo=UTC)


def _parsed(key: str, body: str) -> ParsedArticle | None:
    raw = RawArticle(
        id=key, id_source="client", content=body, content_type="text/plain", received_at=RECEIVED
    )
    try:
        return parse_article(raw)
    except EmptyArticleError:
        return None


@pytest.fixture(scope="module")
def figures() -> Figures:
    bodies = json.loads(BODIES.read_text("utf-8"))
    articles = []
    for line in ndjson.records(LABELS.read_text("utf-8")):
        labelled = json.loads(line.text)
        parsed = _parsed(labelled["key"], bodies[labelled["key"]]["articleBody"])
        predicted = [Labelled(q.text, q.speaker) for q in parsed.quotes] if parsed else []
        labels = [Labelled(q["text"], q["speaker"]) for q in labelled["quotes"]]
        articles.append((labelled["key"], labels, predicted))
    assert len(articles) == 60
    assert sum(len(labels) for _, labels, _ in articles) == 218
    measured = score(articles)
    print(f"\nquotes-dev: {measured}")  # visible with -s
    return measured


def test_quote_f1(figures: Figures) -> None:
    assert figures.f1 >= floors.QUOTES_F1, str(figures)


def test_speaker_accuracy(figures: Figures) -> None:
    assert figures.speaker_accuracy >= floors.QUOTES_SPEAKER_ACCURACY, str(figures)


def test_joint_f1(figures: Figures) -> None:
    assert figures.joint_f1 >= floors.QUOTES_JOINT_F1, str(figures)


# The metric itself, on values small enough to check by hand.


def test_texts_match_without_marks_edge_punctuation_case_or_extra_spaces() -> None:
    assert normalise_text("“We didn’t talk  about aid.”") == normalise_text(
        "we didnt talk about aid"
    )
    assert normalise_text("  …prevent the evacuation,") == "prevent the evacuation"
    assert normalise_text("Well, I can't") != normalise_text("Well I can't")  # inner commas stay


def test_speakers_match_without_titles_or_by_last_word_and_containment() -> None:
    assert same_speaker("President Donald Trump", "Donald Trump")
    assert same_speaker("Trump", "Donald Trump")
    assert same_speaker("Eriksson Ek", "Joel Eriksson Ek")
    assert same_speaker("the doctor", "a doctor on the scene") is False
    assert same_speaker("Josh Apte", "Joshua Apte") is False
    assert same_speaker(None, None)
    assert same_speaker("Trump", None) is False


def test_pooled_figures_and_each_label_matched_once() -> None:
    labels = [Labelled("One two three four five", "Ann Lee"), Labelled("Six seven", None)]
    predicted = [
        Labelled("one two three four five.", "Lee"),
        Labelled("One two three four five", "Lee"),  # the label is matched already
        Labelled("six seven", "Bob"),
    ]
    measured = score([("a", labels, predicted), ("b", [Labelled("Eight nine", "Cy")], [])])
    assert (measured.labelled, measured.predicted, measured.matched) == (3, 3, 2)
    assert measured.precision == pytest.approx(2 / 3)
    assert measured.recall == pytest.approx(2 / 3)
    assert measured.speaker_accuracy == pytest.approx(1 / 2)
    assert measured.joint_f1 == pytest.approx(1 / 3)
