"""The language of an article's text, offline, with py3langid's model.

Answers ISO 639-1 codes. The model also knows some ISO 639-3 languages: those that belong to an
ISO 639-1 macrolanguage map to it (Egyptian Arabic to "ar", Cantonese to "zh"); the rest, and
"zxx" (no linguistic content), give None, as do texts too short or too mixed to decide.

The model walks the text byte by byte in Python, so only a sample is classified: the opening
~400 characters, cut at a paragraph or word break. When the sample is too short or too unsure
to decide, the text is classified again on a longer sample (up to 20,000 characters).
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

MIN_LETTERS = 20
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 400
_MAX_CHARS = 20_000
_ENOUGH_LETTERS = re.compile(rf"[^\W\d_](?:[\W\d_]*[^\W\d_]){{{MIN_LETTERS - 1}}}")
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
    sample = opening_sample(text)
    if len(sample) < len(text):
        code = _classify(sample)
        if code is not None:
            return code
    return _classify(text[:_MAX_CHARS])


def opening_sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """The first ``size`` characters of ``text``, cut at its last paragraph break if that keeps
    at least half of them, else at the last word break; all of ``text`` if it is no longer."""
    if len(text) <= size:
        return text
    cut = text.rfind("\n\n", size // 2, size)
    if cut < 0:
        cut = text.rfind(" ", size // 2, size + 1)
    return text[: cut if cut >= 0 else size]


def _classify(sample: str) -> str | None:
    """The code for ``sample`` if it has enough letters and the model is confident enough."""
    if _ENOUGH_LETTERS.search(sample) is None:
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    code = _MACROLANGUAGE.get(code, code)
    return code if len(code) == 2 else None
