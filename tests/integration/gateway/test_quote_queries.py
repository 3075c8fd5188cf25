"""``GET /v1/quotes`` and ``/v1/articles?speaker=`` over real HTTP, against a store database
written directly, on each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.core.models import ProcessedArticle, Quote
from services.core.settings import Settings
from tests.integration.gateway.conftest import (
    gateway_over,
)
from tests.unit.store.factory import make_article


def quoting(n: int, speaker: str | None, text: str, **options: object) -> ProcessedArticle:
    said = Quote.model_validate(
        {"text": text, "speaker": speaker, "speaker_kind": "person", "cue": "said"}
        | {"paragraph": 0, "start": 0, "end": len(text)}
    )
    return make_article(n, **options).model_copy(update={"quotes": [said]})  # type: ignore[arg-type]


ARTICLES = [
    quoting(0, "Volodymyr Zelenskyy", "Russia has essentially rejected the full ceasefire"),
    quoting(1, "Donald Trump", "We didn’t talk about aid at all, believe me"),
    quoting(2, "José González", "La tregua debe respetarse en todo el país"),
    quoting(
        3,
        "Volodymyr Zelenskyy",
        "Russia has essentially rejected the full ceasefire",
        verdict="duplicate",
        story_id="article-0000",
        duplicate_of="article-0000",
    ),
    *[
        quoting(n, "Donald Trump", f"Statement number {n} about the talks today")
        for n in range(4, 9)
    ],
]


@pytest.fixture
def settings(backend_settings: Settings) -> Settings:
    """The test's settings, with the store on each backend in turn."""
    return backend_settings


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over(settings, ARTICLES) as client:
        yield client


async def test_quotes_by_speaker_and_words_with_their_article_ids(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/v1/quotes", params={"speaker": "ZELENSKYY"})
    assert answer.status_code == 200
    assert answer.json() == {
        "items": [
            {
                "article_id": "article-0000",
                "speaker": "Volodymyr Zelenskyy",
                "speaker_kind": "person",
                "cue": "said",
                "text": "Russia has essentially rejected the full ceasefire",
                "paragraph": 0,
                "start": 0,
                "end": 50,
            }
        ],
        "next_cursor": None,
    }
    accents = await client.get("/v1/quotes", params={"speaker": "jose gonzalez", "q": "TREGUA"})
    assert [q["article_id"] for q in accents.json()["items"]] == ["article-0002"]
    words = await client.get("/v1/quotes", params={"q": '"talk about" aid'})
    assert [q["speaker"] for q in words.json()["items"]] == ["Donald Trump"]
    empty = await client.get("/v1/quotes", params={"speaker": "", "q": ""})
    assert len(empty.json()["items"]) == 8, "empty parameters are left out; no duplicates"


async def test_quote_pages_follow_the_cursor(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    params = {"speaker": "Trump", "limit": "2"}
    for _ in range(10):
        page = (await client.get("/v1/quotes", params=params)).json()
        seen += [q["article_id"] for q in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [f"article-{n:04d}" for n in (8, 7, 6, 5, 4, 1)]


async def test_articles_by_speaker(client: httpx.AsyncClient) -> None:
    found = await client.get("/v1/articles", params={"speaker": "Zelenskyy"})
    assert [a["id"] for a in found.json()["items"]] == ["article-0000"]
    copies = await client.get(
        "/v1/articles", params={"speaker": "volodymyr zelenskyy", "include_duplicates": "true"}
    )
    assert [a["id"] for a in copies.json()["items"]] == ["article-0003", "article-0000"]
    none = await client.get("/v1/articles", params={"speaker": "Volodymyr"})
    assert none.json()["items"] == []


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/v1/quotes", {"speaker": "x" * 201}, "speaker is longer than 200"),
        ("/v1/quotes", {"speaker": "..."}, "speaker must name someone"),
        ("/v1/quotes", {"q": '"unbalanced'}, "unbalanced double quote"),
        ("/v1/quotes", {"q": "!!!"}, "at least one word"),
        ("/v1/quotes", {"limit": "0"}, "limit must be an integer from 1 to 100"),
        ("/v1/quotes", {"limit": "abc"}, "limit must be an integer"),
        ("/v1/quotes", {"cursor": "@@"}, "cursor is not one this API returned"),
        ("/v1/quotes", {"cursor": "bm9wZQ"}, "cursor is not one this API returned"),
        ("/v1/quotes", {"author": "Jane Doe"}, "unknown parameter(s): author"),
        ("/v1/articles", {"speaker": "—"}, "speaker must name someone"),
        ("/v1/articles", {"speaker": "y" * 201}, "speaker is longer than 200"),
    ],
)
async def test_bad_parameters_are_a_clear_400(
    client: httpx.AsyncClient, path: str, params: dict[str, str], message: str
) -> None:
    answer = await client.get(path, params=params)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_query"
    assert message in answer.json()["message"]
