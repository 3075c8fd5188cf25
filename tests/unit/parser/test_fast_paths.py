"""Fast paths of the plain-text parser give the answers of the plain forms they replace."""

from __future__ import annotations

import random
import re

import pytest

from services.parser import boilerplate, byline, dateline, header, plaintext
from services.parser.folding import fold
from services.parser.words import word_count

# Characters re.IGNORECASE matches to ASCII letters other than their own case pair.
_EXOTIC = "İıſK"


def _bmp() -> list[str]:
    return [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]


def test_fold_matches_ascii_letters_as_ignorecase_does() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    for char in _bmp():
        folded = fold(char)
        assert len(folded) == 1
        if folded in letters or re.fullmatch("[a-z]", char, re.IGNORECASE):
            for letter in letters:
                assert (folded == letter) == bool(re.fullmatch(letter, char, re.IGNORECASE))


def test_fold_keeps_word_characters_and_digits() -> None:
    for char in _bmp():
        folded = fold(char)
        assert bool(re.match(r"\w", char)) == bool(re.match(r"\w", folded))
        assert bool(re.match(r"\d", char)) == bool(re.match(r"\d", folded))


def test_fold_keeps_the_length() -> None:
    text = "PUBLİSHED ıſ K Ünïcode"
    assert len(fold(text)) == len(text)
    assert fold(text) == "published is k ünïcode"


_TIME_OR_LABEL = re.compile(
    r"\d:\d|\b[ap]\.?m\b|publi|updated|posted|modified|aggiorn|erschien|ffentlicht|aktualis"
    r"|pubblicat[oa]|mise? à jour|actualizad[oa]|atualizad[oa]",
    re.I,
)
_LINES = [
    "Updated 19 March 2025 11:00 CET",
    "PUBLİSHED on Monday",
    "poſted yesterday",
    "Last MODIFIED",
    "at 5 p.m. local time",
    "at 5 PM",
    "at 5 P.M",
    "spam and eggs",
    "a.m.",
    "Amsterdam",
    "pm",
    "9:19",
    "9 : 19",
    "9:x",
    "Published",
    "unpublished draft",
    "ideas@m",
    "x.am",
    "_am_",
    "AM",
    "",
    "K",
    "Publié le 19 mars",
    "public",
    "Mis à jour le 20 mars",
    "MISE À JOUR",
    "à jour",
    "Actualizado",
    "actualizar",
    "Atualizada",
    "PUBBLICATO",
    "pubblicità",
    "Aggiornato",
    "Erschienen am",
    "Veröffentlicht",
    "Aktualisiert",
]


@pytest.mark.parametrize("line", _LINES)
def test_time_or_label_check_matches_the_regex(line: str) -> None:
    assert plaintext._has_time_or_label(line) == bool(_TIME_OR_LABEL.search(line))


def test_time_or_label_check_on_random_lines() -> None:
    rng = random.Random(5)
    pieces = ["a", "p", "m", ".", " ", "M", "A", "P", "5", ":", "_", "x", "İ", "ı", "ſ", "K"]
    pieces += ["published", "UPDATED", "poſted", "modİfied", "9:1", "publİé", "mis à jour", "jour"]
    pieces += [
        "actualiz",
        "ADO",
        "a",
        "atualiz",
        "pubblicat",
        "o",
        "aggiorn",
        "Erschien",
        "öffentlicht",
    ]
    for _ in range(20000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
        assert plaintext._has_time_or_label(line) == bool(_TIME_OR_LABEL.search(line)), line


# The single pattern _WHOLE_LINE and _RIGHTS_RESERVED were split from.
_WHOLE_LINE = re.compile(
    boilerplate._WHOLE_LINE.pattern[:-1] + "|" + boilerplate._RIGHTS_RESERVED.pattern + ")",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "line",
    [
        "All rights reserved.",
        "© 2024 Example Media. All Rights Reserved",
        "Copyright Example Media, ALL RIGHTS RESERVED!",
        "Example Media. All rights reſerved",
        "Some text that ends in reserved",
        "all rights reserved and more",
        "x" * 101 + "all rights reserved",
        "Trending Now",
        "Advertisement",
        "He said",
    ],
)
def test_boilerplate_rights_notice_as_in_one_pattern(line: str) -> None:
    core = line.strip().strip(boilerplate._EDGES).rstrip(".!…")
    assert boilerplate.is_boilerplate(line) == bool(_WHOLE_LINE.fullmatch(core))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "on the",
        "Monday, ",
        "at 9",
        "the date of",
        " | ",
        "x",
        "on thex",
        "dated. time:",
        "Mon.",
    ],
)
def test_filler_check_matches_sub(text: str) -> None:
    assert dateline._is_filler(text) == (not dateline._FILLER.sub("", text))


def test_filler_check_on_random_text() -> None:
    rng = random.Random(7)
    pieces = ["on", "at", "the", "of", "Date", "time", "LOCAL", "tues", "Tuesday", "wed.", " ", ","]
    pieces += ["x", "9", "|", "(", "-", "—", "ſat", "ſ", "İ", "onthe", "."]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 7)))
        assert dateline._is_filler(text) == (not dateline._FILLER.sub("", text)), text


_LABEL_WORDS = (
    "published", "posted", "created", "issued", "updated", "modified", "edited", "revised",
    "erschienen", "veröffentlicht", "aktualisiert", "publié", "mis à jour", "publicado",
    "actualizado", "atualizado", "pubblicato", "aggiornato", "ultimo aggiornamento",
)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Published 19 March 2025 | Updated 20 March",
        "PUBLİSHED: 2025-01-02 Last Modified 3:00",
        "Originally poſted Monday",
        "unrevised 2020",
        "Revised: 2020-01-02 | EDITED 3:00",
        *(f"{word.upper()}: 2020-01-02" for word in _LABEL_WORDS),
        "Last revised 2020-01-02",
        "created 2020, issued 2021",
        "19 March 2025 9:19 AM",
        "no label here",
    ],
)
def test_label_precheck_keeps_the_segments(text: str) -> None:
    expected: list[tuple[str | None, str]] = []
    label: str | None = None
    start = 0
    for match in dateline._LABEL.finditer(text):
        if text[start : match.start()].strip(" |·•;,-–—"):
            expected.append((label, text[start : match.start()]))
        label, start = match.group("label"), match.end()
    expected.append((label, text[start:]))
    assert dateline._labelled_segments(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-19",
        "MAR 3, 2020",
        "3 SEPT 2020",
        "Dec.19 - 2025",
        "19th of MAY, 2025",
        "19.03.2025",
    ],
)
def test_dates_the_gates_let_through(text: str) -> None:
    assert dateline.parse_datetime(text) is not None


def test_month_and_iso_gates_skip_only_what_cannot_match() -> None:
    rng = random.Random(9)
    pieces = ["1", "19", "2025", " ", ".", ",", "-", "/", "of", "th", "ma", "j", "an", "İ", "ſ"]
    pieces += ["Mar", "ſep", "DEC", "jUn", "x"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 9)))
        if dateline._MONTH_OPENING.search(fold(text)) is None:
            assert dateline._DATE_FORMS[0].search(text) is None, text
            assert dateline._DATE_FORMS[1].search(text) is None, text
        if "-" not in text:
            assert dateline._ISO.search(text) is None, text


_WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]


def test_word_count_splits_where_str_split_does() -> None:
    for code in range(0x110000):
        char = chr(code)
        if char.isspace():
            for text in (f"a{char}b", char, f"{char}{char}x"):
                assert word_count(text) == len(text.split()), hex(code)
        else:
            assert word_count(f"a{char}") <= 2, hex(code)  # never split in a spaced word


def test_word_count_on_random_text() -> None:
    rng = random.Random(11)
    alphabet = [*_WHITESPACE, "a", "b", "é", "ж", "한", "5", " ", " ", " "]
    for _ in range(50000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert word_count(text) == len(text.split()), repr(text)


def _without_lookahead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` without its first lookahead of opening letters: the plain form it gates."""
    plain = re.sub(r"\(\?=\[[^]]*\]\)", "", pattern.pattern, count=1)
    assert plain != pattern.pattern
    return re.compile(plain, pattern.flags)


def _random_text(rng: random.Random, words: list[str]) -> str:
    pieces = [*words, " ", "  ", ": ", ", ", "-", "|", "x", "2025", "\n", *_EXOTIC]
    text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
    roll = rng.random()
    return text.upper() if roll < 0.2 else text.title() if roll < 0.4 else text


_ALL_LABEL_WORDS = [
    "first", "originally", "published", "posted", "created", "issued", "erschienen",
    "veröffentlicht", "publiziert", "publié", "publie", "paru", "publicado", "publicada",
    "pubblicato", "pubblicata", "last", "updated", "modified", "edited", "revised",
    "aktualisiert", "geändert", "zuletzt", "stand", "mis", "à", "a", "jour", "mise", "modifié",
    "modifie", "actualisé", "actualizado", "actualizada", "modificado", "atualizado",
    "atualizada", "última", "atualização", "aggiornato", "aggiornata", "ultimo",
    "aggiornamento", "modificato", "modifica", "ſtand", "İssued", "ıssued", "Kast",
    "first published", "originally posted", "last updated", "zuletzt aktualisiert",
    "mis à jour", "mis a jour", "mise à jour", "última atualização", "ultimo aggiornamento",
]  # fmt: skip


def test_label_lookahead_finds_what_the_plain_pattern_finds() -> None:
    plain = _without_lookahead(dateline._LABEL)
    rng = random.Random(31)
    for _ in range(30000):
        text = _random_text(rng, _ALL_LABEL_WORDS)
        found = [(m.span(), m.group("label")) for m in dateline._LABEL.finditer(text)]
        assert found == [(m.span(), m.group("label")) for m in plain.finditer(text)], text


_ROLE_WORDS = [
    "staff", "writer", "correspondent", "editor", "reporter", "contributor", "columnist",
    "bureau", "chief", "senior", "special", "freelance", "photographer", "producer", "analyst",
    "team", "desk", "korrespondent", "korrespondentin", "redakteur", "redakteurin", "redaktion",
    "correspondante", "envoyée", "spéciale", "rédaction", "corresponsal", "enviado", "especial",
    "redacción", "corrispondente", "inviato", "redazione", "repórter", "correspondente",
    "redação", "inviati", "inviate", "enviados", "envoyés", "agência", "agencia", "agence",
    "agenzia", "agentur", "nachrichtenagentur", "Jane", "Doe", "ſtaff", "İnviato", "Kelly",
]  # fmt: skip


def test_role_lookahead_finds_what_the_plain_pattern_finds() -> None:
    plain = _without_lookahead(byline._ROLES)
    rng = random.Random(37)
    for _ in range(30000):
        text = _random_text(rng, _ROLE_WORDS)
        match, expected = byline._ROLES.search(text), plain.search(text)
        assert (match and match.span()) == (expected and expected.span()), text


_ENGLISH_CUE = re.compile(
    r"^(?:(?:written\s+|reported\s+)?by\s|(?:published|updated|posted)\b)"
    r"|\d/\d{1,2}/\d{4}.{0,20}?\d\s?[ap]\.?m\b",
    re.IGNORECASE,
)


def test_english_cue_as_in_one_pattern() -> None:
    words = ["by", "written", "reported", "published", "updated", "posted", "05/06/2024"]
    words += ["1/2/2025", "10:00", "AM", "p.m", "pm", "9", "a.m.", "ſ", "Byline", "/"]
    rng = random.Random(41)
    for _ in range(30000):
        line = _random_text(rng, words)
        expected = len(line) <= 100 and _ENGLISH_CUE.search(line) is not None
        assert header._is_english_cue(line) == expected, line


def test_year_gate_skips_only_what_cannot_match() -> None:
    for pattern in (dateline._ISO, *dateline._DATE_FORMS):
        assert r"\d{4}" in pattern.pattern  # the year, never optional (fuzzed below)
    rng = random.Random(43)
    pieces = ["1", "19", "202", "2025", "٢٠٢٥", "２０２５", " ", ".", ",", "-", "/", ":", "T", "年"]
    pieces += ["3月", "19日", "년", "월", "일", "Mar", "march", "of", "de", "19th", "x", "12:30"]
    for _ in range(30000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 10)))
        if dateline._YEAR.search(text) is None:
            assert dateline._ISO.search(text) is None, text
            for pattern in dateline._DATE_FORMS:
                assert pattern.search(text) is None, text
            assert dateline._find(text) is None
