"""Which text-search configuration indexes an article, by its language."""

from __future__ import annotations

import pytest

from services.store.postgres.languages import (
    SIMPLE,
    STEMMER_IDS,
    STEMMERS,
    config_name,
    stemmer_of,
)


@pytest.mark.parametrize(
    ("language", "stemmer"),
    [
        ("en", "english"),
        ("EN", "english"),
        ("pt-BR", "portuguese"),
        ("de_AT", "german"),
        ("deu", "german"),
        ("nb", "norwegian"),
        (" fr ", "french"),
        ("ja", None),
        ("zh-Hant", None),
        ("", None),
        (None, None),
    ],
)
def test_a_language_has_its_stemmer_or_none(language: str | None, stemmer: str | None) -> None:
    assert stemmer_of(language) == stemmer


def test_configuration_ids_are_stable() -> None:
    # Stored rows keep these ids: a new stemmer is appended, never inserted.
    assert SIMPLE == 1
    assert STEMMER_IDS["arabic"] == 2
    assert STEMMER_IDS["english"] == 8
    assert STEMMER_IDS["yiddish"] == 29
    assert list(STEMMER_IDS) == list(STEMMERS)
    assert config_name(None) == "newsflow_simple"
    assert config_name("english") == "newsflow_english"
