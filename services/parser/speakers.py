"""The speaker a mention means, resolved within its article.

A name becomes the fullest name the article writes for it ("Zelenskyy" gives "Volodymyr
Zelenskyy", "Mary" gives "Mary Steenburgen"); a role ("the coach") the name the article gives
with that role ("coach Bruce Boudreau", "Bruce Boudreau, the coach"); a pronoun the person (for
"it" the organisation) named first in the nearest sentence before it that names one, the
subject as a rule. Among the names of that sentence, someone already quoted comes first, a name
in the possessive ("Steenburgen’s son") never, nor one whose pronouns differ ("she" never means
a man the article calls "he"). The names are read once, lazily, outside quotation marks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from services.core.models import SpeakerKind
from services.parser.mentions import (
    NAME_RUN,
    SENTENCE_END,
    Mention,
    clean_name,
    sentence_starts,
    speaker_kind,
)
from services.parser.quotecues import FEMININE, FUNCTION_WORDS, MASCULINE, UPPER, VERB

Gender = Literal["m", "f"]

_SPACE = r"[ \u00a0]+"
_POSSESSIVE_END = re.compile(r"[’']s?$")
_GENDERED = re.compile(r"\b(?:(he|his|him|himself)|(she|her|hers|herself))\b", re.IGNORECASE)
_LOOK_BACK = 3  # paragraphs a pronoun looks back for its antecedent


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str | None
    kind: SpeakerKind


UNKNOWN = Speaker(None, "unknown")


@dataclass(frozen=True, slots=True)
class _Name:
    paragraph: int
    start: int
    end: int
    name: str
    possessive: bool


class Resolver:
    """Resolves the mentions of one article. ``quoted`` lists the (paragraph, start, end) of
    the text inside quotation marks, in order: names there are no antecedents."""

    def __init__(
        self, paragraphs: Sequence[str], quoted: Sequence[tuple[int, int, int]] = ()
    ) -> None:
        self._paragraphs = paragraphs
        self._quoted = quoted
        self._speakers: list[tuple[int, int, Speaker]] = []  # (paragraph, offset, speaker)
        self._genders: dict[str, Gender] = {}

    def record(self, paragraph: int, offset: int, speaker: Speaker, mention: Mention) -> None:
        """Note who was quoted where (and, from a pronoun, that person's gender)."""
        self._speakers.append((paragraph, offset, speaker))
        gender = _pronoun_gender(mention.text) if mention.kind == "pronoun" else None
        if gender and speaker.name:
            self._genders.setdefault(speaker.name, gender)

    def resolve(self, mention: Mention | None, paragraph: int, offset: int) -> Speaker:
        """The speaker a mention at (paragraph, offset) refers to."""
        if mention is None:
            return UNKNOWN
        if mention.kind == "name":
            full = self.fullest(mention.text)
            return Speaker(full, speaker_kind(full))
        if mention.kind == "pronoun":
            return self._antecedent(mention.text, paragraph, offset)
        if mention.kind == "role":
            named = self._named_role(mention.text)
            if named:
                return Speaker(named, speaker_kind(named))
            introduced = self._introduced_as(mention.text, paragraph)
            if introduced:
                return Speaker(introduced, "unnamed")
        return Speaker(mention.text, "unnamed")

    def fullest(self, name: str) -> str:
        """The fullest name the article gives for ``name`` (a surname, a first name or a
        name), ``name`` itself when it gives none fuller."""
        words = name.split()
        best = name
        for candidate in self._full_names:
            parts = candidate.split()
            if len(parts) <= len(best.split()):
                continue
            if parts[-1] == words[-1] and _contains(parts, words):
                best = candidate
            elif len(words) == 1 and parts[0] == words[0] and best == name:
                best = candidate
        return best

    @functools.cached_property
    def _names(self) -> list[_Name]:
        """Every name the article writes outside quotation marks, in order."""
        found: list[_Name] = []
        quoted = iter(self._quoted)
        inside = next(quoted, None)
        for index, paragraph in enumerate(self._paragraphs):
            for run in NAME_RUN.finditer(paragraph):
                while inside is not None and (inside[0], inside[2]) <= (index, run.start()):
                    inside = next(quoted, None)
                if inside is not None and inside[0] == index and inside[1] <= run.start():
                    continue
                name = clean_name(run.group())
                if name:
                    possessive = bool(_POSSESSIVE_END.search(run.group()))
                    found.append(_Name(index, run.start(), run.end(), name, possessive))
        return found

    @functools.cached_property
    def _by_paragraph(self) -> dict[int, list[_Name]]:
        grouped: dict[int, list[_Name]] = {}
        for name in self._names:
            grouped.setdefault(name.paragraph, []).append(name)
        return grouped

    @functools.cached_property
    def _full_names(self) -> list[str]:
        """Names of two words or more, in order of first appearance."""
        return list(dict.fromkeys(n.name for n in self._names if " " in n.name))

    def _antecedent(self, pronoun: str, paragraph: int, offset: int) -> Speaker:
        want: SpeakerKind = "organisation" if pronoun == "it" else "person"
        gender = _pronoun_gender(pronoun)
        for index in range(paragraph, max(-1, paragraph - _LOOK_BACK - 1), -1):
            end = offset if index == paragraph else len(self._paragraphs[index])
            names = [n for n in self._by_paragraph.get(index, ()) if n.start < end]
            text = self._paragraphs[index]
            for sentence_start in reversed(sentence_starts(text, end)):
                sentence = [n for n in names if n.start >= sentence_start]
                names = names[: len(names) - len(sentence)]
                found = self._pick(sentence, want, gender)
                if found and not _pronoun_leads(text, sentence_start, sentence[0].start, pronoun):
                    return found
        for index, start, speaker in reversed(self._speakers):
            if (index, start) < (paragraph, offset) and speaker.kind == want:
                return speaker
        return UNKNOWN

    def _pick(self, names: Sequence[_Name], want: SpeakerKind, gender: Gender | None) -> Speaker | None:
        """The antecedent among one sentence's names: someone already quoted first, else the
        first name that fits."""
        fitting: list[str] = []
        for name in names:
            if name.possessive:
                continue
            full = self.fullest(name.name)
            if speaker_kind(full) != want:
                continue
            if want == "person":
                if " " not in full and not self._spoke(full):
                    continue
                if gender and self._gender(full) not in (None, gender):
                    continue
            fitting.append(full)
        if not fitting:
            return None
        spoke = [full for full in fitting if self._spoke(full)]
        return Speaker((spoke or fitting)[0], want)

    def _spoke(self, name: str) -> bool:
        return any(speaker.name == name for _, _, speaker in self._speakers)

    def _gender(self, full: str) -> Gender | None:
        """The person's gender by the article's pronouns: as quoted before, else by the
        pronouns that follow the name in the sentences naming no one else."""
        if full in self._genders:
            return self._genders[full]
        counts = {"m": 0, "f": 0}
        for name in self._names:
            if name.name != full and self.fullest(name.name) != full:
                continue
            text = self._paragraphs[name.paragraph]
            starts = sentence_starts(text, name.start + 1)
            following = SENTENCE_END.search(text, name.end)
            sentence = (starts[-1], following.start() if following else len(text))
            others = self._by_paragraph.get(name.paragraph, ())
            if any(sentence[0] <= other.start < sentence[1] and other is not name
                   for other in others):
                continue  # another name in the sentence: its pronouns may be theirs
            for match in _GENDERED.finditer(text, name.end, sentence[1]):
                counts["m" if match.group(1) else "f"] += 1
        if counts["m"] == counts["f"]:
            return None
        return "m" if counts["m"] > counts["f"] else "f"

    def _named_role(self, phrase: str) -> str | None:
        """The name the article gives with a role ("coach Bruce Boudreau", "Bruce Boudreau,
        the coach"), for "the coach"."""
        role = phrase.split()[-1].lower()
        if not role.isalpha() or role in FUNCTION_WORDS:
            return None
        for name in dict.fromkeys(n.name for n in self._names):
            if " " in name and speaker_kind(name) == "person" and self._with_role(role, name):
                return name
        return None

    def _introduced_as(self, phrase: str, paragraph: int) -> str | None:
        """The words that introduced an unnamed source, for a later "the doctor": an earlier
        speaker's ("one legal expert"), else the article's first "a doctor …" before it, with
        the place it gives ("A doctor on the scene told Ruptly")."""
        role = phrase.split()[-1]
        for _, _, speaker in self._speakers:
            if speaker.kind == "unnamed" and speaker.name and role in speaker.name.split():
                return speaker.name
        pattern = re.compile(
            rf"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+(?:[\w’'-]+\s+){{0,3}}?{re.escape(role)}\b"
            rf"(?:\s+(?:on|at|in|inside|from|with|for|of)\s+(?:the\s+)?[\w’'-]+(?=\s+{VERB}\b))?"
        )
        for text in self._paragraphs[: paragraph + 1]:
            found = pattern.search(text)
            if found:
                return found.group()
        return None

    def _with_role(self, role: str, name: str) -> bool:
        near = re.compile(
            rf"\b{re.escape(role)}{_SPACE}(?:[{UPPER}][\w’'.-]*{_SPACE}){{0,2}}{re.escape(name)}"
            rf"|{re.escape(name)},{_SPACE}(?:[\w’'-]+{_SPACE}){{0,5}}{re.escape(role)}\b",
            re.IGNORECASE,
        )
        return any(near.search(paragraph) for paragraph in self._paragraphs)


def _pronoun_leads(text: str, start: int, end: int, pronoun: str) -> bool:
    """Whether the pronoun comes up in a sentence before its first name ("…, she was more
    nervous than Rose-Lynn Harlan"): that sentence's subject is then the pronoun's own
    antecedent, further back."""
    return re.search(rf"\b{re.escape(pronoun)}\b", text[start:end], re.IGNORECASE) is not None


def _pronoun_gender(pronoun: str) -> Gender | None:
    if pronoun in FEMININE:
        return "f"
    return "m" if pronoun in MASCULINE else None


def _contains(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    """Whether every word of ``shorter`` is in ``longer``, in order."""
    position = 0
    for word in shorter:
        try:
            position = longer.index(word, position) + 1
        except ValueError:
            return False
    return True
