"""Reporting phrases in Japanese and Chinese, read beside the quotation marks."""

from __future__ import annotations

from services.parser.cjkspeakers import Reported, beside, reported
from services.parser.mentions import Mention
from services.parser.quotemarks import find_spans


def test_beside_is_true_only_for_a_quotation_next_to_kana_or_han() -> None:
    assert _beside("「完成させる」と述べた。")
    assert _beside("张伟表示，“这个计划明年春天之前一定会完成。”")
    assert not _beside("“We will repair it by next spring,” said Smith.")
    assert not _beside("Tanaka wrote “we will repair it by next spring” in 東京.")


def _beside(text: str) -> bool:
    spans = find_spans([text])
    return len(spans) == 1 and beside(text, spans[0])


def test_a_pronoun_names_no_one() -> None:
    text = "「完成させる」と彼は話した。"
    assert reported([text], 0, 0, text.index("と")) == Reported(None, "話した")


def test_a_subject_of_the_sentence_before_needs_a_title_or_an_honorific() -> None:
    paragraphs = ["山田氏が会見した。", "「完成させる」と述べた。"]
    assert reported(paragraphs, 1, 0, 7) == Reported(Mention("山田", "name"), "述べた")
    paragraphs = ["計画が発表された。", "「完成させる」と述べた。"]
    assert reported(paragraphs, 1, 0, 7) == Reported(None, "述べた")
