"""The speaker a mention means, resolved within its article.

A name becomes the fullest name the article writes for it ("Zelenskyy" gives "Volodymyr
Zelenskyy", "Mary" gives "Mary Steenburgen"); a role ("the coach") the name the article gives
with that role ("coach Bruce Boudreau", "Bruce Boudreau, the coach") or the words that
introduced an unnamed source ("A doctor on the scene told …", then "the doctor said"); a pronoun
the person (for "it" the organisation) named first in the nearest sentence before it that names
one, the subject as a rule. Among the names of that sentence someone already quoted comes
first; a name in the possessive ("Steenburgen’s son") never counts, nor one an earlier
attribution gave another pronoun ("she" never means a man quoted as "he"), nor a sentence
where the pronoun comes before the name (it then means someone named earlier still).

Everything is looked up where it is needed (the words around a surname, the sentences before a
pronoun), never by reading every name of the article: the parser runs this on every article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Final, Literal, NamedTuple

from services.core.models import SpeakerKind
from services.parser.mentions import (
    NAME_RUN,
    RUN_AT_END,
    Mention,
    clean_name,
    head,
    speaker_kind,
)
from services.parser.namesearch import ENDING, STEM, contains, declined, occurrences, run_start
from services.parser.quotecues import (
    FEMININE,
    FUNCTION_WORDS,
    MASCULINE,
    PRONOUNS,
    VERB_WORDS,
    find_cues,
)
from services.parser.sentences import sentence_breaks

Gender = Literal["m", "f"]

_PRONOUN_WORDS: Final = {
    pronoun: re.compile(rf"\b{pronoun}\b", re.IGNORECASE) for pronoun in (*PRONOUNS, "it")
}
_OPENING: Final = frozenset('“„«»‘"')
# What a sentence may open after: its end, a line break, a colon, a quotation mark or a bracket.
_OPENS_SENTENCE: Final = frozenset(".!?…:;\n“”„«»‘’\"'([—–-")
# A name run (mentions.NAME_RUN) ends in a word character or a period: a possessive in "’s".
_POSSESSIVE_ENDS: Final = ("’s", "'s")
_LOOK_BACK: Final = 3  # paragraphs a pronoun looks back for its antecedent
_RUN_WINDOW: Final = 80  # characters before a comma searched for the name a role follows
# mentions of a surname read for a fuller name (the first has it, as a rule)
_FULLEST_SAMPLES: Final = 4
_INDEFINITE_BEFORE: Final = re.compile(r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+(?:[\w’'-]+\s+){0,3}$")
_PLACE_AFTER: Final = re.compile(
    r"(?P<place>\s+(?:on|at|in|inside|from|with|for|of)\s+(?:the\s+)?[\w’'-]+)?"
    r"(?:\s+(?P<verb>\w+))?"
)
_APPOSITION: Final = 60  # characters between a name and its role ("Bruce Boudreau, the Wild coach")
_ROLE_WORDS: Final = 4  # words between the comma after a name and its role, the role's own included
_QUOTE_OR_STOP: Final = re.compile('[“”"«»„.;:!?]')


class Speaker(NamedTuple):
    name: str | None
    kind: SpeakerKind


UNKNOWN: Final = Speaker(None, "unknown")


class _Name(NamedTuple):
    start: int
    name: str
    possessive: bool


class Resolver:
    """Resolves the mentions of one article. ``quoted`` lists the (paragraph, start, end) of
    the text inside quotation marks: names there are no antecedents."""

    def __init__(
        self,
        paragraphs: Sequence[str],
        quoted: Sequence[tuple[int, int, int]] = (),
        body: str | None = None,
    ) -> None:
        self._paragraphs = paragraphs
        self._all_quoted = quoted
        self._speakers: list[tuple[int, int, Speaker]] = []  # (paragraph, offset, speaker)
        self._genders: dict[str, Gender] = {}
        self._fullest: dict[str, str] = {}
        self._sentences: dict[int, tuple[list[int], list[int]]] = {}  # sentence_breaks
        self._names: dict[tuple[int, int], list[_Name]] = {}
        self._spoken: set[str] = set()  # the surnames of the speakers so far
        self._spoken_names: set[str] = set()  # the speakers' names so far
        self._full_names: list[list[str]] = []  # those of two words or more, split, in order
        self._kinds: dict[str, SpeakerKind] = {}
        self._antecedents: dict[tuple[str, int, int], Speaker] = {}
        self._quoted_spans: dict[int, tuple[list[int], list[int]]] | None = None
        self._joined = body  # the paragraphs joined by line breaks, if the caller has them
        self._lowered: str | None = None

    def record(self, paragraph: int, offset: int, speaker: Speaker, mention: Mention) -> None:
        """Note who was quoted where (and, from a pronoun, that person's gender)."""
        self._speakers.append((paragraph, offset, speaker))
        # ("a lawyer for Trump" is no name; a name recorded already adds nothing: the sets hold
        # it, and _speaker_named takes the first of the full names that fits)
        name = speaker.name
        if name and speaker.kind != "unnamed" and name not in self._spoken_names:
            words = name.split()
            self._spoken.add(words[-1])
            self._spoken_names.add(name)
            if len(words) > 1:
                self._full_names.append(words)
        gender = _pronoun_gender(mention.text) if mention.kind == "pronoun" else None
        if gender and speaker.name:
            self._genders.setdefault(speaker.name, gender)

    def resolve(self, mention: Mention | None, paragraph: int, offset: int) -> Speaker:
        """The speaker a mention at (paragraph, offset) refers to."""
        if mention is None:
            return UNKNOWN
        if mention.kind == "name":
            full = self.fullest(mention.text)
            return tuple.__new__(Speaker, (full, self._kind(full)))  # (built in C)
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
        if name not in self._fullest:
            # a name of two words or more is full already (the article's first, as a rule)
            full = " " in name
            found = name if full else self._speaker_named(name) or self._find_fullest(name)
            self._fullest[name] = found
        return self._fullest[name]

    def nominative(self, name: str) -> str:
        """The name as the article gives it elsewhere, for a name in the genitive ("Ольги
        Смирновой" for "Ольга Смирнова", "Trzaskowskiego" for "Rafał Trzaskowski"): the first
        name of the article whose last words differ from these in their endings only."""
        words = name.split()
        last = words[-1]
        stem = last[: max(STEM, len(last) - ENDING)]
        body = self._body()
        start = body.find(stem)
        while start != -1:
            if not start or not body[start - 1].isalnum():
                run = NAME_RUN.match(body, run_start(body, start))
                cleaned = clean_name(run.group()) if run else None
                parts = cleaned.split() if cleaned else []
                tail = parts[-len(words) :]  # (the genitive itself, first, is passed over)
                if len(parts) >= len(words) and tail != words and declined(tail, words):
                    return self.fullest(cleaned) if cleaned else name
            start = body.find(stem, start + len(stem))
        return name

    def named_elsewhere(self, word: str) -> bool:
        """Whether the article shows ``word`` (one capitalised word) as a name: a fuller name
        ends or opens with it, someone quoted bears it, or it is capitalised inside a sentence
        (after a word, not where a sentence, a line or a quotation opens)."""
        if self.fullest(word) != word or word in self._spoken:
            return True
        body = self._body()
        for start, _ in occurrences(body, word):
            at = start - 1
            while at >= 0 and body[at] in " \u00a0":
                at -= 1
            if at >= 0 and body[at] not in _OPENS_SENTENCE:
                return True
        return False

    def _speaker_named(self, word: str) -> str | None:
        """Someone already quoted whose surname (or else first name) is ``word``."""
        names = self._full_names  # (kept as they are recorded: no split per question)
        full = next((n for n in names if n[-1] == word), None)
        full = full or next((n for n in names if n[0] == word), None)
        return " ".join(full) if full else None

    def _find_fullest(self, name: str) -> str:
        words = name.split()
        body = self._body()
        seen: list[tuple[int, int]] = []  # the surname's mentions read (the first name's too)
        for start, end in occurrences(body, words[-1], _FULLEST_SAMPLES):
            seen.append((start, end))
            first = run_start(body, start)
            if first == start:
                continue
            run = NAME_RUN.match(body, first)
            cleaned = clean_name(body[first:end]) if run and run.end() >= end else None
            parts = cleaned.split() if cleaned else []
            if len(parts) > len(words) and parts[-1] == words[-1] and contains(parts, words):
                # the first full mention: an article names someone in full first
                return " ".join(parts)
        if len(words) == 1:  # a first name: "Mary" for "Mary Steenburgen"
            found = seen if words[0] == name else occurrences(body, name, _FULLEST_SAMPLES)
            for start, end in found:
                if body[end : end + 1] != " " or not body[end + 1 : end + 2].isupper():
                    continue
                run = NAME_RUN.match(body, start)
                cleaned = clean_name(run.group()) if run else None
                if cleaned and " " in cleaned and cleaned.split()[0] == name:
                    return cleaned
        return " ".join(words)

    # Worked out on first use and kept in attributes set in __init__, not with
    # functools.cached_property: compiled (services.parser.native), a class has no instance
    # dictionary for it to keep its value in, and the property would run on every use.

    def _quoted(self) -> dict[int, tuple[list[int], list[int]]]:
        """Per paragraph, where its quotations' texts start and end."""
        if self._quoted_spans is None:
            quoted: dict[int, tuple[list[int], list[int]]] = {}
            for index, start, end in self._all_quoted:
                starts, ends = quoted.setdefault(index, ([], []))
                starts.append(start)
                ends.append(end)
            self._quoted_spans = quoted
        return self._quoted_spans

    def _body(self) -> str:
        """The paragraphs joined by line breaks, which no name runs across."""
        if self._joined is None:
            self._joined = "\n".join(self._paragraphs)
        return self._joined

    def _antecedent(self, pronoun: str, paragraph: int, offset: int) -> Speaker:
        key = (pronoun, paragraph, self.sentence_start(paragraph, offset))
        if key not in self._antecedents:
            self._antecedents[key] = self._find_antecedent(pronoun, paragraph, offset)
        return self._antecedents[key]

    def _find_antecedent(self, pronoun: str, paragraph: int, offset: int) -> Speaker:
        want: SpeakerKind = "organisation" if pronoun == "it" else "person"
        gender = _pronoun_gender(pronoun)
        for index in range(paragraph, max(-1, paragraph - _LOOK_BACK - 1), -1):
            text = self._paragraphs[index]
            end = offset if index == paragraph else len(text)
            if end <= 0:
                continue
            breaks = self._breaks(index)[1]  # the sentences that start before end
            stop = end
            for sentence in range(bisect_left(breaks, end), -1, -1):  # the last one first
                start = breaks[sentence - 1] if sentence else 0
                names = self._names_in(index, start, stop)
                found = self._pick(names, want, gender) if names else None
                if found and not _pronoun_leads(text, start, names[0].start, pronoun):
                    return found
                stop = start
        for index, start, speaker in reversed(self._speakers):
            if (index, start) < (paragraph, offset) and speaker.kind == want:
                return speaker
        return UNKNOWN

    def sentence_start(self, index: int, offset: int, floor: int = 0) -> int:
        """Where the sentence of ``paragraphs[index]`` that holds ``offset`` starts: after the
        last sentence end at or before ``offset`` whose final mark is at ``floor`` or later
        (``floor`` if none is). A paragraph's sentence ends are found once: the attribution
        asks about the same paragraph many times."""
        marks, ends = self._breaks(index)
        last = bisect_right(ends, offset) - 1
        return ends[last] if last >= 0 and marks[last] >= floor else floor

    def _breaks(self, index: int) -> tuple[list[int], list[int]]:
        if index not in self._sentences:
            self._sentences[index] = sentence_breaks(self._paragraphs[index])
        return self._sentences[index]

    def _names_in(self, index: int, start: int, stop: int) -> list[_Name]:
        """The names of the sentence of ``paragraphs[index]`` that starts at ``start``,
        outside quotation marks, before ``stop``. (A sentence is read once, and only the
        sentences a pronoun looks back over are read at all.)"""
        key = (index, start)
        if key not in self._names:
            text = self._paragraphs[index]
            # where the sentence ends: the paragraph's next sentence mark (``start`` is a
            # sentence's start: 0 or the end of a break, so the breaks found once hold it)
            marks = self._breaks(index)[0]
            after = bisect_left(marks, start)
            end = marks[after] + 1 if after < len(marks) else len(text)
            starts, ends = self._quoted().get(index, ((), ()))
            names: list[_Name] = []
            for run in NAME_RUN.finditer(text, start, end):
                at = run.start()
                inside = bisect_right(starts, at) - 1
                if (inside >= 0 and at < ends[inside]) or text[at - 1 : at] in _OPENING:
                    continue  # inside quotation marks (a title, in short ones: “The One I Love”)
                written = run.group()
                name = clean_name(written)
                if name:
                    possessive = written.endswith(_POSSESSIVE_ENDS)
                    names.append(tuple.__new__(_Name, (at, name, possessive)))
            self._names[key] = names
        names = self._names[key]
        if not names or names[-1].start < stop:  # (in order: all of them)
            return names
        return [name for name in names if name.start < stop]

    def _kind(self, name: str) -> SpeakerKind:
        if name not in self._kinds:
            self._kinds[name] = speaker_kind(name)
        return self._kinds[name]

    def _pick(
        self, names: Sequence[_Name], want: SpeakerKind, gender: Gender | None
    ) -> Speaker | None:
        """The antecedent among one sentence's names: the first that fits, unless a later one
        was quoted already."""
        candidates = [name for name in names if not name.possessive]
        quoted_before = [name for name in candidates if name.name.split()[-1] in self._spoken]
        for name in quoted_before + candidates:
            found = self._fitting(name.name, want, gender)
            if found:
                return Speaker(found, want)
        return None

    def _fitting(self, name: str, want: SpeakerKind, gender: Gender | None) -> str | None:
        """The full name, if a pronoun of this kind and gender may mean it."""
        if want == "person" and self._kind(name) != "person":
            return None
        full = self.fullest(name)
        if self._kind(full) != want:
            return None
        if want == "person":
            if " " not in full and not self._spoke(full):
                return None
            if gender and self._gender(full) not in (None, gender):
                return None
        return full

    def _spoke(self, name: str) -> bool:
        return name in self._spoken_names

    def _gender(self, full: str) -> Gender | None:
        """The person's gender, as the pronoun of an earlier attribution gave it ("…,” she
        said" resolved to them)."""
        return self._genders.get(full)

    def _named_role(self, phrase: str) -> str | None:
        """The person the article names with a role, for "the coach": "coach Bruce Boudreau"
        or "Bruce Boudreau, the Wild coach"."""
        role = head(phrase).rsplit(maxsplit=1)[-1].lower()  # "chair" of "the chair of the Fed"
        # (a hyphen inside it too: "вице-премьер", "co-founder")
        if not role.replace("-", "").isalpha() or role in FUNCTION_WORDS:
            return None
        body = self._body()
        for start, end in occurrences(self._folded(), role):
            after = NAME_RUN.match(body, end + 1) if body[end : end + 1] == " " else None
            name = clean_name(after.group()) if after else None
            if name is None:  # "Bruce Boudreau, the Wild coach": a short phrase after a comma
                comma = body.rfind(",", max(0, start - _APPOSITION), start)
                phrase = body[comma + 1 : start]
                before = RUN_AT_END.search(body, max(0, comma - _RUN_WINDOW), comma)
                apposition = comma > 0 and len(phrase.split()) <= _ROLE_WORDS
                if apposition and before and not _QUOTE_OR_STOP.search(phrase):
                    name = clean_name(before.group(1))
            if name and " " in name and speaker_kind(name) == "person":
                return self.fullest(name)
        return None

    def _folded(self) -> str:
        """The body in lower case, for roles written capitalised ("Coach Bruce Boudreau")."""
        if self._lowered is None:
            body = self._body()
            folded = body.lower()
            self._lowered = folded if len(folded) == len(body) else body
        return self._lowered

    def _introduced_as(self, phrase: str, paragraph: int) -> str | None:
        """The words that introduced an unnamed source, for a later "the doctor": an earlier
        speaker's ("one legal expert"), else the article's first "a doctor …" up to this
        paragraph, with the place it gives when a reporting verb follows ("A doctor on the
        scene told Ruptly")."""
        role = head(phrase).rsplit(maxsplit=1)[-1]
        for _, _, speaker in self._speakers:
            if speaker.kind == "unnamed" and speaker.name and role in speaker.name.split():
                return speaker.name
        text = "\n".join(self._paragraphs[: paragraph + 1])
        for start, end in occurrences(text, role):
            window = max(0, start - _APPOSITION)
            opening = _INDEFINITE_BEFORE.search(text, window, start)
            # a reporting verb between them: the article is another word ("a déclaré le maire")
            if opening and not any(
                window + cue.end > opening.start() for cue in find_cues(text[window:start])
            ):
                place = _PLACE_AFTER.match(text, end)
                return text[opening.start() : _phrase_end(place, end)].rstrip()
        return None


def _phrase_end(place: re.Match[str] | None, end: int) -> int:
    """Where an unnamed source's words end: after its place when a reporting verb follows it
    ("a doctor on the scene told"), else after its noun."""
    if place and place.group("place") and place.group("verb") in VERB_WORDS:
        return place.end("place")
    return end


def _pronoun_leads(text: str, start: int, end: int, pronoun: str) -> bool:
    """Whether the pronoun comes up in a sentence before its first name ("…, she was more
    nervous than Rose-Lynn Harlan"): that sentence's subject is then the pronoun's own
    antecedent, further back."""
    pattern = _PRONOUN_WORDS.get(pronoun)
    return pattern is not None and pattern.search(text, start, end) is not None


def _pronoun_gender(pronoun: str) -> Gender | None:
    if pronoun in FEMININE:
        return "f"
    return "m" if pronoun in MASCULINE else None
