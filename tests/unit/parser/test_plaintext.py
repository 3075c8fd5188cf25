"""The plain-text extractor: header fields, body paragraphs, boilerplate, bad input."""

from __future__ import annotations

import pytest

from services.parser.errors import EmptyArticleError
from services.parser.plaintext import extract_plaintext

BODY = "The storm arrived overnight.\n\nOfficials said more rain is expected."


@pytest.mark.parametrize(
    ("byline", "authors", "site"),
    [
        ("Written by Camilla Jessen", ("Camilla Jessen",), None),
        ("By Camille Brennan | Global Dispatch", ("Camille Brennan",), "Global Dispatch"),
        ("By Jane Doe and John Smith", ("Jane Doe", "John Smith"), None),
        ("By Jane Doe & John Smith", ("Jane Doe", "John Smith"), None),
        ("By Ann Lee, Bob Stone and Carl Jung", ("Ann Lee", "Bob Stone", "Carl Jung"), None),
        ("By Ann Lee, Bob Stone", ("Ann Lee", "Bob Stone"), None),
        ("By Ann Lee, Coastal Times", ("Ann Lee",), "Coastal Times"),
        ("By Ann Lee, Reuters", ("Ann Lee",), "Reuters"),
        ("By Ann Lee, Staff Writer", ("Ann Lee",), None),
        ("*By Camille Jensen*", ("Camille Jensen",), None),
        ("*By Tomasz Haddad, Mei Novak*", ("Tomasz Haddad", "Mei Novak"), None),
        ("BY JANE DOE", ("Jane Doe",), None),
        ("Author: Jane Doe", ("Jane Doe",), None),
        ("By Jane Doe for The Guardian", ("Jane Doe",), "The Guardian"),
        ("By Jane Doe in Kyiv", ("Jane Doe",), None),
    ],
)
def test_bylines(byline: str, authors: tuple[str, ...], site: str | None) -> None:
    result = extract_plaintext(f"Big Storm Hits Coast\n{byline}\n\n{BODY}")
    assert result.authors == authors
    assert result.site_name == site
    assert result.paragraphs == tuple(BODY.split("\n\n"))


def test_bare_names_next_to_a_dateline_are_the_byline() -> None:
    text = f"Markets Rally\nJane Doe & John Smith\nMarch 19, 2025 at 2:30 p.m. ET\n\n{BODY}"
    result = extract_plaintext(text)
    assert result.authors == ("Jane Doe", "John Smith")
    assert result.published_at is not None
    assert result.published_at.isoformat() == "2025-03-19T14:30:00-04:00"


def test_bare_names_with_their_role_or_outlet_are_the_byline() -> None:
    text = f"Markets Rally\nJane Doe | Senior Reporter\nMarch 19, 2025 at 2:30 p.m. ET\n\n{BODY}"
    assert extract_plaintext(text).authors == ("Jane Doe",)
    text = f"Markets Rally\nJane Doe & John Smith – Reuters\nMarch 19, 2025\n\n{BODY}"
    result = extract_plaintext(text)
    assert (result.authors, result.site_name) == (("Jane Doe", "John Smith"), "Reuters")
    text = f"Markets Rally\nJane Doe | Berlin\nMarch 19, 2025\n\n{BODY}"  # no role, no outlet
    assert extract_plaintext(text).authors == ()


def test_the_outlet_on_its_own_line_after_the_byline() -> None:
    text = f"Markets Rally\nBY JANE DOE AND JOHN ROE\nAssociated Press\nMarch 4, 2025\n\n{BODY}"
    result = extract_plaintext(text)
    assert (result.authors, result.site_name) == (("Jane Doe", "John Roe"), "Associated Press")
    assert (result.published_local, result.paragraphs) == ("2025-03-04", tuple(BODY.split("\n\n")))
    text = f"Markets Rally\nBy Jane Doe\n\nThe Washington Post Company was sold.\n\n{BODY}"
    assert extract_plaintext(text).paragraphs[0] == "The Washington Post Company was sold."


def test_body_sentence_starting_with_by_is_not_a_byline() -> None:
    text = "Report on Things\n\nBy the end of the year, prices had doubled.\n\nMore text."
    result = extract_plaintext(text)
    assert result.authors == ()
    assert result.paragraphs[0] == "By the end of the year, prices had doubled."
    assert "no_byline" in result.warnings


def test_markdown_heading_title() -> None:
    result = extract_plaintext(
        f"# A Markdown Title\n\n*By Ann Lee*\n\n2020-03-20T19:28:00Z\n\n{BODY}"
    )
    assert result.title == "A Markdown Title"
    assert result.authors == ("Ann Lee",)
    assert result.published_at is not None
    assert result.published_at.isoformat() == "2020-03-20T19:28:00+00:00"


def test_subtitle_between_title_and_byline() -> None:
    text = (
        "Big Storm Hits Coast\nThousands without power as winds reach 120 km/h\n"
        f"By Jane Doe\nMarch 19, 2025 9:19 AM EDT\n\n{BODY}"
    )
    result = extract_plaintext(text)
    assert result.title == "Big Storm Hits Coast"
    assert result.subtitle == "Thousands without power as winds reach 120 km/h"
    assert result.paragraphs == tuple(BODY.split("\n\n"))


def test_no_subtitle_without_byline_or_dateline_after_it() -> None:
    text = "Big Storm Hits Coast\nThousands without power.\n\nOfficials said more rain is due."
    result = extract_plaintext(text)
    assert result.subtitle is None
    assert result.paragraphs == ("Thousands without power.", "Officials said more rain is due.")


def test_published_and_updated_line() -> None:
    text = (
        "Title Here\nBy Ann Lee\n"
        f"Published 19 March 2025 09:19 CET | Updated 19 March 2025 11:00 CET\n\n{BODY}"
    )
    result = extract_plaintext(text)
    assert result.published_at is not None
    assert result.updated_at is not None
    assert result.published_at.isoformat() == "2025-03-19T09:19:00+01:00"
    assert result.updated_at.isoformat() == "2025-03-19T11:00:00+01:00"
    assert result.warnings == ()


def test_update_line_at_the_end_of_the_body() -> None:
    header = "Title Here\nBy Ann Lee\nMarch 19, 2025 09:19 GMT"
    text = f"{header}\n\n{BODY}\n\nUpdated March 19, 2025 11:00 GMT"
    result = extract_plaintext(text)
    assert result.updated_at is not None
    assert result.updated_at.isoformat() == "2025-03-19T11:00:00+00:00"
    assert result.paragraphs == tuple(BODY.split("\n\n"))


def test_dateline_in_generic_zone_follows_daylight_saving() -> None:
    result = extract_plaintext(f"Title\nBy Ann Lee\nJuly 4, 2025 9:00 a.m. ET\n\n{BODY}")
    assert result.published_at is not None
    assert result.published_at.isoformat() == "2025-07-04T09:00:00-04:00"


def test_date_with_inline_byline_segment() -> None:
    result = extract_plaintext(f"Headline\nBy Jane Doe | March 19, 2025 9:19 AM ET\n\n{BODY}")
    assert result.authors == ("Jane Doe",)
    assert result.published_at is not None
    assert result.published_at.isoformat() == "2025-03-19T09:19:00-04:00"


def test_unknown_zone_warns_and_invents_no_offset() -> None:
    result = extract_plaintext(f"A Title\nBy Jane Doe\nMarch 19, 2025 09:19 XYZ\n\n{BODY}")
    assert "unknown_time_zone:XYZ" in result.warnings
    assert result.published_at is None
    assert result.published_local == "2025-03-19T09:19:00"


def test_a_date_alone_is_local_and_has_no_offset() -> None:
    result = extract_plaintext(f"A Title\nBy Jane Doe\n28/05/2024\n\n{BODY}")
    assert result.published_at is None
    assert result.published_local == "2024-05-28"
    assert "no_time_zone" in result.warnings


def test_missing_byline_and_dateline_warn() -> None:
    result = extract_plaintext(f"Just a title\n\n{BODY}")
    assert result.title == "Just a title"
    assert result.warnings == ("no_byline", "no_dateline")
    assert result.published_at is None


BOILERPLATE = [
    "Trending Now",
    "TRENDING NOW",
    "Advertisement",
    "ADVERTISEMENT",
    "Share this article",
    "Read more: Why the storm was so strong",
    "Sign up for our newsletter",
    "Sign up for our daily weather newsletter here.",
    "Click here to subscribe",
    "Follow us on social media",
    "Follow us on Twitter",
    "Related: Storm season forecast",
    "Most Read",
    "Story continues below advertisement",
    "© 2025 Coastal Times. All rights reserved.",
]


def test_boilerplate_lines_are_removed_in_order() -> None:
    lines = "\n\n".join(BOILERPLATE)
    text = f"Title\n\nBy Ann Lee\n\nThe storm arrived overnight.\n\n{lines}\n\nThe end came soon."
    result = extract_plaintext(text)
    assert result.boilerplate_removed == tuple(BOILERPLATE)
    assert result.paragraphs == ("The storm arrived overnight.", "The end came soon.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Sign up for the Disney+ bundle using the same email as your Hulu account.",
        "Share prices rose 5% on Monday.",
        "Follow-up talks are scheduled for next week.",
        "Read more than 200 pages of the report and you find the same conclusion.",
        "© Reuters",
        "Related charges were dropped last year.",
        "Advertisement revenue fell by a third.",
    ],
)
def test_body_sentences_with_boilerplate_words_stay(sentence: str) -> None:
    result = extract_plaintext(f"Title\nBy Ann Lee\n\n{sentence}\n\nMore text.")
    assert result.paragraphs == (sentence, "More text.")
    assert result.boilerplate_removed == ()


def test_single_newline_paragraphs() -> None:
    text = "Markets Rally\nBy Ann Lee\nStocks rose.\nBonds fell.\nOil was flat."
    assert extract_plaintext(text).paragraphs == ("Stocks rose.", "Bonds fell.", "Oil was flat.")


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = (
        "Wrapped Article\n\nBy Jane Doe\n\n"
        "This is a hard wrapped paragraph that goes on for a while and\n"
        "then continues on the next line because the text was wrapped at\n"
        "seventy columns by an old mail client.\n\nSecond paragraph here."
    )
    result = extract_plaintext(text)
    assert len(result.paragraphs) == 2
    assert result.paragraphs[0].endswith("wrapped at seventy columns by an old mail client.")


def test_windows_line_endings() -> None:
    result = extract_plaintext("Title\r\nBy Ann Lee\r\n\r\nBody text.\r\n")
    assert result.title == "Title"
    assert result.paragraphs == ("Body text.",)


@pytest.mark.parametrize("text", ["", "   \n\n\t\n"])
def test_empty_text_raises(text: str) -> None:
    with pytest.raises(EmptyArticleError, match="empty"):
        extract_plaintext(text)


@pytest.mark.parametrize(
    "text",
    [
        "Only a title",
        "Title\nBy Ann Lee\nMarch 19, 2025 09:19 CET\n\nAdvertisement\n\nTrending Now",
    ],
)
def test_text_empty_after_cleaning_raises(text: str) -> None:
    with pytest.raises(EmptyArticleError):
        extract_plaintext(text)


def test_empty_article_error_is_a_value_error() -> None:
    assert issubclass(EmptyArticleError, ValueError)


def test_navigation_menu_and_banner_lines_are_boilerplate() -> None:
    text = (
        "Home | World | Politics | Business | Sport | Culture\n\nBreaking News\n\n"
        "Storm Hits Coast\n\nBy Ann Lee\n\nThe storm arrived overnight."
    )
    result = extract_plaintext(text)
    assert result.boilerplate_removed == (
        "Home | World | Politics | Business | Sport | Culture",
        "Breaking News",
    )
    assert result.title == "Storm Hits Coast"


def test_long_lead_sentence_without_byline_is_body_not_title() -> None:
    lead = (
        "VIENNA — The house where Adolf Hitler was born will be turned into a police station, "
        "Austria's interior minister said on Tuesday."
    )
    result = extract_plaintext(f"{lead}\n\nThe decision ends years of dispute.")
    assert result.title is None
    assert result.paragraphs == (lead, "The decision ends years of dispute.")
    assert "no_title" in result.warnings


def test_a_german_header_and_furniture() -> None:
    text = (
        "Der Titel\n\nVon Anna Bauer und Kai Roth\n19.03.2025, 09:19 Uhr\nAnzeige\n\n"
        f"{BODY}\n\nMehr zum Thema\n\nLesen Sie auch: Der Streit um das Gesetz"
    )
    result = extract_plaintext(text)
    assert result.authors == ("Anna Bauer", "Kai Roth")
    assert (result.published_at, result.published_local) == (None, "2025-03-19T09:19:00")
    assert result.paragraphs == tuple(BODY.split("\n\n"))


def test_a_wire_story_takes_its_reporters_as_authors() -> None:
    text = (
        "Oil falls\n\n12 October 2023\n\nPARIS (Reuters) - Oil prices fell on Tuesday.\n\n"
        "Traders said supply was ample.\n\n"
        "(Reporting by Mei Sato in Paris; Editing by Tom Brown)\n\n"
        "Our Standards: The Thomson Reuters Trust Principles."
    )
    result = extract_plaintext(text)
    assert result.authors == ("Mei Sato",)
    assert result.paragraphs == ("Oil prices fell on Tuesday.", "Traders said supply was ample.")
    assert result.published_local == "2023-10-12"


def test_a_spanish_numeric_date_is_day_first() -> None:
    result = extract_plaintext(
        f"El título\n\nPor Ana García\n12/10/2023 - 09:11 (hora peninsular)\n\n{BODY}"
    )
    assert result.published_at is not None
    assert result.published_at.isoformat() == "2023-10-12T09:11:00+02:00"


def test_a_body_line_in_english_does_not_make_the_header_month_first() -> None:
    lead = "The council met at 10 a.m. on Tuesday to discuss the budget for the new bridge."
    result = extract_plaintext(f"Titre\n\nPar Jean Dupont\n05/06/2024 - 10:00\n\n{lead}\n\n{BODY}")
    assert result.published_local == "2024-06-05T10:00:00"


def test_an_update_line_in_the_body_of_a_french_article() -> None:
    text = (
        f"Titre\n\nPar Jean Dupont\nPublié le 19/03/2025 à 09:19 CET\n\n{BODY}\n\n"
        "Mis à jour le 20 mars 2025"
    )
    result = extract_plaintext(text)
    assert result.updated_at is None  # no zone written: no offset made up
    assert result.paragraphs == tuple(BODY.split("\n\n"))


@pytest.mark.parametrize(
    ("byline", "author", "local"),
    [
        ("Von Anna Bauer, 19.03.2025, 09:19 Uhr", "Anna Bauer", "2025-03-19T09:19:00"),
        ("Par Jean Dupont, le 19 mars 2025", "Jean Dupont", "2025-03-19"),
        ("Par Jean Dupont - Publié le 19 mars 2025 à 10h00", "Jean Dupont", "2025-03-19T10:00:00"),
        ("di Marco Rossi, 14 dicembre 2022 ore 18:17", "Marco Rossi", "2022-12-14T18:17:00"),
    ],
)
def test_a_byline_with_its_date_on_one_line(byline: str, author: str, local: str) -> None:
    result = extract_plaintext(f"A Title\n\n{byline}\n\n{BODY}")
    assert (result.authors, result.published_local) == ((author,), local)
    assert result.paragraphs == tuple(BODY.split("\n\n"))


def test_the_trailer_ending_the_last_paragraph_names_the_authors() -> None:
    text = (
        "Oil falls\n\nOctober 12, 2023\n\nPARIS (Reuters) - Oil prices fell on Tuesday.\n\n"
        "Traders said supply was ample. (Reporting by Mei Sato and Jo Li; Editing by Tom Brown)"
    )
    result = extract_plaintext(text)
    assert result.authors == ("Mei Sato", "Jo Li")
    assert result.paragraphs[-1] == "Traders said supply was ample."
