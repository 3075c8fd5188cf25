"""Quoted spans: the marks of each language, runs over paragraphs, what no mark closes."""

from __future__ import annotations

from services.parser.quotemarks import find_spans


def _texts(*paragraphs: str) -> list[str]:
    return [paragraphs[s.paragraph][s.start : s.end] for s in find_spans(list(paragraphs))]


def test_the_marks_of_each_language() -> None:
    assert _texts(
        '“One two three four five” and "six seven eight nine ten".',
        "„Eins zwei drei vier fünf“ und »sechs sieben acht neun zehn«.",
        "« Un deux trois quatre cinq » et «six sept huit neuf dix».",
        "「一二三四五」",
    ) == [
        "One two three four five",
        "six seven eight nine ten",
        "Eins zwei drei vier fünf",
        "sechs sieben acht neun zehn",
        "Un deux trois quatre cinq",
        "six sept huit neuf dix",
        "一二三四五",
    ]


def test_short_spans_are_passed_over() -> None:
    assert _texts("A “scare quote” and “one two three four five”.") == ["one two three four five"]


def test_offsets_and_marks() -> None:
    [span] = find_spans(["He said: “one two three four five,” and left."])
    assert (span.open_at, span.start, span.end, span.close_end, span.mark) == (9, 10, 34, 35, "“")


def test_a_quotation_running_over_paragraphs() -> None:
    spans = find_spans(["“One two three four five six.", "“Seven eight nine ten eleven.”", "Done."])
    assert [(s.paragraph, s.runs_on, s.continued) for s in spans] == [
        (0, True, False),
        (1, False, True),
    ]


def test_an_opening_mark_nothing_closes_or_continues_is_dropped() -> None:
    assert _texts("He wrote “one two three four five six", "Then he left.") == []


def test_straight_marks_open_only_before_a_word_and_after_a_space() -> None:
    assert _texts('The 5" pipe was "one two three four five" long.') == ["one two three four five"]
    assert _texts('She asked. " Why would we wait for them now?" he said.') == [
        "Why would we wait for them now?"
    ]


def test_apostrophes_close_no_single_quotation() -> None:
    assert _texts("‘We don’t know what they’re planning now,’ he said.") == [
        "We don’t know what they’re planning now,"
    ]
