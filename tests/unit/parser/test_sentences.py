"""Sentence ends (:func:`services.parser.sentences.sentence_breaks`), pinned on the cases its
final marks make tricky: marks in a row, closing quotes and brackets, abbreviations, initials,
decimals. The offsets are those the regular-expression search gave before the marks were
found with ``str.find``, and must stay so."""

from __future__ import annotations

import pytest

from services.parser.sentences import sentence_breaks


@pytest.mark.parametrize(
    ("text", "marks", "starts"),
    [
        (
            "He left. “Why?” she asked!  Then Gov. Noem spoke… At 3.5 p.m. J. K. Rowling"
            " arrived.) Then U.S. officials left.",
            [7, 25, 48, 60, 83],
            [9, 28, 50, 62, 86],
        ),
        (
            "Wait?! No… “Yes.” (Really.) [Done.] 12 people came. «Oui.» Il part.",
            [5, 9, 15, 25, 33, 50, 56],
            [7, 11, 18, 28, 36, 52, 59],
        ),
        (
            "Mr. Smith met Dr. Jones on Nov. 18. They talked... And then? nothing. End.",
            [34, 49, 68],
            [36, 51, 70],
        ),
        ("", [], []),
        ("No final mark here", [], []),
    ],
)
def test_sentence_breaks(text: str, marks: list[int], starts: list[int]) -> None:
    assert sentence_breaks(text) == (marks, starts)
