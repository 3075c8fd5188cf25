"""The rows that keep an article's quotations beside it, for the speaker filter and the quote
listing (:mod:`services.store.quotesearch`). Pure: values in, tuples out."""

from __future__ import annotations

from services.core.models import ProcessedArticle
from services.store.quotesearch import text_key
from services.store.search import NO_DATE
from services.store.speakers import speaker_keys

QUOTE_COLUMNS: tuple[str, ...] = (
    "article_id",
    "position",
    "sort_ts",
    "verdict",
    "speaker",
    "speaker_kind",
    "speaker_name",
    "speaker_surname",
    "cue",
    "paragraph",
    "start_offset",
    "end_offset",
    "text",
    "text_key",
)
QuoteRow = tuple[str | int | None, ...]


def quote_rows(article: ProcessedArticle, published_us: int | None) -> list[QuoteRow]:
    """The quotation rows of ``article`` (published at ``published_us``, epoch microseconds),
    in :data:`QUOTE_COLUMNS` order, in the article's order."""
    sort_ts = NO_DATE if published_us is None else published_us
    rows: list[QuoteRow] = []
    for position, quote in enumerate(article.quotes):
        keys = speaker_keys(quote.speaker, quote.speaker_kind)
        rows.append(
            (
                article.id,
                position,
                sort_ts,
                article.dedup.verdict,
                quote.speaker,
                quote.speaker_kind,
                keys.name,
                keys.surname,
                quote.cue,
                quote.paragraph,
                quote.start,
                quote.end,
                quote.text,
                text_key(quote.text),
            )
        )
    return rows
