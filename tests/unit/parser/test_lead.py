"""The lead of an HTML page: found by its description, added to a body that lacks it, and left
out of English pages."""

from __future__ import annotations

import pytest
from trafilatura.utils import load_html

from services.parser.html import extract_html
from services.parser.lead import page_lead

LEAD = (
    "Mehr Geld für Schulen und Busse: Der Stadtrat beschließt nach langer Debatte einen"
    " Haushalt mit deutlich höheren Ausgaben."
)
BODY = [
    "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr mit großer Mehrheit"
    " beschlossen.",
    "Der Plan erhöht die Ausgaben für Schulen und den öffentlichen Nahverkehr um vier Prozent.",
    "Die Opposition warnte, die Erhöhung werde im nächsten Frühjahr höhere Grundsteuern erzwingen.",
    "Der Bürgermeister will den Haushalt noch vor Ende des Monats unterzeichnen, hieß es aus"
    " dem Rathaus.",
]


def page(
    lead_html: str = f"<p class='lead'>{LEAD}</p>",
    description: str = LEAD,
    body: list[str] = BODY,
    extra: str = "",
) -> str:
    return (
        "<html><head><title>Stadtrat beschließt Haushalt</title>"
        f"<meta property='og:description' content='{description}'></head><body>"
        "<nav><a href='/'>Start</a> <a href='/politik'>Politik</a></nav>"
        f"<article><header><h1>Stadtrat beschließt Haushalt</h1>{lead_html}</header>"
        + "".join(f"<p>{p}</p>" for p in body)
        + f"</article>{extra}</body></html>"
    )


def test_the_element_reading_as_the_description_is_the_lead() -> None:
    assert page_lead(load_html(page()), BODY) == LEAD


def test_a_lead_in_pieces_of_markup_is_one_paragraph() -> None:
    html = page(lead_html=f"<div class='intro'><strong>Mehr Geld</strong>{LEAD[9:]}</div>")
    assert page_lead(load_html(html), BODY) == LEAD


def test_a_description_cut_short_finds_the_whole_lead() -> None:
    assert page_lead(load_html(page(description=LEAD[:90] + " …")), BODY) == LEAD


def test_no_lead_when_the_body_holds_it() -> None:
    assert page_lead(load_html(page()), [LEAD, *BODY]) is None


@pytest.mark.parametrize(
    "html",
    [
        page(description="Nachrichten aus der Stadt"),  # too short for a paragraph
        page(lead_html=""),  # the description is nowhere on the page
        page(lead_html="", extra=f"<script>var teaser = '{LEAD}';</script>"),
        # the description is the opening of a paragraph far longer than it
        page(lead_html=f"<p>{LEAD} {' '.join(BODY)}</p>"),
    ],
)
def test_no_lead(html: str) -> None:
    assert page_lead(load_html(html), BODY) is None


def test_the_lead_opens_the_body_that_lacks_it() -> None:
    paragraphs = extract_html(page(), "https://example.de/haushalt").paragraphs
    assert paragraphs == (LEAD, *BODY)


def test_an_english_standfirst_stays_out_of_the_body() -> None:
    standfirst = (
        "More money for schools and buses: the council passes a budget with much higher"
        " spending after a long debate."
    )
    body = [
        "The city council voted on Tuesday to approve a new budget for the coming year.",
        "The plan raises spending on schools and public transport by four percent.",
        "Opponents said the increase would force higher property taxes next spring.",
        "The mayor is expected to sign the budget into law before the end of the month.",
    ]
    html = page(
        lead_html=f"<p class='standfirst'>{standfirst}</p>", description=standfirst, body=body
    )
    assert page_lead(load_html(html), body) == standfirst
    assert extract_html(html, "https://example.com/budget").paragraphs == tuple(body)
