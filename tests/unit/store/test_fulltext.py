"""The text the full-text index sees: CJK, kana, Hangul and Thai characters cut apart; the rest
untouched."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys

import pytest

from services.store.fulltext import index_text, index_words, needs_segmenting, word_pairs


@pytest.mark.parametrize(
    ("text", "indexed"),
    [
        ("東京都は19日、新型コロナ", " 東 京 都 は 19 日 、 新 型 コ ロ ナ "),
        ("iPhone 16を発表", "iPhone 16 を 発 表 "),
        ("北京市交通委员会28日宣布", " 北 京 市 交 通 委 员 会 28 日 宣 布 "),
        ("서울시는 15일", " 서 울 시 는  15 일 "),
        ("ข้าวหอมมะลิ", " ข้ า ว ห อ ม ม ะ ลิ "),  # marks stay on their consonant
        ("ｉＰｈｏｎｅ１６", "iPhone16"),  # full-width Latin and digits folded
        ("ﾃﾚﾋﾞ局", " テ レ ビ 局 "),  # half-width katakana folded, voicing mark composed
        ("ラーメン々", " ラ ー メ ン 々 "),  # the long vowel and iteration marks are characters
        ("𠮷野家", " 𠮷 野 家 "),  # beyond the BMP (extension B)
    ],
)
def test_scripts_without_spaces_are_cut_into_characters(text: str, indexed: str) -> None:
    assert index_text(text) == indexed
    assert needs_segmenting(text)
    assert index_text(indexed).split() == indexed.split()  # a second pass adds only spaces


@pytest.mark.parametrize(
    "text",
    [
        "Climate summit opens in Paris",
        "Élection présidentielle: résultats attendus",
        "Die Straße im Mittelalter, Größe 19",
        "Москва объявила о переговорах",
        "القمة تبدأ في باريس",
        "नई दिल्ली में बैठक",  # Devanagari: spaced, its own marks
        "",
    ],
)
def test_other_text_is_returned_as_it_is(text: str) -> None:
    assert index_text(text) is text
    assert not needs_segmenting(text)


def test_nothing_stays_nothing() -> None:
    assert index_text(None) is None
    assert not needs_segmenting(None)


def test_a_word_inside_a_run_is_a_run_of_the_same_tokens() -> None:
    body = index_text("東京都は19日、新型コロナウイルスの感染者を確認した。")
    for word in ("東", "東京", "東京都", "コロナ", "感染者を確認"):
        assert index_text(word).split() == list(word)
        assert " ".join(word) in body


def sqlite_tokens(text: str) -> list[str]:
    """The tokens SQLite's index makes of ``text`` (its indexed text), in order."""
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        db.execute(
            "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2')"
        )
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
        db.execute("INSERT INTO t (x) VALUES (?)", (index_text(text),))
        return [row[0] for row in db.execute("SELECT term FROM v ORDER BY offset")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Élection présidentielle: COVID-19!", "election presidentielle covid 19"),
        ("Die Straße in KÖLN, x86_64 & example.com", "die strasse in koln x86 64 example com"),
        ("l'œuvre d’Ǆemal — «naïve» café", "l œuvre d ǆemal naive cafe"),
        ("İstanbul ǰ ẞ", "istanbul j ss"),
        ("東京都は19日、ｉＰｈｏｎｅ１６を", "東 京 都 は 19 日 iphone16 を"),
        ("ข้าวหอมมะลิ", "ข า ว ห อ ม ม ะ ล"),  # marks part words, as in SQLite
        ("नई दिल्ली", "नई द ल ल"),
        ("ΑΘΗΝΑ Αθήνα ς", "αθηνα αθήνα σ"),
        ("МОСКВА ёлка 3.14 1e5 ½", "москва ёлка 3 14 1e5 ½"),
        ("", ""),
    ],
)
def test_words_for_postgresql_are_sqlites_tokens_folded(text: str, words: str) -> None:
    """PostgreSQL's index sees the words SQLite's index cuts, one for one, so a phrase, a
    prefix or a word means the same; two tokens SQLite takes for the same word are the same
    word here (folding goes further only where SQLite keeps apart what readers would not:
    ``ß``/``ss``, ``ς``/``σ``)."""
    assert index_words(text) == words
    assert index_words(text).split() == [index_words(token) for token in sqlite_tokens(text)]
    assert index_words(None) == ""


def test_word_pairs_are_keys_of_each_two_words_side_by_side() -> None:
    # Pinned: stored vectors hold these keys; a change needs the index rebuilt.
    assert word_pairs("climate summit opens") == ["+ff84", "+5439"]
    assert word_pairs(index_words("東京都")) == ["+1f4b", "+5225"]
    assert word_pairs("alone") == word_pairs("") == []
    assert len({word_pairs(f"w{n} x")[0] for n in range(10_000)}) > 9_000  # spread


def test_the_module_is_pure() -> None:
    # The gateway's query builder imports it: it must load no database driver nor I/O library.
    code = (
        "import sys, services.store.fulltext; "
        "banned = {'aiosqlite', 'sqlite3', '_sqlite3', 'aiokafka', 'fastapi', 'httpx'}; "
        "print(sorted(banned & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
