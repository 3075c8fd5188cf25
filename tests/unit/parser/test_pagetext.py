"""Whether a page shows a name: in its text, not only in scripts, hidden markup, a domain or
a copyright line."""

from __future__ import annotations

from lxml.html import fromstring  # type: ignore[import-untyped]

from services.parser.pagetext import PageText


def shows(body: str, name: str) -> bool:
    return PageText(fromstring(f"<html><body>{body}</body></html>")).credits(name)


def test_a_name_in_the_text_is_shown() -> None:
    assert shows("<p>Text: <b>Jane</b> <i>Doe</i>, May 2</p>", "Jane Doe")
    assert shows("<p>BY JANE DOE</p>", "Jane Doe")
    assert shows("<p>Doe, Jane</p>", "Doe Jane")
    assert shows("<p>Jo\u00adhann Mu\u0308ller</p>", "Johann Müller")


def test_a_name_missing_or_inside_a_longer_word_is_not() -> None:
    assert not shows("<p>Nothing about her.</p>", "Jane Doe")
    assert not shows("<p>Published in Januar.</p>", "Jan")
    assert not shows('<p><a href="/">jan-doe.de</a> blog</p>', "Jan")


def test_a_copyright_holder_is_not_credited() -> None:
    assert not shows("<footer>© 2020 Jane Doe. All rights reserved.</footer>", "Jane Doe")
    assert not shows("<footer>Copyright 2009-2012 Jane Doe</footer>", "Jane Doe")
    assert shows("<p>By Jane Doe</p><footer>© 2020 Jane Doe</footer>", "Jane Doe")


def test_a_name_only_in_a_script_or_hidden_markup_is_not_shown() -> None:
    assert not shows('<script>var author = "Jane Doe";</script><p>Story.</p>', "Jane Doe")
    assert not shows('<div style="display: none"><a>Jane Doe</a></div>', "Jane Doe")
    assert not shows('<span class="vcard rich-snippet-hidden">Jane Doe</span>', "Jane Doe")
    assert not shows("<div hidden><span>Jane</span> Doe</div>", "Jane Doe")


def test_markup_hidden_on_small_screens_only_is_shown() -> None:
    assert shows('<span class="hidden-xs">Jane Doe</span>', "Jane Doe")
    assert shows('<span class="x" style="display:none"></span> Jane Doe', "Jane Doe")


def test_a_name_run_together_with_the_next_node_s_text_is_shown() -> None:
    assert shows("<p><i>von Daniela Obers</i></p><p>Text.</p>", "Daniela Obers")
    assert shows(
        "<div><span>Teilen</span><span>Marco Kratzenberg</span></div>", "Marco Kratzenberg"
    )
