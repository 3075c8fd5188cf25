"""Stable ids and canonical URLs."""

from __future__ import annotations

import hashlib
import random

import pytest

from services.core.urls import InvalidUrlError, _canonical_split, canonical_url
from services.ingest.identity import InvalidIdError, identify, normalise_content


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://WWW.Example.COM/News/Story/?utm_source=x&b=2&a=1#frag",
            "https://example.com/News/Story?a=1&b=2",
        ),
        ("http://example.com:80/a//b", "http://example.com/a/b"),
        ("https://example.com:8443/a?fbclid=1&gclid=2", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://m.example.com/x?ref=home&id=5", "https://m.example.com/x?id=5"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("url", ["ftp://example.com/x", "example.com/x", "https://", "http://[::1"])
def test_invalid_urls_raise(url: str) -> None:
    with pytest.raises(InvalidUrlError):
        canonical_url(url)


def test_id_precedence_and_stability() -> None:
    assert (
        identify(content="x", client_id="c-1", idempotency_key="k", url="https://a.com").id == "c-1"
    )
    assert identify(content="x", idempotency_key="k-9").source == "idempotency_key"
    by_url = identify(content="x", url="https://www.a.com/p?utm_source=1")
    assert by_url == identify(content="other", url="https://a.com/p")
    assert by_url.id.startswith("u-") and len(by_url.id) == 34
    by_content = identify(content="  Hello   World\n")
    assert by_content.id == identify(content="hello world").id
    assert by_content.source == "content" and by_content.canonical_url is None


def test_pinned_ids() -> None:
    assert identify(content="x", url="https://example.com/a").id == "u-" + _sha(
        "https://example.com/a"
    )
    assert normalise_content("Ｆｕｌｌ\u00a0width  TEXT") == "full width text"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@pytest.mark.parametrize("bad", ["", "has space", "x" * 201, "tab\tid", "é"])
def test_invalid_client_ids_raise(bad: str) -> None:
    with pytest.raises(InvalidIdError):
        identify(content="x", client_id=bad)


def url_corpus(count: int) -> list[str]:
    """URLs assembled from awkward pieces: case, www., ports, slashes, queries, fragments,
    whitespace, control characters, user info, IPv6 literals and non-ASCII."""
    rng = random.Random(7)
    schemes = ["http", "https", "HTTPS", "hTTp", "ftp", ""]
    hosts = ["example.com", "WWW.Example.COM", "www.", "a.b.c.", "-x.com", "xn--bcher-kva.de",
             "user:pw@host.com", "[::1]", "host.com:8443", "host.com:443", "host.com:99999",
             "ex_ample.com", "münchen.de", "", "."]  # fmt: skip
    paths = ["", "/", "//", "/a//b/", "/News/Story/", "/a b", "/a\tb", "/%20x", "/ü", "/a/./b",
             "/x\x7f", "/[x]"]  # fmt: skip
    queries = ["", "?", "?utm_source=x&b=2&a=1", "?a=1&a=0&ref=home", "?q=a+b&Z=", "?x=%41",
               "?fbclid=1", "?k"]  # fmt: skip
    tails = ["", "#frag", "#a#b", "# x", " ", "\n"]
    return [
        f"{rng.choice(schemes)}://{rng.choice(hosts)}{rng.choice(paths)}"
        f"{rng.choice(queries)}{rng.choice(tails)}"
        for _ in range(count)
    ]


def test_the_fast_path_answers_as_urlsplit_does() -> None:
    for url in url_corpus(5000):
        try:
            expected: str | type[InvalidUrlError] = _canonical_split(url)
        except InvalidUrlError:
            expected = InvalidUrlError
        try:
            got: str | type[InvalidUrlError] = canonical_url(url)
        except InvalidUrlError:
            got = InvalidUrlError
        assert got == expected, url
