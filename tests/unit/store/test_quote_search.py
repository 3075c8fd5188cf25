"""Speaker keys, quote-listing queries and cursors: pure values in, values out."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.core.models import Quote
from services.store.quoterows import QUOTE_COLUMNS, quote_rows
from services.store.quotesearch import (
    QuoteKey,
    QuoteQuery,
    decode_quote_cursor,
    encode_quote_cursor,
    quote_terms,
    text_key,
)
from services.store.search import NO_DATE, InvalidQueryError, SearchQuery, speaker_filter
from services.store.speakers import SpeakerKeys, fold, speaker_keys
from tests.unit.store.factory import make_article


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Volodymyr Zelenskyy", "volodymyr zelenskyy"),
        ("  ZELENSKYY ", "zelenskyy"),
        ("José  González", "jose gonzalez"),
        ("Donald J. Trump", "donald j trump"),
        ("Martin Luther King, Jr.", "martin luther king jr"),
        ("Conan O’Brien", "conan o'brien"),
        ("Jean-Luc Mélenchon", "jean-luc melenchon"),
        ("Straße", "strasse"),
        ("...", ""),
    ],
)
def test_fold_drops_case_accents_and_dots(name: str, folded: str) -> None:
    assert fold(name) == folded


def _fold_char_by_char(name: str) -> str:
    """The rule spelled out without fold's shortcut for ASCII text."""
    table: dict[str, str | int | None] = {".": " ", ",": " ", "\u2019": "'", "\u02bc": "'"}
    dropped = name.translate(str.maketrans(table))
    decomposed = unicodedata.normalize("NFKD", dropped)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", bare).casefold().split())


@given(st.text() | st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_fold_shortcut_for_ascii_gives_the_rule_s_answer(name: str) -> None:
    assert fold(name) == _fold_char_by_char(name)


@pytest.mark.parametrize("name", ["ﬁnance", "Ⅻ", "２０２６", "Ångström", "x\u0301", "Straße"])
def test_fold_of_text_that_decomposes_to_ascii(name: str) -> None:
    assert fold(name) == _fold_char_by_char(name)


def test_a_person_of_two_words_or_more_is_found_by_surname_too() -> None:
    assert speaker_keys("Volodymyr Zelenskyy", "person") == SpeakerKeys(
        "volodymyr zelenskyy", "zelenskyy"
    )
    assert speaker_keys("Zelenskyy", "person") == SpeakerKeys("zelenskyy", None)
    assert speaker_keys("the Kremlin", "organisation") == SpeakerKeys("the kremlin", None)
    assert speaker_keys("a spokesperson", "unnamed") == SpeakerKeys("a spokesperson", None)
    assert speaker_keys(None, "unknown") == SpeakerKeys(None, None)


def test_speaker_filter_values_and_errors() -> None:
    assert speaker_filter(None) is None
    assert speaker_filter("Zelénskyy") == "zelenskyy"
    with pytest.raises(InvalidQueryError, match="longer than 200"):
        speaker_filter("x" * 201)
    with pytest.raises(InvalidQueryError, match="must name someone"):
        speaker_filter(" . ")
    with pytest.raises(InvalidQueryError, match="must be text"):
        speaker_filter(3)  # type: ignore[arg-type]
    assert SearchQuery(speaker="TRUMP").speaker_key == "trump"
    with pytest.raises(InvalidQueryError, match="must name someone"):
        SearchQuery(speaker="...")


def test_text_key_and_terms_match_whole_folded_words() -> None:
    key = text_key("“Russia has essentially rejected the full ceasefire proposal,”")
    assert key == " russia has essentially rejected the full ceasefire proposal "
    assert quote_terms("Ceasefire") == (" ceasefire ",)
    assert quote_terms('"full ceasefire" RUSSIA') == (" full ceasefire ", " russia ")
    assert quote_terms("cease") == (" cease ",)  # not inside a word: " cease " is not in key
    assert quote_terms("東京都") == ("東京都",)  # found anywhere in unspaced scripts
    assert quote_terms("Peña peña") == (" pena ",)  # once
    for bad, message in [
        ('"unbalanced', "unbalanced"),
        ("!!! ...", "at least one word"),
        ("x" * 501, "longer than 500"),
        (" ".join(f"w{n}" for n in range(33)), "more than 32 terms"),
    ]:
        with pytest.raises(InvalidQueryError, match=message):
            quote_terms(bad)


def test_quote_cursor_round_trips_and_refuses_others() -> None:
    key = QuoteKey(1_700_000_000_000_000, "article-7", 3)
    assert decode_quote_cursor(encode_quote_cursor(key)) == key
    assert decode_quote_cursor(encode_quote_cursor(QuoteKey(NO_DATE, "a", 0))).ts == NO_DATE
    for bad in ["%%%", "bm90IGpzb24", "WzEsImEiXQ", encode_quote_cursor(key)[:-3]]:
        with pytest.raises(InvalidQueryError, match="cursor is not one"):
            decode_quote_cursor(bad)


def test_quote_query_validates_every_parameter() -> None:
    query = QuoteQuery(speaker="Donald Trump", q="aid", limit=5)
    assert (query.speaker_key, query.terms, query.after) == ("donald trump", (" aid ",), None)
    assert QuoteQuery(q="   ").terms == ()
    for kwargs, message in [
        ({"limit": 0}, "limit must be an integer from 1 to 100"),
        ({"limit": 101}, "limit must be"),
        ({"speaker": "-"}, "must name someone"),
        ({"q": '"x'}, "unbalanced"),
        ({"cursor": "nonsense"}, "cursor is not one"),
    ]:
        with pytest.raises(InvalidQueryError, match=message):
            QuoteQuery(**kwargs)  # type: ignore[arg-type]


def test_quote_rows_keep_the_article_order_keys_and_verdict() -> None:
    article = make_article(2).model_copy(
        update={
            "quotes": [
                Quote(
                    text="We didn’t talk about aid.",
                    speaker="Donald Trump",
                    speaker_kind="person",
                    cue="said",
                    paragraph=1,
                    start=4,
                    end=29,
                ),
                Quote(text="No comment on that at all", paragraph=0, start=0, end=25),
            ]
        }
    )
    rows = [dict(zip(QUOTE_COLUMNS, row, strict=True)) for row in quote_rows(article, 42)]
    assert [row["position"] for row in rows] == [0, 1]
    assert rows[0] | {"text_key": None} == {
        "article_id": "article-0002",
        "position": 0,
        "sort_ts": 42,
        "verdict": "unique",
        "speaker": "Donald Trump",
        "speaker_kind": "person",
        "speaker_name": "donald trump",
        "speaker_surname": "trump",
        "cue": "said",
        "paragraph": 1,
        "start_offset": 4,
        "end_offset": 29,
        "text": "We didn’t talk about aid.",
        "text_key": None,
    }
    assert rows[0]["text_key"] == " we didn't talk about aid "
    assert (rows[1]["speaker_name"], rows[1]["speaker_kind"]) == (None, "unknown")
    assert quote_rows(article, None)[0][2] == NO_DATE
