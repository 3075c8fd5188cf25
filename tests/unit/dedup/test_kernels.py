"""The compiled kernels give exactly the values of the readable numpy definitions."""

import json
import random
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from services.core import ndjson
from services.core.text import clean_text
from services.dedup import overlaps, sortedsets
from services.dedup.fingerprint import (
    Fingerprint,
    analyse,
    blocks,
    fingerprint,
    member,
    screen,
    sorted_unique,
    tokenise,
    tokenise_compiled,
)
from services.dedup.index import DEAD, CandidateIndex
from services.dedup.multimap import MultiMap
from services.dedup.normalise import (
    _UNICODE_PUNCT,
    COMPOSING_STARTERS,
    FOLDED,
    SEPARATOR,
    TABLE_SIZE,
    UNSAFE,
    WORD,
    _normalised_url_split,
    char_tables,
    normalised_url,
    prepare,
    prepare_raw,
    tokens,
)
from services.dedup.recordstore import DocRecord
from services.dedup.similarity import overlap_counts
from tests.unit.dedup.texts import FOOTER, story

NEARDUP = Path(__file__).parents[2] / "data" / "neardup" / "neardup-dev.jsonl"
U64 = np.uint64

TEXTS = [
    "",
    "...",
    "\n\n",
    "word",
    "Hello, World!\nSecond line here.",
    "no newline at the end",
    "trailing newline\n",
    "CRLF\r\nlines\r\nand\ttabs",
    "a" * 8 + " " + "a" * 9 + " " + "b" * 16 + " " + "c" * 17 + " " + "d" * 64 + " " + "e" * 65,
    "x" * 200,
    "é" * 40 + " " + "ж" * 33 + " " + "中" * 22 + " " + "🙂" * 17,
    "Rock 'n' Roll — “live” tonight… at 9\u00a0pm",
    'ROCK ’N’ ROLL - "LIVE"   TONIGHT',
    "Straße STRASSE straße ẞ",
    "Ünïcödé ÀÉÎÕÜ àéîõü Ωμέγα ΣΊΣΥΦΟΣ ς",
    "Наши герои знают толк\nНЕ ТОЛЬКО во вкусе, Ёлка",
    "ﬁle ﬂow ½ ¾ ① ⑵ ™ ℌ ｆｕｌｌ ｗｉｄｔｈ",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 ﺍﻟﻌﺮﺑﻴﺔ \u064b\u064e",
    "combining: e\u0301 a\u0308 o\u0302\u0323 and precomposed é ä ộ",
    "Hangul: 한국어 \u1100\u1161\u11a8 \u3131\u314f",
    "Indic: \u0b47\u0b3e \u0d46\u0d3e க\u0bcd\u0bb7",
    "mixed\nsafe line\nline with ½ inside\nanother safe line\nÉcole",
    "emoji 👍🏽 flags 🇫🇷 zwj 👨\u200d👩\u200d👧 vs\ufe0f",
    "math 𝐀𝐁𝐂 𝟏𝟐 fraktur 𝔄",
    "dashes ‐‑‒–—― ellipsis … bullets • ‣ primes ′ ″",
    "ideographic\u3000space、comma。stop「quote」",
    "fullwidth ＡＢＣ！＂＃ halfwidth ｶﾀｶﾅ",
    "no-break\u00a0space\u2009thin\u202fnarrow\u2060joiner",
    "tab\u0085nel\u2028line\u2029para",
    "ǅungla ǈ ǋ ﬀ ﬃ ŉ İstanbul ı",
    "Kelvin \u212a Ångström \u212b Ohm \u2126",
    "Mit\u00adtel\u00adal\u00adter zero\u200bwidth\u2060joined \ufeffbom fa\u200cce\u200dt",
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0915\u094d\u200d\u0937 \u1828\u180e\u1820",
]
ALPHABET = (
    "aZ09 .,;'\n\t-éÉßẞжЖΣσς中한ㄱ\u1100\u1161\u0301\u0308½①ﬁｆＡ…—“”\u00a0\u3000🙂𝐀ﺍ\u0b3e\u200d"
    "\u00ad\u200b\u2060\ufeff\u200c\u2028\u2029\x85\u180e\u0645\u0915\u094d"
)


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 120))) for _ in range(count)]


def _neardup_texts() -> list[str]:
    return [json.loads(line.text)["text"] for line in ndjson.records(NEARDUP.read_text("utf-8"))]


@pytest.mark.parametrize("text", TEXTS + _random_texts(300, 1))
def test_compiled_tokeniser_equals_the_readable_one(text: str) -> None:
    expected, got = tokenise(text), tokenise_compiled(text)
    assert got.hashes.dtype == expected.hashes.dtype
    assert got.hashes.tolist() == expected.hashes.tolist()
    assert got.lines.tolist() == expected.lines.tolist()


def test_compiled_tokeniser_on_the_neardup_articles() -> None:
    for text in _neardup_texts():
        expected, got = tokenise(text), tokenise_compiled(text)
        assert got.hashes.tolist() == expected.hashes.tolist()
        assert got.lines.tolist() == expected.lines.tolist()


def test_prepare_raw_is_prepare_before_the_punctuation() -> None:
    for text in TEXTS + _random_texts(200, 2) + _neardup_texts()[:60]:
        raw = prepare_raw(text)  # NFKC line by line, only where needed
        expected = unicodedata.normalize("NFKC", clean_text(text)).casefold().encode("utf-8")
        assert raw == expected
        assert prepare(text) == _UNICODE_PUNCT.sub(" ", raw.decode("utf-8")).encode("utf-8")


def test_composing_starters_are_all_listed() -> None:
    seconds = set()
    for code in range(TABLE_SIZE):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    starters = {code for code in seconds if unicodedata.combining(chr(code)) == 0}
    assert starters <= COMPOSING_STARTERS


def test_character_classes_say_what_prepare_does() -> None:
    classes, folds = char_tables(raw=True)
    samples = {kind: [] for kind in (WORD, SEPARATOR, FOLDED)}
    for code in range(0x80, TABLE_SIZE):
        kind = int(classes[code])
        if kind != UNSAFE:
            samples[kind].append(code)
    for code in samples[WORD]:
        char = chr(code)
        assert tokens(f"a{char}b") == [f"a{char}b"]
    for code in samples[SEPARATOR]:
        assert tokens(f"a{chr(code)}b") == ["a", "b"]
    for code in samples[FOLDED]:
        char = chr(code)
        folded = int(folds[code]).to_bytes(4, "little").rstrip(b"\0").decode("utf-8")
        assert len(folded.encode("utf-8")) == len(char.encode("utf-8"))
        assert tokens(f"a{char}b") == [f"a{folded}b"]
    assert classes[TABLE_SIZE] == UNSAFE  # beyond plane 1


def _fingerprints(text: str, promoted: np.ndarray, shingles: np.ndarray) -> tuple:
    stream = tokenise(text)
    parts = blocks(stream)
    readable = fingerprint(
        stream,
        parts=parts,
        boilerplate_blocks=member(promoted, parts.hashes),
        boilerplate_shingles=shingles,
        shingle_size=5,
        lede_size=24,
    )
    _, got_parts, got = analyse(
        text,
        promoted_blocks=promoted,
        boilerplate_shingles=shingles,
        shingle_size=5,
        lede_size=24,
    )
    return parts, readable, got_parts, got


def _plain_fingerprint(text: str) -> Fingerprint:
    empty = np.zeros(0, dtype=U64)
    return analyse(
        text, promoted_blocks=empty, boilerplate_shingles=empty, shingle_size=5, lede_size=24
    )[2]


def _assert_same(parts, readable, got_parts, got) -> None:  # type: ignore[no-untyped-def]
    assert got_parts.hashes.tolist() == parts.hashes.tolist()
    assert got_parts.starts.tolist() == parts.starts.tolist()
    assert got_parts.ends.tolist() == parts.ends.tolist()
    assert got.body_hash == readable.body_hash
    assert got.shingles.tolist() == readable.shingles.tolist()
    assert got.sequence.tolist() == readable.sequence.tolist()
    assert got.lede.tolist() == readable.lede.tolist()
    assert got.boilerplate_tokens == readable.boilerplate_tokens
    assert got.boilerplate_shingles == readable.boilerplate_shingles


@pytest.mark.parametrize("text", [*TEXTS, story(3) + "\n" + FOOTER, "one two", "x"])
def test_compiled_fingerprint_equals_the_readable_one(text: str) -> None:
    empty = np.zeros(0, dtype=U64)
    _assert_same(*_fingerprints(text, empty, empty))


def test_compiled_fingerprint_drops_the_same_boilerplate() -> None:
    rng = np.random.default_rng(5)
    for index, text in enumerate(_neardup_texts()[:120]):
        parts = blocks(tokenise(text))
        plain = _fingerprints(text, np.zeros(0, dtype=U64), np.zeros(0, dtype=U64))[1]
        promoted = np.sort(rng.choice(parts.hashes, min(2, parts.hashes.size), replace=False))
        known = np.sort(rng.choice(plain.shingles, min(30, plain.shingles.size), replace=False))
        if index % 2:  # as the boilerplate model keeps them
            promoted.setflags(write=False)
            known.setflags(write=False)
        _assert_same(*_fingerprints(text, promoted, known))


def test_anchors_are_the_bottom_shingles_and_the_opening() -> None:
    for text in [*_neardup_texts()[:50], "one two three four five six", "a b"]:
        fp = _plain_fingerprint(text)
        for count, head, size in ((6, 3, 64), (3, 1, 2), (6, 0, 64), (6, 6, 10)):
            opening = sorted_unique(fp.sequence[:size])[:head]
            expected = sorted_unique(np.concatenate((fp.shingles[: count - head], opening)))
            assert fp.anchors(count, head, size).tolist() == expected.tolist()


def test_hash_sort_equals_numpy() -> None:
    rng = np.random.default_rng(9)
    for size in (0, 1, 2, 31, 32, 33, 500, 5000):
        values = rng.integers(0, 2**64, size, dtype=U64)
        assert sortedsets.sort_hashes(values).tolist() == np.sort(values).tolist()
        clumped = np.repeat(values[:7], 50) if size else values
        assert sortedsets.sort_hashes(clumped).tolist() == np.sort(clumped).tolist()
        assert sortedsets.sorted_unique(clumped).tolist() == np.unique(clumped).tolist()
        small = rng.integers(0, 40, size, dtype=U64)  # all in one bucket
        assert sortedsets.sort_hashes(small).tolist() == np.sort(small).tolist()


def test_screen_has_no_false_negatives() -> None:
    rng = np.random.default_rng(3)
    values = np.sort(rng.integers(0, 2**64, 3000, dtype=U64))
    bits = sortedsets.screen(values)
    others = rng.integers(0, 2**64, 3000, dtype=U64)
    empty = np.zeros(0, dtype=U64)
    for probe in (values, others):
        fp = Fingerprint(0, np.sort(probe), probe, probe[:24], 0, 0)
        record = DocRecord(
            1, "a", "s", 0, 0, None, probe.size, np.sort(probe)[:128], probe[:24], empty, True
        )
        expected = overlap_counts(fp, record, values, 0.5)
        got = overlaps.compare_counts(
            fp.shingles, fp.sequence, fp.lede, record.sample, record.lede, values, bits, 0.5
        )
        assert got == expected


def test_compare_counts_equal_the_readable_ones() -> None:
    rng = np.random.default_rng(11)
    texts = _neardup_texts()
    empty = np.zeros(0, dtype=U64)
    fps = [_plain_fingerprint(text) for text in texts[:80]]
    for index, fp in enumerate(fps):
        other = fps[(index + 1) % len(fps)] if index % 3 else fp
        samples = [other.sample(128), rng.permutation(other.sample(128))]
        if fp.size:
            samples.append(np.sort(rng.choice(fp.shingles, min(128, fp.size), replace=False)))
        for sample in samples:
            ledes = [other.lede, fp.lede[::-1].copy(), empty]
            for lede in ledes:
                for boilerplate in (empty, np.sort(rng.choice(sample, min(9, sample.size)))):
                    record = DocRecord(1, "a", "s", 0, 0, None, 900, sample, lede, empty, True)
                    for position in (0.5, 1.0, 0.0):
                        expected = overlap_counts(fp, record, boilerplate, position)
                        got = overlaps.compare_counts(
                            fp.shingles,
                            fp.sequence,
                            fp.lede,
                            sample,
                            lede,
                            boilerplate,
                            screen(boilerplate),
                            position,
                        )
                        assert got == expected


def test_multimap_lookup_matches_bruteforce_with_shift_buffer_and_unsorted_queries() -> None:
    rng = np.random.default_rng(13)
    table = MultiMap(np.uint32, buffer=300)
    keys = rng.integers(0, 2**12, 5000, dtype=np.uint64).astype(np.uint32)  # many duplicates
    for start in range(0, keys.size, 250):
        chunk = keys[start : start + 250]
        table.add(chunk, np.arange(start, start + chunk.size, dtype=np.uint32))
    extra = rng.integers(0, 2**12, 40, dtype=np.uint64).astype(np.uint32)
    table.add_distinct(extra.astype(U64) << U64(32), 9999, shift=32)  # stays in the buffer
    every = np.concatenate((keys, np.unique(extra)))
    values = np.concatenate((np.arange(keys.size), np.full(np.unique(extra).size, 9999)))
    for query in (np.sort(keys[::37]), keys[::41], np.array([0, 4095, 77], dtype=np.uint32)):
        which, found = table.lookup(query.astype(U64) << U64(32), shift=32)
        for position, key in enumerate(query.tolist()):
            expected = sorted(values[every == key].tolist())
            assert sorted(found[which == position].tolist()) == expected


def test_candidates_rank_like_unique_and_lexsort() -> None:
    rng = np.random.default_rng(17)
    index = CandidateIndex()
    shingles = np.sort(rng.integers(0, 2**64, 400, dtype=U64))
    for seq in range(300):
        anchors = rng.choice(shingles, 6, replace=False)
        index.add(seq, seq, anchors, body_hash=seq % 7, url=seq % 11, shift=32)
    index.advance(40)
    probe = shingles[:256]
    found = index.candidates(probe, 1000)
    # the numpy ranking it replaces: lookup, liveness, unique counts, lexsort
    _, seq32 = index._anchors.lookup((probe >> U64(32)).astype(np.uint32))
    times = index._slots.times(seq32)
    alive = seq32[times >= index.cutoff]
    seqs, hits = np.unique(index._slots.full_seq(alive), return_counts=True)
    order = np.lexsort((seqs, -hits))
    assert [(c.seq, c.hits) for c in found] == [(int(seqs[i]), int(hits[i])) for i in order]
    assert index.by_body(3) == sorted(s for s in range(40, 300) if s % 7 == 3)
    assert index.by_url(5) == sorted(s for s in range(40, 300) if s % 11 == 5)
    assert index.cutoff > DEAD


@pytest.mark.parametrize(
    "url",
    [
        "https://Example.COM/a/b/",
        "http://a",
        "http://a?x",
        "http://a/?x=1#f",
        "HTTP://A.b:8080//",
        "https://x.y/p//?",
        "https://h/a#b?c",
        "https://[::1]/x/",
        "https://h/ä/",
        " https://h/x/ ",
        "mailto:someone@example.com",
        "//h/x",
        "https://h/%20x/",
    ],
)
def test_normalised_url_fast_path_equals_urllib(url: str) -> None:
    assert normalised_url(url) == _normalised_url_split(url.strip())


def test_normalised_url_fast_path_equals_urllib_on_random_urls() -> None:
    rng = random.Random(4)
    alphabet = "aZ09:/?#@.-+_%&=;[]!~*()$,"
    for _ in range(20_000):
        scheme = rng.choice(["http://", "HtTp://", "x+y://", "1a://", "://", "", "h:"])
        url = scheme + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        try:
            expected: object = _normalised_url_split(url)
        except ValueError as error:
            expected = type(error)
        try:
            got: object = normalised_url(url)
        except ValueError as error:
            got = type(error)
        assert got == expected, url
