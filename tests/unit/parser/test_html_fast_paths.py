"""Fast paths of the HTML parser give the answers of the plain forms they replace: cheaper
queries, walks and case-sensitive patterns on folded text (see services.parser.folding)."""

from __future__ import annotations

from lxml.html import HtmlElement, fromstring  # type: ignore[import-untyped]

from services.parser import headline, html


def page(body: str) -> HtmlElement:
    tree: HtmlElement = fromstring(f"<html><head><title>T</title></head><body>{body}</body></html>")
    return tree


# --- the last paragraph's container (html._container_of) ----------------------------------------


def test_container_is_the_parent_of_the_last_paragraph_reading_as_the_text() -> None:
    tree = page(
        '<div id="a"><p>The council voted <b>on Tuesday</b>.</p></div>'
        '<div id="b"><p>The  council voted on\nTuesday.</p></div>'
        '<div id="c"><p>The council voted on Tuesday, again.</p></div>'
    )
    container = html._container_of(tree, "The council voted on Tuesday.")
    assert container is not None and container.get("id") == "b"


def test_container_of_a_paragraph_holding_characters_clean_text_drops() -> None:
    tree = page(
        '<div id="a"><p>Das Mittelalter endet.</p></div>'
        '<div id="b"><p>Das Mit\u00adtel\u00adal\u00adter endet.</p></div>'
    )
    container = html._container_of(tree, "Das Mittelalter endet.")
    assert container is not None and container.get("id") == "b"  # the plain query misses it


def test_plain_paragraph_query_matches_the_translating_one_without_dropped_characters() -> None:
    tree = page(
        "<p>Alpha <i>beta</i> gamma</p><div><p>gamma delta</p><p>Gam<b>ma</b></p></div>"
        "<p><span>gam</span>ma</p>"
    )
    for probe in ("gamma", "beta", "Gamma", "ma"):
        plain = html._P_CONTAINING_PLAIN(tree, probe=probe)
        assert plain == html._P_CONTAINING(tree, probe=probe)
        assert plain == tree.xpath("//p[contains(., $probe)]", probe=probe)
    assert len(html._P_CONTAINING_PLAIN(tree, probe="gamma")) == 3  # one across elements


# --- headings (headline._headings) ---------------------------------------------------------------


def test_headings_are_the_first_h1_elements_in_document_order() -> None:
    body = "".join(f"<div><h1>Heading number {i}<h1>nested {i}</h1></h1></div>" for i in range(6))
    tree = page(f"<h1>One</h1><H1>Upper-case tag</H1>{body}")
    h1s = tree.xpath("descendant::h1")
    assert len(h1s) > headline.MAX_HEADINGS
    expected = [" ".join(h.text_content().split()) for h in h1s[: headline.MAX_HEADINGS]]
    assert headline._headings(tree) == [t for t in expected if len(t) >= 4]
