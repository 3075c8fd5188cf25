import random

import pytest

from services.dedup.normalise import (
    _normalised_url_split,
    hash64,
    normalise_text,
    normalised_url,
    tokens,
    url_key,
)


def test_case_whitespace_and_punctuation_variants_normalise_alike() -> None:
    plain = 'The "quick" brown fox\'s cafe - done...'
    fancy = "  THE  “Quick”\u00a0brown\tfox’s cafe — done…\n"
    assert normalise_text(plain) == normalise_text(fancy) == "the quick brown fox s cafe done"


def test_nfkc_and_non_ascii_letters_are_kept() -> None:
    assert tokens("ＡＢＣ café 東京") == ["abc", "café", "東京"]


def test_empty_text_has_no_tokens() -> None:
    assert tokens(" \n\t—…") == []


def test_hash64_is_pinned() -> None:
    assert hash64("abc") == 6455300059550759896


def test_normalised_url_lowercases_host_and_drops_fragment_and_trailing_slash() -> None:
    assert normalised_url(" HTTPS://Example.COM/a/b/#frag ") == "https://example.com/a/b"
    assert normalised_url("https://example.com/") == "https://example.com/"
    assert url_key("HTTPS://Example.COM/a/b/#frag") == 14194789802143645038
    assert url_key("https://example.com/a/b") == url_key("HTTPS://Example.COM/a/b/#frag")


def test_missing_url_has_no_key_and_blank_url_is_rejected() -> None:
    assert url_key(None) is None
    assert url_key("   ") is None
    with pytest.raises(ValueError, match="blank"):
        normalised_url("  ")


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
