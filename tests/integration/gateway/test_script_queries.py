"""``GET /v1/articles?q=`` over real HTTP finds Japanese, Chinese, Korean and Thai articles by a
word inside their text, against a store database written directly."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.core.settings import Settings
from tests.integration.gateway.conftest import (
    gateway_over,
)
from tests.unit.store.factory import make_article
from tests.unit.store.script_articles import processed, script_articles

SCRIPTS = script_articles()
ARTICLES = [
    *(processed(n, script) for n, script in enumerate(SCRIPTS)),
    make_article(50, title="Climate summit opens", paragraphs=["Leaders met in Tokyo today."]),
    make_article(51, title="iPhone 16 review", paragraphs=["The battery lasts longer."]),
]


@pytest.fixture
def settings(backend_settings: Settings) -> Settings:
    """The test's settings, with the store on each backend in turn."""
    return backend_settings


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over(settings, ARTICLES) as client:
        yield client


async def _found(client: httpx.AsyncClient, **params: str) -> list[str]:
    response = await client.get("/v1/articles", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_a_word_inside_cjk_or_thai_text_finds_its_article(client: httpx.AsyncClient) -> None:
    for script in SCRIPTS:
        for word in script.words:
            found = await _found(client, q=word)
            scripts_found = [found_id for found_id in found if found_id.startswith("script-")]
            assert scripts_found == [f"script-{script.name}"], word


@pytest.mark.parametrize(
    ("q", "ids"),
    [
        ("東京都", ["script-ja-covid.txt"]),
        ("東京 -病床", []),
        ("iPhone", ["article-0051", "script-ja-iphone.html"]),  # newest first
        ("iPhone -電池", ["article-0051"]),
        ("汕尾市 OR 합정역", ["script-ko-bus.txt", "script-zh-typhoon.html"]),
        ('"iPhone 16を発表"', ["script-ja-iphone.html"]),
        ("서울시*", ["script-ko-bus.txt"]),
        ("tokyo", ["article-0050"]),
    ],
)
async def test_search_syntax_with_words_of_these_scripts(
    client: httpx.AsyncClient, q: str, ids: list[str]
) -> None:
    assert await _found(client, q=q) == ids


async def test_filters_and_pages_with_a_cjk_word(client: httpx.AsyncClient) -> None:
    assert await _found(client, q="승객", language="ko") == ["script-ko-bus.txt"]
    assert await _found(client, q="승객", language="ja") == []
    first = (await client.get("/v1/articles", params={"q": "iPhone", "limit": "1"})).json()
    assert [item["id"] for item in first["items"]] == ["article-0051"]
    rest = await _found(client, q="iPhone", limit="1", cursor=first["next_cursor"])
    assert rest == ["script-ja-iphone.html"]


async def test_punctuation_only_is_still_a_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/articles", params={"q": "、。「」"})
    assert response.status_code == 400
    assert "at least one word" in response.json()["message"]
