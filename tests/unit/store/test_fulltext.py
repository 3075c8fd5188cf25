"""The text the full-text index sees: CJK, kana, Hangul and Thai characters cut apart; the rest
untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from services.store.fulltext import index_text, needs_segmenting


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


def test_the_module_is_pure() -> None:
    # The gateway's query builder imports it: it must load no database driver nor I/O library.
    code = (
        "import sys, services.store.fulltext; "
        "banned = {'aiosqlite', 'sqlite3', '_sqlite3', 'aiokafka', 'fastapi', 'httpx'}; "
        "print(sorted(banned & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
