"""The quotes-dev metric (issue #21), exactly as the data's README states it.

- A predicted quote matches a labelled one of the same article when their texts are equal after
  stripping quotation marks and edge punctuation, collapsing whitespace and case-folding; each
  labelled quote matches at most once (and each predicted one).
- Quote precision, recall and F1 are pooled over the articles.
- Speaker accuracy, among the matched quotes: the predicted speaker equals the labelled one after
  dropping titles (Mr, Dr, President, ...), or the two share their last word and one's words
  contain the other's. Two missing speakers (null) are equal.
- Joint F1 counts a quote only with the right speaker.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

QUOTATION_MARKS = "\"'“”„‟«»‹›「」『』‘’‚‛〝〞＂"
_DROP_MARKS = str.maketrans("", "", QUOTATION_MARKS)
_SPACES = re.compile(r"\s+")
TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "president", "vice", "sen",
        "senator", "rep", "representative", "gov", "governor", "mayor", "minister", "prime",
        "chancellor", "secretary", "general", "gen", "col", "colonel", "capt", "captain", "lt",
        "sgt", "judge", "justice", "rev", "reverend", "sir", "dame", "lord", "lady", "king",
        "queen", "prince", "princess", "pope", "ambassador", "commissioner", "sheriff", "coach",
        "chief", "officer", "detective", "herr", "frau", "m", "mme", "monsieur", "madame",
        "señor", "señora", "sr", "sra", "signor", "signora", "senhor", "senhora",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    speaker: str | None


@dataclass(frozen=True, slots=True)
class Figures:
    labelled: int
    predicted: int
    matched: int
    speaker_right: int
    misses: tuple[str, ...] = field(default=())

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.matched if self.matched else 0.0

    @property
    def joint_f1(self) -> float:
        precision = self.speaker_right / self.predicted if self.predicted else 1.0
        recall = self.speaker_right / self.labelled if self.labelled else 1.0
        return _f1(precision, recall)

    def __str__(self) -> str:
        return (
            f"quotes P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f} "
            f"({self.matched} matched of {self.predicted} predicted, {self.labelled} labelled); "
            f"speaker accuracy {self.speaker_accuracy:.3f} ({self.speaker_right}); "
            f"joint F1 {self.joint_f1:.3f}"
        )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _is_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def normalise_text(text: str) -> str:
    """Quotation marks out, edge punctuation stripped, whitespace collapsed, case-folded."""
    text = text.translate(_DROP_MARKS)
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return _SPACES.sub(" ", text[start:end]).casefold()


def _speaker_words(speaker: str) -> list[str]:
    words = [word.strip(".,;:’'\"()") for word in speaker.casefold().split()]
    return [word for word in words if word and word not in TITLES]


def same_speaker(predicted: str | None, labelled: str | None) -> bool:
    """Equal once titles are dropped, or the same last word with one's words in the other's."""
    if predicted is None or labelled is None:
        return predicted is None and labelled is None
    got, want = _speaker_words(predicted), _speaker_words(labelled)
    if got == want:
        return True
    if not got or not want or got[-1] != want[-1]:
        return False
    return set(got) <= set(want) or set(want) <= set(got)


def score(articles: Iterable[tuple[str, Sequence[Labelled], Sequence[Labelled]]]) -> Figures:
    """Pooled figures over (article key, labelled quotes, predicted quotes)."""
    labelled = predicted = matched = right = 0
    misses: list[str] = []
    for key, labels, predictions in articles:
        labelled += len(labels)
        predicted += len(predictions)
        open_labels = [(normalise_text(label.text), label) for label in labels]
        for prediction in predictions:
            text = normalise_text(prediction.text)
            for position, (label_text, label) in enumerate(open_labels):
                if label_text == text:
                    matched += 1
                    if same_speaker(prediction.speaker, label.speaker):
                        right += 1
                    else:
                        misses.append(f"{key[:8]}: {prediction.speaker!r} for {label.speaker!r}")
                    del open_labels[position]
                    break
    return Figures(labelled, predicted, matched, right, tuple(misses))
