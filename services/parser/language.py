"""The language of an article's text, offline, with py3langid's model.

Answers ISO 639-1 codes. The model also knows some ISO 639-3 languages: those that belong to an
ISO 639-1 macrolanguage map to it (Egyptian Arabic to "ar", Cantonese to "zh"); the rest, and
"zxx" (no linguistic content), give None, as do texts too short or too mixed to decide.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

MIN_LETTERS = 20
MIN_CONFIDENCE = 0.5
_MAX_CHARS = 20_000
_LETTER = re.compile(r"[^\W\d_]")
_MACROLANGUAGE = {
    "ary": "ar", "arz": "ar", "uzs": "uz", "yue": "zh", "wuu": "zh", "gug": "gn", "fuv": "ff",
    "hbo": "he", "sdh": "ku",
}  # fmt: skip


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


@functools.cache
def _identifier() -> _Identifier:
    """py3langid's identifier with normalised probabilities, loaded once on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier: _Identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None if it is too short or undecidable."""
    sample = text[:_MAX_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    code = _MACROLANGUAGE.get(code, code)
    return code if len(code) == 2 else None
