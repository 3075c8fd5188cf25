"""Body extraction from HTML: paragraphs, clean-up, bad input; the compiled queries and fast
paths give the answers of the forms they replace."""

from __future__ import annotations

import re
from typing import Any

import pytest
import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]
from trafilatura.utils import load_html

from services.core.text import clean_text
from services.parser import html
from services.parser.errors import EmptyArticleError
from services.parser.html import clean_paragraphs, extract_html
from tests.unit.parser.pages import ARTICLE, query_tree

PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new budget for the coming year.",
    "The plan raises spending on schools and public transport by four percent.",
    "Opponents said the increase would force higher property taxes next spring.",
    "The mayor is expected to sign the budget into law before the end of the month.",
]


def article(extra_top: str = "", extra_bottom: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<html><head><title>Council approves budget</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>Council approves budget</h1>{extra_top}{body}{extra_bottom}</article>"
        "<footer><p>Copyright 2019 Example Media. All rights reserved.</p></footer>"
        "</body></html>"
    )


def test_body_paragraphs_without_navigation_or_footer() -> None:
    extracted = extract_html(article(), "https://example.com/a")
    assert list(extracted.paragraphs) == PARAGRAPHS
    assert extracted.title == "Council approves budget"
    assert extracted.boilerplate_removed == ()


def test_the_title_is_clean_text() -> None:
    """Soft hyphens (hyphenation hints some sites put in their headlines) and whitespace runs
    leave the title as they leave the body."""
    page = (
        article()
        .replace(
            "<title>Council approves budget</title>",
            "<title>Coun\u00adcil  ap\u00adproves budget</title>",
        )
        .replace("<h1>Council approves budget</h1>", "")
    )
    assert extract_html(page, "https://example.com/a").title == "Council approves budget"


def test_whitespace_inside_paragraphs_is_collapsed() -> None:
    html = article(extra_top="<p>Line one of the\n   story   continues\nhere with more words.</p>")
    assert "Line one of the story continues here with more words." in extract_html(html).paragraphs


def test_line_breaks_split_paragraphs() -> None:
    html = article(extra_bottom="<p>First line of a poem about budgets<br>second line of it</p>")
    paragraphs = extract_html(html).paragraphs
    assert "First line of a poem about budgets" in paragraphs
    assert "second line of it" in paragraphs


def test_clean_paragraphs_drops_headline_promos_and_plugs() -> None:
    paragraphs = [
        "Council Approves Budget",
        PARAGRAPHS[0],
        "Read more: Council fails to agree on last year's plan",
        PARAGRAPHS[1],
        "Sign up for our free daily newsletter.",
        "Follow us on Twitter and Facebook.",
    ]
    assert clean_paragraphs(paragraphs, "Council approves budget") == PARAGRAPHS[:2]


def test_clean_paragraphs_keeps_long_paragraphs_mentioning_newsletters() -> None:
    long = "The newsletter industry " + "grew steadily over the decade " * 10
    assert clean_paragraphs([PARAGRAPHS[0], long], None) == [PARAGRAPHS[0], long]


def test_furniture_lines_inside_the_body_are_dropped() -> None:
    furniture = (
        "<p>Advertisement</p><p>Lesen Sie auch: Der Haushalt des Vorjahres</p>"
        "<p>Subscribe now to our digital edition for the full story.</p>"
    )
    page = article(extra_top=f"<p>{PARAGRAPHS[0]}</p>{furniture}")
    assert list(extract_html(page).paragraphs) == [PARAGRAPHS[0], *PARAGRAPHS]


def test_table_rows_are_kept_even_when_they_read_like_a_menu() -> None:
    table = (
        "<table><tr><th>Ward</th><th>Member</th><th>Party</th></tr>"
        "<tr><td>North Side</td><td>Jane Doe</td><td>Greens</td></tr></table>"
    )
    paragraphs = extract_html(article(extra_bottom=table)).paragraphs
    assert paragraphs[-2:] == ("Ward | Member | Party", "North Side | Jane Doe | Greens")


def test_split_body_chunks_are_joined() -> None:
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
    second = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    html = (
        "<html><body><article><div class='chunks'>"
        f"<div class='grid'><div class='body chunk'>{first}</div></div>"
        "<div class='ad'><span>Advertisement</span></div>"
        f"<div class='grid'><div class='body chunk'>{second}</div></div>"
        "</div></article></body></html>"
    )
    assert list(extract_html(html).paragraphs) == PARAGRAPHS


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "just some plain text, no markup at all",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><head><title>Empty</title></head><body></body></html>",
        "\x00\x01\x02<<<>>>\x03",
    ],
)
def test_no_body_raises_empty_article_error(html: str) -> None:
    with pytest.raises(EmptyArticleError):
        extract_html(html)


def test_empty_article_error_is_a_value_error() -> None:
    assert issubclass(EmptyArticleError, ValueError)


def test_paragraph_probe_query_matches_the_descendant_xpath() -> None:
    tree = query_tree()
    expected = tree.xpath("//p[contains(., $probe)]", probe="gamma")
    assert len(expected) == 3
    assert html._P_CONTAINING(tree, probe="gamma") == expected


def test_paragraph_probe_query_skips_the_characters_clean_text_drops() -> None:
    tree: HtmlElement = load_html(
        "<html><body><p>Das Mit\u00adtel\u00adal\u00adter</p></body></html>"
    )
    assert tree.xpath("//p[contains(., $probe)]", probe="Mittelalter") == []
    assert [p.text for p in html._P_CONTAINING(tree, probe="Mittelalter")] == [
        "Das Mit\u00adtel\u00adal\u00adter"
    ]


def test_same_class_query_matches_the_relative_xpath() -> None:
    tree = query_tree()
    scope = tree.find("body")
    expected = scope.xpath(".//*[@class=$cls]", cls="a")
    assert len(expected) == 2
    assert html._SAME_CLASS(scope, cls="a") == expected


@pytest.mark.parametrize(
    "text",
    ["", " ", "a  b", " a\tb\n", "a\u00a0b\u2009c\u3000", "\x1c a \x1f", "one", "a\u200bb"],
)
def test_squash_collapses_whitespace_as_the_regex_did(text: str) -> None:
    assert html._squash(text) == re.sub(r"\s+", " ", clean_text(text)).strip()


def test_squash_cleans_the_text() -> None:
    assert (
        html._squash(" Mit\u00adtel\u00adal\u00adter\u200b \ufeffZeit\u2028  ")
        == "Mittelalter Zeit"
    )
    assert html._squash("Cafe\u0301") == "Caf\u00e9"


def test_text_output_format_extracts_the_same_body() -> None:
    page = f"<html><head><title>T</title></head><body><nav>Home</nav>{ARTICLE}</body></html>"
    bodies: list[Any] = []
    for output_format in ("python", "txt"):
        options = {**html.TRAFILATURA_OPTIONS, "output_format": output_format}
        document: Any = trafilatura.bare_extraction(load_html(page), **options)
        bodies.append(etree.tostring(document.body))
    assert bodies[0] == bodies[1]
    assert html.TRAFILATURA_OPTIONS["output_format"] == "txt"


def test_text_the_fast_pass_drops_is_found_by_the_full_pass() -> None:
    """A bordered box holding most of the text: the precision rules drop it, trafilatura's
    comparison with its generic extractors (skipped by the fast pass) brings it back."""
    boxed = "".join(f"<p>{p} {p}</p>" for p in PARAGRAPHS * 3)
    page = (
        "<html><body><article><h1>Council approves budget</h1>"
        f"<p>{PARAGRAPHS[0]}</p><div style='border: 1px solid #ccc'>{boxed}</div>"
        "</article></body></html>"
    )
    tree = load_html(page)
    fast = html._trafilatura_paragraphs(tree, None, html.FAST_OPTIONS)
    assert fast == ["Council approves budget", PARAGRAPHS[0]]
    doubled = [f"{p} {p}" for p in PARAGRAPHS * 3]
    assert html.trafilatura_body(tree, None) == [PARAGRAPHS[0], *doubled]


FAST, FULL, BALANCED, RECALL = "fast", "full", "balanced", "recall"


def cascade(
    monkeypatch: pytest.MonkeyPatch, bodies: dict[str, list[str]], page_chars: int
) -> tuple[list[str], list[str]]:
    """trafilatura_body with each pass's paragraphs given; the body and the passes run."""
    names = {
        id(html.FAST_OPTIONS): FAST,
        id(html.TRAFILATURA_OPTIONS): FULL,
        id(html.BALANCED_OPTIONS): BALANCED,
        id(html.RECALL_OPTIONS): RECALL,
    }
    runs: list[str] = []

    def paragraphs(tree: HtmlElement, url: str | None, options: dict[str, Any]) -> list[str]:
        runs.append(names[id(options)])
        return bodies[names[id(options)]]

    monkeypatch.setattr(html, "_trafilatura_paragraphs", paragraphs)
    monkeypatch.setattr(html, "page_prose_chars", lambda tree: page_chars)
    return html.trafilatura_body(load_html("<html><body><p>x</p></body></html>"), None), runs


def text(chars: int) -> list[str]:
    """A paragraph of ``chars`` non-space characters (a multiple of 4)."""
    return [" ".join(["word"] * (chars // 4))]


def test_a_body_holding_much_of_the_page_takes_one_fast_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body, runs = cascade(monkeypatch, {FAST: text(1000)}, page_chars=2000)
    assert (body, runs) == (text(1000), [FAST])


def test_a_long_body_takes_one_fast_pass_whatever_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body, runs = cascade(monkeypatch, {FAST: text(4000)}, page_chars=100_000)
    assert (body, runs) == (text(4000), [FAST])


def test_a_short_share_of_the_page_takes_the_full_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    body, runs = cascade(monkeypatch, {FAST: text(500), FULL: text(2500)}, page_chars=5000)
    assert (body, runs) == (text(2500), [FAST, FULL])


def test_a_body_of_a_middling_share_takes_the_balanced_pass_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body, runs = cascade(monkeypatch, {FAST: text(2000), BALANCED: text(2200)}, page_chars=10_000)
    assert (body, runs) == (text(2000), [FAST, BALANCED])


def test_a_body_still_short_takes_a_much_longer_balanced_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bodies = {FAST: text(500), FULL: text(600), BALANCED: text(1200)}
    body, runs = cascade(monkeypatch, bodies, page_chars=10_000)
    assert (body, runs) == (text(1200), [FAST, FULL, BALANCED])


@pytest.mark.parametrize(
    ("full", "balanced"),
    [(1200, 1752), (600, 948)],  # 552 chars more but not 1.5 times; 1.58 times but 348 more
)
def test_a_balanced_body_not_much_longer_is_left(
    monkeypatch: pytest.MonkeyPatch, full: int, balanced: int
) -> None:
    bodies = {FAST: text(500), FULL: text(full), BALANCED: text(balanced)}
    body, runs = cascade(monkeypatch, bodies, page_chars=10_000)
    assert (body, runs) == (text(full), [FAST, FULL, BALANCED])


def test_page_prose_leaves_out_links_scripts_asides_and_footers() -> None:
    page = (
        "<html><head><title>Not counted</title></head><body>"
        "<p>Four words of <a href='/t'>text <b>here</b></a>.</p><script>var x = 1;</script>"
        "<style>p {}</style><aside><p>Related <script>y()</script> stories</p></aside>"
        "<footer>Copyright notice</footer><div>and\n  two   more</div></body></html>"
    )
    assert html.page_prose_chars(load_html(page)) == len("Fourwordsof.andtwomore")


def test_a_body_of_too_few_words_takes_the_recall_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = {FAST: [], FULL: ["Home"], RECALL: text(300)}
    body, runs = cascade(monkeypatch, bodies, page_chars=1000)
    assert (body, runs) == (text(300), [FAST, FULL, RECALL])
