"""Agency-wire datelines and credit trailers."""

from __future__ import annotations

import pytest

from services.parser.wire import is_trailer, reporters, split_trailer, strip_dateline


@pytest.mark.parametrize(
    ("paragraph", "rest"),
    [
        ("PARIS (Reuters) - Oil fell.", "Oil fell."),
        ("MADRID, October 15 (Reuters) - Oil fell.", "Oil fell."),
        ("LONDON/FRANKFURT (Reuters) - Oil fell.", "Oil fell."),
        ("HAYWARD, Calif. (AP) — Oil fell.", "Oil fell."),
        ("SÃO PAULO, 15 de octubre (Reuters) - Oil fell.", "Oil fell."),
        ("Madrid, 9 nov (EFE).- Oil fell.", "Oil fell."),
        ("Rio de Janeiro, 3 de maio (Reuters) - Oil fell.", "Oil fell."),
        ("Frankfurt am Main (dpa) - Oil fell.", "Oil fell."),
        ("Roma, 14 dicembre (ANSA) - Oil fell.", "Oil fell."),
        ("(Reuters) — Oil fell.", "(Reuters) — Oil fell."),
        ("Shares of the group (Reuters) - fell.", "Shares of the group (Reuters) - fell."),
        ("The man (Reuters) - Oil fell.", "The man (Reuters) - Oil fell."),
        ("BUFFALO, N.Y. — Oil fell.", "BUFFALO, N.Y. — Oil fell."),
    ],
)
def test_the_agency_dateline_is_cut(paragraph: str, rest: str) -> None:
    assert strip_dateline(paragraph) == rest


def test_reporters_are_the_authors_never_the_editors() -> None:
    line = (
        "(Reporting by Mei Sato in Brussels and Jo Li; Additional reporting by Rafael Dubois; "
        "Editing by Mateo Fischer and Freya Novak)"
    )
    assert is_trailer(line)
    assert reporters(line) == ("Mei Sato", "Jo Li")
    assert reporters("Editing by Mateo Fischer") == ()


@pytest.mark.parametrize(
    "line",
    ["The council voted on Tuesday, reporting by phone.", "Photographs by the author were shown."],
)
def test_a_sentence_is_no_trailer(line: str) -> None:
    assert not is_trailer(line)


def test_a_trailer_at_the_end_of_the_last_paragraph() -> None:
    line = "Oil fell on Tuesday. (Reporting by Mei Sato; Editing by Tom Brown)"
    assert split_trailer(line) == (
        "Oil fell on Tuesday.",
        "(Reporting by Mei Sato; Editing by Tom Brown)",
    )
    assert split_trailer("Oil fell on Tuesday (the third day in a row)") is None
    assert split_trailer("(Reporting by Mei Sato)") is None  # the whole line: is_trailer's
