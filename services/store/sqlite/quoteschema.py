"""SQLite schema 6: each stored article's quotations in a table of their own, found by their
speaker's folded name or surname (:mod:`services.store.speakers`) and listed in the article
search's order (:mod:`services.store.quotesearch`). The store writes the rows with the article
(:mod:`services.store.quoterows`); the migration fills them from the articles stored before,
through the same Python functions, registered on the writing connection."""

from __future__ import annotations

from services.store.quotesearch import text_key
from services.store.speakers import speaker_keys

SPEAKER_NAME_FUNCTION = "newsflow_speaker_name"
SPEAKER_SURNAME_FUNCTION = "newsflow_speaker_surname"
TEXT_KEY_FUNCTION = "newsflow_quote_text_key"


def speaker_name(speaker: str | None) -> str | None:
    return speaker_keys(speaker, "unknown").name


def speaker_surname(speaker: str | None, kind: str | None) -> str | None:
    return speaker_keys(speaker, kind or "unknown").surname


def quote_text_key(text: str | None) -> str | None:
    return text_key(text) if text is not None else None


FUNCTIONS = (
    (SPEAKER_NAME_FUNCTION, 1, speaker_name),
    (SPEAKER_SURNAME_FUNCTION, 2, speaker_surname),
    (TEXT_KEY_FUNCTION, 1, quote_text_key),
)

_FIELD = "json_extract(j.value, '$.{}')"
SCHEMA_V6 = (
    """
    CREATE TABLE article_quotes (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,          -- its place among the article's quotations
        sort_ts INTEGER NOT NULL,           -- the article's, for the listing order
        verdict TEXT NOT NULL,              -- the article's: duplicates are not listed
        speaker TEXT,
        speaker_kind TEXT NOT NULL,
        speaker_name TEXT,                  -- folded full name
        speaker_surname TEXT,               -- folded last word, for a person of two words or more
        cue TEXT,
        paragraph INTEGER NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        text TEXT NOT NULL,
        text_key TEXT NOT NULL,             -- folded words, space-delimited, for q
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX ix_quotes_listing ON article_quotes (sort_ts DESC, article_id DESC, position)",
    "CREATE INDEX ix_quotes_speaker ON article_quotes (speaker_name)",
    "CREATE INDEX ix_quotes_surname ON article_quotes (speaker_surname)",
    f"""
    INSERT INTO article_quotes (
        article_id, position, sort_ts, verdict, speaker, speaker_kind, speaker_name,
        speaker_surname, cue, paragraph, start_offset, end_offset, text, text_key
    )
    SELECT a.id, CAST(j.key AS INTEGER), a.sort_ts, a.verdict, {_FIELD.format("speaker")},
        coalesce({_FIELD.format("speaker_kind")}, 'unknown'),
        {SPEAKER_NAME_FUNCTION}({_FIELD.format("speaker")}),
        {SPEAKER_SURNAME_FUNCTION}({_FIELD.format("speaker")}, {_FIELD.format("speaker_kind")}),
        {_FIELD.format("cue")}, {_FIELD.format("paragraph")}, {_FIELD.format("start")},
        {_FIELD.format("end")}, {_FIELD.format("text")},
        {TEXT_KEY_FUNCTION}({_FIELD.format("text")})
    FROM articles AS a, json_each(a.doc, '$.quotes') AS j
    """,
)
