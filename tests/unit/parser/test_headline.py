"""The page's headline: the declared title trimmed to what its <h1> repeats, site parts dropped."""

from __future__ import annotations

from lxml.html import fromstring  # type: ignore[import-untyped]

from services.parser.headline import page_title

URL = "https://www.hausinfo.ch/de/article"


def title(declared: str | None, body: str = "", site: str | None = None) -> str | None:
    return page_title(fromstring(f"<html><body>{body}<p>x</p></body></html>"), declared, site, URL)


def test_the_h1_inside_the_declared_title_is_the_headline() -> None:
    declared = "Four Years Remaining » Blog Archive » Interning of Small Integers"
    body = "<h1>Four Years Remaining</h1><h1>Interning of Small Integers</h1>"
    assert title(declared, body) == "Interning of Small Integers"


def test_site_parts_are_dropped_without_an_h1() -> None:
    assert (
        title("Kondenswasser am Fenster verhindern - hausinfo")
        == "Kondenswasser am Fenster verhindern"
    )
    assert title("Budget approved | Example Times", site="Example Times") == "Budget approved"


def test_a_title_that_is_only_the_site_name_gives_way_to_the_h1() -> None:
    assert title("Hausinfo", "<h1>Kondenswasser verhindern</h1>") == "Kondenswasser verhindern"


def test_a_plain_title_is_kept() -> None:
    assert (
        title("Tote Hummeln unter Linden: Die Erklärung")
        == "Tote Hummeln unter Linden: Die Erklärung"
    )
    assert title(None) is None


def test_a_tagline_after_the_site_name_is_dropped_with_it() -> None:
    url = "https://archiv.example-krimiblog.de/2895"
    declared = "Das Musikvideo der Woche - Example-Krimiblog Archiv - Ermittlungen seit 2005"
    tree = fromstring("<html><body><p>x</p></body></html>")
    assert page_title(tree, declared, None, url) == "Das Musikvideo der Woche"


def test_a_section_before_the_headline_stays_when_the_site_opens_the_title() -> None:
    assert title("Hausinfo » Ratgeber » Kondenswasser verhindern") == (
        "Ratgeber » Kondenswasser verhindern"
    )
    assert title("Hausinfo - Kondenswasser verhindern - Hausinfo") == "Kondenswasser verhindern"


def test_a_blogs_archive_part_is_dropped_like_the_sites_name() -> None:
    assert title("Blog Archiv » Podcasts in Plex einbinden") == "Podcasts in Plex einbinden"
    assert title("Hausinfo » Blog Archive » Kondenswasser") == "Kondenswasser"


def test_the_sites_name_in_the_banner_is_no_headline() -> None:
    banner = '<header id="branding"><h1 id="site-title">Example Garden Blog</h1></header>'
    article = '<article><h1 class="entry-title">Kleine Schafskunde</h1></article>'
    declared = "Kleine Schafskunde | Example Garden Blog"
    assert title(declared, banner + article) == "Kleine Schafskunde"
    section = '<div id="header"><div class="content"><h1>Opinion</h1></div></div>'
    assert title("Retirement is an archaism | Analysis Opinion", section) == (
        "Retirement is an archaism | Analysis Opinion"
    )


def test_a_part_holding_the_domains_name_twice_over_is_the_sites() -> None:
    url = "https://fouryears.eu/2009/11/21/interning"
    declared = "Four Years Remaining » Blog Archive » Interning of Small Integers in Python"
    tree = fromstring("<html><body><p>x</p></body></html>")
    assert page_title(tree, declared, None, url) == "Interning of Small Integers in Python"
