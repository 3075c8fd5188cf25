"""PostgreSQL schema 3: each stored article's quotations in a table of their own, as on SQLite
(``sqlite/quoteschema.py``): found by their speaker's folded name or surname
(:mod:`services.store.speakers`), listed in the article search's order. The store writes the
rows with the article (:mod:`services.store.quoterows`); the migration fills them for the
articles stored before from their documents, in Python, so both backends fold names alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.core.models import ProcessedArticle
from services.store.quoterows import QUOTE_COLUMNS, QuoteRow, quote_rows

QUOTES_VERSION = 3
_TYPES = (
    "text", "integer", "bigint", "text", "text", "text", "text", "text", "text", "integer",
    "integer", "integer", "text", "text",
)  # fmt: skip
SCHEMA_V3 = (
    """
    CREATE TABLE article_quotes (
        article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        position integer NOT NULL,          -- its place among the article's quotations
        sort_ts bigint NOT NULL,            -- the article's, for the listing order
        verdict text NOT NULL,              -- the article's: duplicates are not listed
        speaker text,
        speaker_kind text NOT NULL,
        speaker_name text COLLATE "C",      -- folded full name
        speaker_surname text COLLATE "C",   -- folded last word, for a person of two words or more
        cue text,
        paragraph integer NOT NULL,
        start_offset integer NOT NULL,
        end_offset integer NOT NULL,
        text text NOT NULL,
        text_key text NOT NULL,             -- folded words, space-delimited, for q
        PRIMARY KEY (article_id, position)
    )
    """,
    "CREATE INDEX ix_quotes_listing ON article_quotes (sort_ts DESC, article_id DESC, position)",
    "CREATE INDEX ix_quotes_speaker ON article_quotes (speaker_name)",
    "CREATE INDEX ix_quotes_surname ON article_quotes (speaker_surname)",
)
INSERT_QUOTES = (
    f"INSERT INTO article_quotes ({', '.join(QUOTE_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"${n}::{kind}[]" for n, kind in enumerate(_TYPES, 1))
    + ") ON CONFLICT DO NOTHING"
)
_WITH_QUOTES = (
    "SELECT doc, published_at_utc FROM articles WHERE doc LIKE '%\"quotes\":[{%' ORDER BY seq"
)
_FILL_BATCH = 500


def quote_arrays(rows: Sequence[QuoteRow]) -> list[list[Any]]:
    """The parameters of :data:`INSERT_QUOTES`: one array per column."""
    columns: list[list[Any]] = [[] for _ in QUOTE_COLUMNS]
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    return columns


async def fill_quotes(conn: Any) -> None:
    """The quotation rows of every article stored before schema 3 (in the migration's
    transaction)."""
    batch: list[QuoteRow] = []
    async for doc, published in conn.cursor(_WITH_QUOTES):
        batch += quote_rows(ProcessedArticle.model_validate_json(doc), published)
        if len(batch) >= _FILL_BATCH:
            await conn.execute(INSERT_QUOTES, *quote_arrays(batch))
            batch = []
    if batch:
        await conn.execute(INSERT_QUOTES, *quote_arrays(batch))
