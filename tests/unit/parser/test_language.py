"""Language detection, offline, ISO 639-1."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from services.parser.kernels import language_features
from services.parser.language import SAMPLE_CHARS, _identifier, detect_language, opening_sample


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Hopes for a breakthrough in the Ukraine war were dashed within hours on Wednesday.",
            "en",
        ),
        ("Der schnelle braune Fuchs springt über den faulen Hund und läuft davon.", "de"),
        ("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.", "fr"),
        ("El gobierno anunció el martes una nueva reforma de las pensiones.", "es"),
        ("Наши герои знают толк не только во вкусе, но и в красоте.", "ru"),
    ],
)
def test_detects_iso_639_1(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "Hello", "12345 67890 12345 67890 12345", "!!! ??? ..."])
def test_too_short_or_no_language(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("東京都、猛暑対策で延長へ", "ja"),  # 12 characters: fewer than 20 letters
        ("猛暑で施設開放", "ja"),
        ("地铁十九号线开通运营", "zh"),  # the model says Wu Chinese: zh
        ("上海地铁新线路开通", "zh"),
        ("서울시 자전거 요금 인하", "ko"),
        ("ขยายรถไฟฟ้า", "th"),
        ("รถไฟฟ้าสายสีเขียว", "th"),
    ],
)
def test_short_titles_in_dense_scripts(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["北京天气预报", "공공자전거", "東京 2025"])
def test_fewer_than_seven_dense_characters_are_too_short(text: str) -> None:
    assert detect_language(text) is None


def test_all_caps_text() -> None:
    assert detect_language("THREE PEOPLE HAVE DIED DURING PROTESTS IN BOLIVIA THIS WEEK") == "en"


_GERMAN = "Der schnelle braune Fuchs springt über den faulen Hund und läuft davon. "
_ENGLISH = "Hopes for a breakthrough in the Ukraine war were dashed within hours on Wednesday. "


def test_opening_sample_is_cut_at_a_paragraph_or_word_break() -> None:
    paragraphs = "\n\n".join([_ENGLISH * 3, _ENGLISH * 10])
    sample = opening_sample(paragraphs)
    assert sample == _ENGLISH * 3
    assert len(sample) <= SAMPLE_CHARS
    words = opening_sample(_ENGLISH * 20)
    assert len(words) <= SAMPLE_CHARS and (_ENGLISH * 20).startswith(words)
    assert (_ENGLISH * 20)[len(words)] == " "  # a whole word last
    assert opening_sample("short text") == "short text"


def test_long_text_is_decided_by_its_opening() -> None:
    assert detect_language(_GERMAN * 10 + _ENGLISH * 300) == "de"
    assert detect_language(_ENGLISH * 300) == "en"


def test_opening_without_enough_letters_falls_back_to_the_longer_sample() -> None:
    table = "2024 | 1.5 | 2.5 | 3.5 | 4.5\n\n" * 40
    assert len(table) > SAMPLE_CHARS
    assert detect_language(table + _GERMAN * 5) == "de"


_TEXTS = [
    "",
    "x",
    "12345 67890",
    "!!! ??? ...",
    _GERMAN,
    _ENGLISH * 3,
    "THREE PEOPLE HAVE DIED DURING PROTESTS IN BOLIVIA THIS WEEK",
    "Le gouvernement a annoncé mardi une nouvelle réforme des retraites.",
    "Наши герои знают толк не только во вкусе, но и в красоте.",
    "你好世界，今天天气很好。我们去公园散步吧。",
    "مرحبا بالعالم، كيف حالك اليوم؟",
    "Kita harus hati2 terhadap aliran ekstrim yang menanamkan kebencian.",
    "Ünïcödé 😀 \ud800 mixed ſ İ ı text\x00with\tcontrol\u2028chars",
]


@functools.cache
def _stock() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_identifier_scores_as_stock_py3langid_bit_for_bit() -> None:
    import random

    import numpy as np

    stock: Any = _stock()
    ours: Any = _identifier()
    rng = random.Random(17)
    texts = list(_TEXTS)
    joined = "".join(_TEXTS)
    for _ in range(300):
        start = rng.randrange(len(joined))
        texts.append(joined[start : start + rng.randrange(1, 400)])
    for text in texts:
        assert np.array_equal(ours._decide(text), stock._decide(text)), text
        assert ours.classify(text) == stock.classify(text)


def test_compiled_walk_meets_the_features_of_visit_counts() -> None:
    import random
    from collections import Counter

    import numpy as np
    from py3langid.langid import visit_counts

    from services.parser.kernels import LANES, MIN_LANE

    stock: Any = _stock()
    nextmove, rowbase, output, depth, _ = _identifier()._walk  # type: ignore[attr-defined]
    assert 0 < depth <= MIN_LANE  # else the walk runs in one lane
    rng = random.Random(19)
    joined = "".join(_TEXTS) * 4
    inputs = [stock._encode(text) for text in _TEXTS]
    inputs += [stock._encode(joined[rng.randrange(len(joined)) :][:size]) for size in range(2000)]
    inputs += [bytes(rng.randrange(256) for _ in range(rng.randrange(600))) for _ in range(300)]
    assert any(len(data) >= LANES * MIN_LANE for data in inputs)
    for data in inputs:
        found = language_features(nextmove, rowbase, output, np.frombuffer(data, np.uint8), depth)
        expected = visit_counts(stock.tk_nextmove, stock._rowbase, stock.tk_output, data)
        if expected is None:
            assert found.size == 0
        else:
            assert list(Counter(found.tolist()).items()) == list(expected.items())
            assert found.tolist() == _walk(stock, data)


def _walk(stock: Any, data: bytes) -> list[int]:
    """The features visit_counts meets, in order (its loop, listing instead of counting)."""
    state, found = 0, []
    for letter in data:
        state = stock.tk_nextmove[stock._rowbase[state] + letter]
        if stock.tk_output[state] >= 0:
            found.append(stock.tk_output[state])
    return found


def test_count_in_order_is_counter() -> None:
    import random
    from collections import Counter

    import numpy as np

    from services.parser.kernels import count_in_order

    rng = random.Random(23)
    # the scratch starts as garbage and is shared by every call, as in the identifier
    slots = np.array([rng.randrange(-5, 70) for _ in range(1000)], dtype=np.int32)
    for _ in range(2000):
        values = [rng.randrange(rng.choice([2, 10, 1000])) for _ in range(rng.randrange(1, 60))]
        keys, counts = count_in_order(np.array(values, dtype=np.int32), slots)
        expected = Counter(values)
        assert keys.tolist() == list(expected)
        assert keys.dtype == np.intp
        assert counts.dtype == np.float32
        assert counts.tolist() == list(expected.values())
        if rng.random() < 0.1:
            slots[rng.randrange(1000)] = rng.randrange(-5, 70)  # whatever else wrote there
