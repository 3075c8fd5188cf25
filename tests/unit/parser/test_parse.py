"""The parser's orchestration: extractor choice, client fields first, derived fields."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.core.errors import PermanentError
from services.core.models import ParsedArticle
from services.parser.errors import EmptyArticleError
from services.parser.parse import PARSER_VERSION, looks_like_html, parse_article
from tests.unit.parser.articles import SEED, raw

HTML = (
    "<html><head><title>Fallback title</title>"
    '<meta property="og:site_name" content="Daily Example">'
    '<meta property="og:title" content="Storm hits the coast">'
    '<link rel="canonical" href="https://www.example.com/news/story?utm_source=x">'
    "</head><body><article><h1>Storm hits the coast</h1>"
    + "".join(
        f"<p>Paragraph {i} says the storm brought heavy rain and wind to the towns.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)


def test_plain_text_seed_article() -> None:
    parsed = parse_article(raw(content_type="text/plain"))
    assert parsed.title == "Ukraine and Russia Trade Blows After Agreeing to De-Escalation Talks"
    assert parsed.authors == ["Camilla Jessen"]
    assert parsed.published_at == datetime(2025, 3, 19, 9, 19, tzinfo=timezone(timedelta(hours=1)))
    assert parsed.published_at.utcoffset() == timedelta(hours=1)
    assert parsed.published_at_utc == datetime(2025, 3, 19, 8, 19, tzinfo=UTC)
    assert parsed.published_local == "2025-03-19T09:19:00"  # the wall clock as written
    assert parsed.language == "en"
    assert parsed.cited_outlets == ["Euronews", "Fox News"]
    assert parsed.boilerplate_removed == ["Trending Now", "TRENDING NOW"]
    assert len(parsed.paragraphs) == 17
    assert parsed.lead == parsed.paragraphs[0]
    assert parsed.word_count == sum(len(p.split()) for p in parsed.paragraphs)
    assert parsed.parser_version == PARSER_VERSION


def test_client_fields_win_and_inferred_fill_gaps() -> None:
    published = datetime(2025, 3, 20, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    parsed = parse_article(
        raw(title="Client title", authors=["A. Client"], published_at=published, language="de")
    )
    assert (parsed.title, parsed.authors, parsed.published_at, parsed.language) == (
        "Client title", ["A. Client"], published, "de",
    )  # fmt: skip
    assert parsed.cited_outlets == ["Euronews", "Fox News"]


def test_auto_content_type_sniffs_html() -> None:
    assert looks_like_html(HTML)
    assert not looks_like_html(SEED)
    parsed = parse_article(raw(content=HTML, content_type="auto"))
    assert parsed.site_name == "Daily Example"
    assert parsed.canonical_url == "https://example.com/news/story"
    assert parsed.title == "Storm hits the coast"
    assert len(parsed.paragraphs) == 6
    assert all("storm" in p for p in parsed.paragraphs)


def test_empty_article_is_permanent() -> None:
    with pytest.raises(EmptyArticleError):
        parse_article(raw(content="Advertisement\n\nTrending Now\n"))
    assert issubclass(EmptyArticleError, PermanentError)


# In a fresh interpreter (this one has parsed already): what is loaded before warm-up, after it,
# and after a second one; the compiled kernels are the dispatchers numba has a signature for.
_LOADED = """
import json
from services.core import text
from services.parser import kernels, language, words
from services.parser.parse import warm_up

def loaded():
    compiled = [(module, name) for module in (kernels, text) for name in dir(module)
                if hasattr(getattr(module, name), "signatures")]
    return {
        "model": language._identifier.cache_info().currsize,
        "model_loads": language._identifier.cache_info().misses,
        "tables": words.char_classes.cache_info().currsize,
        "kernels": sorted(name for module, name in compiled if getattr(module, name).signatures),
        "all_kernels": sorted(name for _, name in compiled),
    }

before = loaded()
warm_up()
after = loaded()
warm_up()
print(json.dumps([before, after, loaded()]))
"""


def test_warm_up_loads_what_parsing_uses() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _LOADED], capture_output=True, text=True, timeout=240, check=False
    )
    assert run.returncode == 0, run.stderr
    before, after, again = json.loads(run.stdout)
    assert {"language_features", "count_words", "scan_flags"} <= set(before["all_kernels"])
    assert (before["model"], before["tables"], before["kernels"]) == (0, 0, [])
    assert (after["model"], after["tables"]) == (1, 1)
    assert after["kernels"] == after["all_kernels"], "every kernel parsing uses is compiled"
    assert again == after, "a second warm-up loads nothing again"
    assert again["model_loads"] == 1


def test_published_local_is_a_wall_clock_date_or_date_time() -> None:
    """The contract refuses an offset or anything but an ISO date or date-time there."""
    fields = parse_article(raw(content_type="text/plain")).model_dump()
    for value in ("2025-03-19", "2025-03-19T09:19", "2025-03-19T09:19:00.5"):
        assert ParsedArticle.model_validate({**fields, "published_local": value})
    for value in ("2025-03-19T09:19:00+01:00", "19.03.2025", "2025-03-19 09:19"):
        with pytest.raises(ValueError, match="published_local"):
            ParsedArticle.model_validate({**fields, "published_local": value})


_PARIS_TEXT = (
    "Le titre\n\nPar Jean Fournier\nPublié le 24/02/2026 à 05:49\n\n"
    "Le corps de l'article, assez long pour être lu comme un paragraphe entier du texte."
)


def test_a_time_without_zone_is_local_only() -> None:
    parsed = parse_article(raw(content=_PARIS_TEXT, content_type="text/plain"))
    assert parsed.published_at is None
    assert parsed.published_at_utc is None
    assert parsed.published_local == "2026-02-24T05:49:00"


def test_the_source_zone_gives_the_offset_in_force_that_day() -> None:
    article = raw(content=_PARIS_TEXT, content_type="text/plain", source="lemonde.fr")
    parsed = parse_article(article, {"lemonde.fr": "Europe/Paris"})
    assert parsed.published_at is not None
    assert parsed.published_at.isoformat() == "2026-02-24T05:49:00+01:00"
    assert parsed.published_local == "2026-02-24T05:49:00"
    summer = _PARIS_TEXT.replace("24/02/2026", "24/07/2026")
    parsed = parse_article(
        raw(content=summer, content_type="text/plain", source="lemonde.fr"),
        {"lemonde.fr": "Europe/Paris"},
    )
    assert parsed.published_at is not None
    assert parsed.published_at.isoformat() == "2026-07-24T05:49:00+02:00"


def test_a_source_zone_does_not_place_a_date_alone() -> None:
    text = _PARIS_TEXT.replace(" à 05:49", "")
    parsed = parse_article(
        raw(content=text, content_type="text/plain", source="lemonde.fr"),
        {"lemonde.fr": "Europe/Paris"},
    )
    assert parsed.published_at is None
    assert parsed.published_local == "2026-02-24"
