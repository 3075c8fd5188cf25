"""Searching Japanese, Chinese, Korean and Thai articles through the read API, against a real
database of each backend: a word from the middle of a body finds its article, and the search
syntax keeps its meaning (phrases, prefixes, OR, exclusion, filters, pages), beside unchanged
Latin search."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from services.core.models import ProcessedArticle
from services.store.reader import ArticleReader
from services.store.search import SearchQuery
from tests.unit.store.backends import READERS, Backend, backend
from tests.unit.store.factory import BASE_TIME, make_article
from tests.unit.store.script_articles import ScriptArticle, processed, script_articles

SCRIPTS = script_articles()
BY_NAME = {script.name: f"script-{script.name}" for script in SCRIPTS}
LATIN = [
    make_article(100, title="Climate summit opens", paragraphs=["Leaders met in Paris today."]),
    make_article(101, title="Élection présidentielle", paragraphs=["Un scrutin serré à Lyon."]),
    make_article(
        102,
        title="Die Straße im Mittelalter",
        paragraphs=["Der Stadtrat in Köln stimmte am Dienstag zu."],
        language="de",
    ),
]
MIXED = make_article(
    103,
    title="東京株式市場",
    paragraphs=[
        "日経平均株価は19日、前日比312円高の3万9800円で取引を終えた。Nikkei closes higher."
    ],
    language="ja",
)
# 25 short Japanese items, one an hour: pages of a CJK word's matches.
WIRE = [
    make_article(200 + n, title=f"速報 {n}", paragraphs=[f"大阪府で第{n}回の会議が開かれた。"])
    for n in range(25)
]
ARTICLES: list[ProcessedArticle] = [
    *(processed(n, script) for n, script in enumerate(SCRIPTS)),
    *LATIN,
    MIXED,
    *WIRE,
]


@pytest.fixture(scope="module", params=READERS)
async def stored(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Backend]:
    name = str(request.param).partition("-")[0]
    async with backend(name, tmp_path_factory.mktemp("scripts")) as found:
        async with await found.repository() as repo:
            assert await repo.save_many(ARTICLES) == [True] * len(ARTICLES)
        yield found.reading(str(request.param))


@pytest.fixture
async def reader(stored: Backend) -> AsyncIterator[ArticleReader]:
    reader = await stored.reader()
    yield reader
    await reader.close()


async def _ids(reader: ArticleReader, q: str, **kwargs: object) -> set[str]:
    page = await reader.search(SearchQuery(q=q, limit=100, **kwargs))  # type: ignore[arg-type]
    return {article.id for article in page.items}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.name)
async def test_each_article_is_found_by_words_of_its_body(
    reader: ArticleReader, script: ScriptArticle
) -> None:
    for word in script.words:
        assert await _ids(reader, word) == {BY_NAME[script.name]}, word


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("東京都", {"ja-covid.txt"}),  # 3 characters at the start of 東京都は19日
        ("病", {"ja-covid.txt"}),  # 1 character inside 病床使用率
        ("感染", {"ja-covid.txt"}),  # 2 characters
        ('"手洗いや換気"', {"ja-covid.txt"}),
        ("病床*", {"ja-covid.txt"}),
        ("クパ*", {"ja-iphone.html"}),
        ("内涝 OR 换乘", {"zh-typhoon.html", "zh-metro.txt"}),
        ("台风 -电梯", {"zh-typhoon.html"}),
        ("交通 -电梯", set()),  # the metro article has both
        ("서울시", {"ko-bus.txt"}),  # 서울시는
        ("기준금리 동결", {"ko-rates.html"}),
        ("ข้าว", {"th-rice.html"}),
        ("ข้าว OR รถไฟฟ้า", {"th-rice.html", "th-skytrain.txt"}),
        ("ชานเมือง -ข้าว", {"th-skytrain.txt"}),
        ("＂病床＂", {"ja-covid.txt"}),  # full-width quotes are text, not syntax
        ("ＡＩ機能", {"ja-iphone.html"}),  # full-width letters fold to AI
        ("名古屋", set()),
        # A substring match, not a dictionary's words: 京都 (Kyoto) is inside 東京都 (Tokyo).
        ("京都", {"ja-covid.txt"}),
    ],
)
async def test_search_syntax_with_words_of_these_scripts(
    reader: ArticleReader, q: str, names: set[str]
) -> None:
    assert await _ids(reader, q) == {BY_NAME[name] for name in names}


@pytest.mark.parametrize(
    "q",
    [
        "日経平均",
        "312円高",
        "3万9800円",
        "19日 株価",
        "Nikkei",
        "nikkei closes",
        "Nikkei 取引",
        "株価*",
    ],
)
async def test_mixed_script_text_is_found_by_either_kind_of_word(
    reader: ArticleReader, q: str
) -> None:
    assert await _ids(reader, q) == {MIXED.id}


@pytest.mark.parametrize(
    ("q", "ids"),
    [
        ("climate", {"article-0100"}),
        ("election", {"article-0101"}),
        ("ÉLECTION", {"article-0101"}),
        ('"scrutin serré"', {"article-0101"}),
        ("mittel*", {"article-0102"}),
        ("köln", {"article-0102"}),
        ("koln", {"article-0102"}),
        ("paris OR lyon", {"article-0100", "article-0101"}),
        ("paris -leaders", set()),
    ],
)
async def test_latin_search_keeps_its_meaning(reader: ArticleReader, q: str, ids: set[str]) -> None:
    assert await _ids(reader, q) == ids


async def test_filters_and_pages_with_a_cjk_word(reader: ArticleReader) -> None:
    assert await _ids(reader, "승객", language="ko") == {BY_NAME["ko-bus.txt"]}
    assert await _ids(reader, "승객", language="ja") == set()
    since = BASE_TIME + timedelta(hours=220)
    assert await _ids(reader, "大阪府", since=since) == {
        f"article-{n:04d}" for n in range(220, 225)
    }
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = await reader.search(SearchQuery(q="大阪府 会議", limit=10, cursor=cursor))
        seen += [article.id for article in page.items]
        if (cursor := page.next_cursor) is None:
            break
    assert seen == [f"article-{n:04d}" for n in range(224, 199, -1)]  # newest first, once each
