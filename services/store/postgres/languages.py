"""Which PostgreSQL text-search configuration indexes an article: its language's stemmer.

Pure. Each language PostgreSQL has a Snowball stemmer for gets a configuration of its own
(``newsflow_<stemmer>``, made by the schema); every other language, and an article without
one, is indexed by ``newsflow_simple`` (no stemming). None of them drops stop words: every word
is indexed, as SQLite indexes it.
"""

from __future__ import annotations

SIMPLE = 1  # the id of ``newsflow_simple`` in ``search_configs``

# The Snowball stemmers of PostgreSQL 13 and later, in the order of their ids (2, 3, …): a new
# one is appended, never inserted, so stored ids keep their meaning.
STEMMERS: tuple[str, ...] = (
    "arabic",
    "armenian",
    "basque",
    "catalan",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hindi",
    "hungarian",
    "indonesian",
    "irish",
    "italian",
    "lithuanian",
    "nepali",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "serbian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
    "yiddish",
)
STEMMER_IDS: dict[str, int] = {name: SIMPLE + 1 + n for n, name in enumerate(STEMMERS)}

# ISO 639-1 (and the 639-2 codes clients send) to the stemmer of that language.
_LANGUAGES: dict[str, str] = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
    "ara": "arabic",
    "eng": "english",
    "fra": "french",
    "fre": "french",
    "deu": "german",
    "ger": "german",
    "spa": "spanish",
    "ita": "italian",
    "por": "portuguese",
    "rus": "russian",
    "nld": "dutch",
    "dut": "dutch",
}


def config_name(stemmer: str | None) -> str:
    """The text-search configuration of a stemmer (``None``: the one without stemming)."""
    return f"newsflow_{stemmer or 'simple'}"


def stemmer_of(language: str | None) -> str | None:
    """The stemmer of an article's language (``en``, ``pt-BR``, ``deu``), ``None`` if none."""
    if not language:
        return None
    primary = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return _LANGUAGES.get(primary)
