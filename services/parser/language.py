"""The language of an article's text, offline, with py3langid's model.

Answers ISO 639-1 codes. The model also knows some ISO 639-3 languages: those that belong to an
ISO 639-1 macrolanguage map to it (Egyptian Arabic to "ar", Cantonese to "zh"); the rest, and
"zxx" (no linguistic content), give None, as do texts too short or too mixed to decide.

A text needs 20 letters to be classified, or 7 in the dense scripts (Han, Kana, Hangul, Thai,
Lao, Khmer: a character carries about a syllable, so 7 say as much as ~20 Latin letters; the
model names ja, zh, ko and th right from there, see the tests).

The model walks the text byte by byte, so only a sample is classified: the opening
~300 characters, cut at a paragraph or word break. When the sample is too short or too unsure
to decide, the text is classified again on a longer sample (up to 20,000 characters).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Protocol

MIN_LETTERS = 20
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 300
_MAX_CHARS = 20_000
MIN_DENSE_LETTERS = 7
_ENOUGH_LETTERS = re.compile(rf"[^\W\d_](?:[\W\d_]*[^\W\d_]){{{MIN_LETTERS - 1}}}")
_DENSE = "\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_ENOUGH_DENSE = re.compile(rf"[{_DENSE}](?:[^{_DENSE}]*[{_DENSE}]){{{MIN_DENSE_LETTERS - 1}}}")
_MACROLANGUAGE = {
    "ary": "ar", "arz": "ar", "uzs": "uz", "yue": "zh", "wuu": "zh", "gug": "gn", "fuv": "ff",
    "hbo": "he", "sdh": "ku",
}  # fmt: skip


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


@functools.cache
def _identifier() -> _Identifier:
    """py3langid's identifier with normalised probabilities, loaded once on first use.

    The same model and the same scores, bit for bit, sooner:

    - its byte walk (``visit_counts``, a Python loop over the bytes) runs compiled, in pieces
      side by side (:func:`services.parser.kernels.language_features`), and the features it
      meets are counted compiled too, in the order ``visit_counts``' Counter holds them, for
      ``_sparse_score``'s formula (the rest of the scoring is py3langid's own code), in one
      pass over them with a slot per feature (scratch held here, see
      :func:`services.parser.kernels.count_in_order`);
    - the feature weights are stored as float16 and scored as float32: every classification
      converted the rows it used, they are converted once here instead (~57 MB, not ~28 MB);
    - the walk reads one entry of the ~39 MB transition table per byte, each somewhere else:
      held by numpy, the table sits on huge pages where the system offers them (numpy asks),
      so those reads rarely miss the TLB as well as the cache;
    - the model file is read straight into the arrays kept (:mod:`services.parser.language_model`),
      and the identifier holds its tables as those arrays, not as Python lists.
    """
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from services.parser.kernels import automaton_depth, count_in_order, language_features
    from services.parser.language_model import read_model

    class CompiledWalk(LanguageIdentifier):  # type: ignore[misc]  # py3langid is untyped
        __slots__ = ("_walk",)

        def _raw_score(self, text: bytes) -> Any:
            """``LanguageIdentifier._raw_score`` with the walk compiled."""
            nextmove, rowbase, output, depth, slots = self._walk
            data = np.frombuffer(text, np.uint8)
            found = language_features(nextmove, rowbase, output, data, depth)
            if not found.size:
                return super()._raw_score(b"")  # no features: py3langid's fill
            # ``_sparse_score`` of the counted features, on the arrays it would build from them
            features, counts = count_in_order(found, slots)
            return np.log1p(counts) @ self.nb_ptc.take(features, axis=0) + self.nb_pc

    model = read_model(MODEL_DIR / MODEL_FILE)
    rowbase = model.rows.astype(np.int64) << 8  # each state's row's offset in the table
    # py3langid derives its own row offsets (``_rowbase``, a list) from ``tk_row``: given none,
    # it makes none, and gets these (py3langid's own walk, unused here, reads them alike)
    identifier = CompiledWalk(
        model.weights,
        model.priors,
        model.classes,
        model.transitions,
        model.output,
        norm_probs=True,
        tk_row=(),
    )
    identifier.tk_row, identifier._rowbase = model.rows, rowbase
    depth = automaton_depth(model.transitions, rowbase)
    slots = np.zeros(len(model.weights), dtype=np.int32)  # count_in_order's scratch
    identifier._walk = (model.transitions, rowbase, model.output, depth, slots)
    typed: _Identifier = identifier
    return typed


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
    if _ENOUGH_LETTERS.search(sample) is None and _ENOUGH_DENSE.search(sample) is None:
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    code = _MACROLANGUAGE.get(code, code)
    return code if len(code) == 2 else None
