"""Authors of a web page: declared people, else the byline in the markup or the text."""

from __future__ import annotations

from lxml.html import fromstring  # type: ignore[import-untyped]

from services.parser.authorship import page_authors

URL = "https://www.example-times.com/news/story"


def authors(
    body: str, declared: tuple[str, ...] = (), site: str | None = "Example Times"
) -> tuple[str, ...]:
    return page_authors(fromstring(f"<html><body>{body}</body></html>"), declared, site, URL)


def test_declared_people_win() -> None:
    body = (
        '<p class="byline">By Other Person</p><p class="bio"><b>Jane Doe</b> writes on cities.</p>'
    )
    assert authors(body, ("Jane Doe",)) == ("Jane Doe",)


def test_the_site_itself_is_not_an_author() -> None:
    for declared in ("Example Times", "example-times.com", "admin", "Example Media GmbH"):
        assert authors("<p>Nothing here.</p>", (declared,)) == ()


def test_a_rel_author_link_inside_a_byline() -> None:
    body = '<p class="byline">Par <a rel="author" href="/auteur/b">Barbara Stiegler</a></p>'
    assert authors(body) == ("Barbara Stiegler",)


def test_itemprop_author_with_a_name() -> None:
    body = '<address itemprop="author"><span itemprop="name">Frank Boës</span></address>'
    assert authors(body) == ("Frank Boës",)


def test_a_byline_line_of_text_in_several_languages() -> None:
    assert authors("<p>By Jane Doe and John Roe | March 3, 2021</p>") == ("Jane Doe", "John Roe")
    assert authors("<div>Von Lars Fischer und Alina Schadwinkel</div>") == (
        "Lars Fischer",
        "Alina Schadwinkel",
    )
    assert authors("<span>Por María López</span>") == ("María López",)


def test_nothing_is_invented() -> None:
    assert authors("<p>By clicking subscribe you agree to our terms.</p>") == ()
    assert authors('<div class="comments"><span class="author">Troll Guy</span></div>') == ()
    assert authors('<span class="author-more">Alle Beiträge</span>') == ()
    assert authors('<p class="byline">Foto: Ingo Schneider</p>') == ()


def test_a_site_name_after_the_name_is_dropped() -> None:
    assert authors('<span class="byline">By Rob Picheta, CNN</span>', site="CNN") == (
        "Rob Picheta",
    )


def test_handles_rubrics_and_taglines_are_not_names() -> None:
    assert authors("<p>Williams Perdomo</p>", ("Williams Perdomo @wperdomod",)) == (
        "Williams Perdomo",
    )
    assert authors('<span class="author">Disko Von Ernst Lohoff</span>') == ("Ernst Lohoff",)
    assert authors("", ("L-MAG – Das Magazin für Lesben",)) == ()


def test_a_personal_site_named_for_its_author() -> None:
    assert authors("<h2>Christoph Hein</h2>", ("Christoph Hein",), site="Christoph Hein") == (
        "Christoph Hein",
    )
    assert authors("", ("Example Times",), site="Example Times") == ()


def test_more_byline_words_and_labels() -> None:
    assert authors(
        '<div class="submitted">Gespeichert von <span>Rasmus Osterberg</span> am 24. Juli 2017</div>'
    ) == ("Rasmus Osterberg",)
    assert authors("", ("Ilustrator: Adriaan Prent", "Bündnis 90/Die Grünen")) == ()


def test_a_byline_stops_at_the_illustrator() -> None:
    assert authors("<em>Text von Christian Seiler Illustration von Markus Roth</em>") == (
        "Christian Seiler",
    )


def test_a_byline_word_in_its_own_element_before_the_name() -> None:
    assert authors(
        '<div><span class="meta">| By </span><span>Cara Stiles</span> | <time>April 13</time></div>'
    ) == ("Cara Stiles",)


def test_a_declared_author_the_page_never_shows_is_none() -> None:
    assert authors("<p>The story, and no byline.</p>", ("Jane Doe",)) == ()
    assert authors('<p class="byline">By John Roe</p>', ("Jane Doe",)) == ("John Roe",)
    assert authors("<footer>© 2021 Jane Doe</footer>", ("Jane Doe",)) == ()


def test_a_hidden_author_mark_is_none() -> None:
    body = '<div class="author" style="display:none"><a href="/u/jroe">John Roe</a></div>'
    assert authors(body, ("John Roe",)) == ()


def test_an_organisation_named_by_the_site_s_initials_is_the_site() -> None:
    body = "<p>Deutsches Rotes Kreuz</p>"
    for site, url in (("DRK e.V.", URL), (None, "https://www.drk.de/presse/1")):
        declared = ("Deutsches Rotes Kreuz",)
        found = page_authors(fromstring(f"<html><body>{body}</body></html>"), declared, site, url)
        assert found == ()
    assert authors("<p>Anna Maria Bauer</p>", ("Anna Maria Bauer",), site="AMB") == ()
    assert authors("<p>Anna Maria Bauer</p>", ("Anna Maria Bauer",), site="XYZ") == (
        "Anna Maria Bauer",
    )


def test_the_site_s_name_cut_from_an_organisation_leaves_no_author() -> None:
    body = '<span itemprop="author"><span itemprop="name">Bundesverband CNN</span></span>'
    assert authors(body, site="CNN") == ()
    assert authors('<span class="byline">By Rob Picheta CNN</span>', site="CNN") == ("Rob Picheta",)


def test_an_author_in_a_teaser_for_another_page_is_not_this_page_s() -> None:
    teaser = (
        '<a class="card" href="/other"><span class="author">Ralf Balke</span>'
        "<h3>Another story</h3></a>"
    )
    assert authors(f"<article><p>Text.</p><footer>{teaser}</footer></article>") == ()
    own = '<a class="author__link" href="/a/ub"><h2 class="author__name">Ursula Baatz</h2></a>'
    assert authors(f'<div class="article-authors">{own}</div>') == ("Ursula Baatz",)


def test_a_byline_under_a_headline_linking_elsewhere_is_a_teaser_s() -> None:
    card = '<div class="teaser"><h3><a href="/news/other-story">Other</a></h3>{}</div>'
    assert authors(card.format('<p class="byline">By Jane Doe</p>')) == ()
    permalink = '<div class="post"><h2><a href="/news/story/">This story</a></h2>{}</div>'
    assert authors(permalink.format('<p class="byline">By Jane Doe</p>')) == ("Jane Doe",)
    header = '<div class="teaser-small__metadata"><h1>This story</h1>{}</div>'
    assert authors(header.format('<p class="byline__author">Von Jane Doe</p>')) == ("Jane Doe",)


def test_a_byline_word_then_the_name_on_the_same_line() -> None:
    assert authors("<p><i>von Daniela Obers</i></p><p>Text.</p>") == ("Daniela Obers",)
    assert authors("<p><b>Von:</b><br><br> Götz Warnke</p>") == ("Götz Warnke",)
    body = "<p><strong>Autor:</strong> <a>Klaus Friedrich</a><br>Tags: <a>1907</a>, <a>Bus</a></p>"
    assert authors(body) == ("Klaus Friedrich",)


def test_a_byline_stops_at_the_weekday_of_its_date() -> None:
    assert authors('<div class="article-author">Von Tomas Spahn Fr, 18. Oktober 2019</div>') == (
        "Tomas Spahn",
    )


def test_a_single_name_after_a_byline_word() -> None:
    assert authors("<p>Posted by Konstantin @ 12:00 am</p>") == ("Konstantin",)
    assert authors("<p>By Reuters</p>") == ()
    assert authors("<p>Von Berlin</p>") == ()


def test_a_byline_in_a_list_of_sentences_is_a_work_s_credit() -> None:
    features = "<li>A card game for two to four players in a world of old myths.</li>"
    assert authors(f"<ul>{features}<li>Autor: Fabian Dittmann</li></ul>") == ()
    facts = '<ul class="meta"><li>By Jane Doe</li><li>May 3, 2021</li><li>5 min read</li></ul>'
    assert authors(facts) == ("Jane Doe",)


def test_a_byline_inside_a_link_to_another_page_with_its_summary_is_a_teaser_s() -> None:
    teaser = (
        '<a class="media-box__link" href="/news/brass-bands">Why young people spend their'
        " evenings playing brass music in three villages of the valley"
        '<span class="media-box__autor">Von Clara Müller</span></a>'
    )
    assert authors(teaser) == ()
    assert authors('<a rel="author" href="/authors/cm">Von Clara Müller</a>') == ("Clara Müller",)


def test_a_declared_name_only_in_running_text_is_no_credit() -> None:
    body = "<p>Ich bin Jens Niemeyer, Rechtsanwalt und Fachanwalt für IT-Recht.</p>"
    assert authors(body, ("Jens Niemeyer",)) == ()
    for credit in (
        "<p>Jens Niemeyer</p>",
        '<div class="post-author"><span>Written for you by Jens Niemeyer today</span></div>',
        "<p>Von Jens Niemeyer, Rechtsanwalt</p>",
        "<p><a>Jens</a> <a>Niemeyer</a></p>",
    ):
        assert authors(body + credit, ("Jens Niemeyer",)) == ("Jens Niemeyer",), credit


def test_a_photo_s_credit_is_not_the_text_s_author() -> None:
    assert authors('<p>Roads.<span class="media-license-author">Peter Frei</span></p>') == ()
    figure = '<figure><img src="a.jpg"><figcaption class="author">Anna Klein</figcaption></figure>'
    assert authors(figure) == ()
    assert authors('<div class="article-credits"><span class="author">Anna Klein</span></div>') == (
        "Anna Klein",
    )


def test_a_layout_state_is_not_a_sidebar_or_comments() -> None:
    wrapped = '<div class="post-wrap sidebar-off comments-closed">{}</div>'
    assert authors(wrapped.format('<p class="byline">By Jane Doe</p>')) == ("Jane Doe",)
    assert authors('<div class="sidebar-left"><p class="byline">By Jane Doe</p></div>') == ()


def test_a_byline_ends_before_its_weekday() -> None:
    body = '<p class="date">Erstellt von <a href="/u/7">Fabian</a> am Dienstag 6. Mai 2014</p>'
    assert authors(body) == ("Fabian",)
    assert authors("<p>Par Jean Dupont le mardi 3 mai 2022</p>") == ("Jean Dupont",)


def test_a_byline_may_open_with_its_date() -> None:
    assert authors("<h2>Stars <span>06.11.2023 13:30 von Olga </span></h2>") == ("Olga",)
    assert authors("<p>Posted on March 3, 2021 by Jane Doe</p>") == ("Jane Doe",)
    assert authors("<p>March 3, 2021 was the day they met by the river.</p>") == ()


def test_a_blog_post_credit() -> None:
    assert authors("<p>Blog Beitrag von Margarita Koreneva</p>") == ("Margarita Koreneva",)
    assert authors("<p>Ein Gastbeitrag von Anna Schmidt</p>") == ("Anna Schmidt",)


def test_a_link_to_the_authors_own_page_names_them() -> None:
    """The last resort: a link to an author page whose text is the name its address spells
    (co-authors beside it), outside comments and sidebars; other links name no one."""
    link = '<a href="https://www.example-times.com/fr/staff/{}/">{}</a>'
    body = "<p>Analyse</p><div>" + link.format("uriel-gadessaud", "Uriel Gadessaud") + "</div>"
    assert authors(body) == ("Uriel Gadessaud",)
    both = link.format("andre-loibl", "André Loibl") + " " + link.format("jo-ma", "Jo Ma")
    assert authors(f"<div>{both}</div>") == ("André Loibl", "Jo Ma")
    assert authors(f"<div>{link.format('jdoe', 'All posts')}</div>") == ()
    assert authors(f"<div>{link.format('jane-doe', 'View all posts')}</div>") == ()
    assert authors(f'<div class="comments">{link.format("jane-doe", "Jane Doe")}</div>') == ()
    assert authors(f"<div>{link.format('admin', 'admin')}</div>") == ()
