"""Who each quotation of an article is attributed to (the rules :mod:`services.parser.quotes`
lists), one quotation after the other.

The reporting cues of a paragraph are found once (:func:`~services.parser.quotecues.find_cues`)
and every rule looks at them by offset; the texts it reads are the short stretches between a
quotation and its neighbours. Pure.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Final, NamedTuple

from services.parser import cjkspeakers
from services.parser.mentions import (
    Mention,
    clean_name,
    first_of_segments,
    object_after,
    strip_auxiliaries,
    subject_before,
)
from services.parser.quotecues import GENITIVE_ACCORDING, UPPER, Cue, find_cues
from services.parser.quotemarks import QuoteSpan
from services.parser.sentences import ends_sentence
from services.parser.speakers import UNKNOWN, Resolver, Speaker

# characters after a quotation its attribution may take ("“…,” Smith, the …, said")
_REACH: Final = 200
_OBJECT_REACH: Final = 150  # characters after an inverted verb read for its subject
_RECENT_PARAGRAPHS: Final = 1  # how far back an unattributed quotation takes the last speaker
_GAP: Final = re.compile(r"[\s,]*(?:[—–-]\s*)?")  # between a closing mark and an inverted verb
_FRENCH_PRONOUN: Final = re.compile(r"(?:-t)?-(il|elle|ils|elles|on)\b")  # "dit-il", "a-t-elle dit"
_INTRODUCES: Final = re.compile(r"[^.,;!?\"“”«»]*:")  # "Smith agreed:" is the next quotation's
# The commonest phrases after a quotation: a name or a pronoun and a verb, or the other way
# round, and then the clause ends ("“…,” Boudreau said.", "“…,” said Boudreau.", "“…,” she
# said, adding …"). Anything else takes the general way (cues, mentions).
_COMMON_VERBS: Final = (
    "said|says|told reporters|told journalists|told|added|asked|explained|noted|wrote|"
    "recalled|continued|insisted|argued|warned|acknowledged|admitted|agreed|laughed|tweeted|sagte|sagt|erklärte|dijo|afirmó|"
    "explicó|disse|afirmou|explicou|a déclaré|a dit|a ajouté|ha detto|ha dichiarato|ha spiegato"
)
_COMMON_PRONOUNS: Final = "he|she|they|er|sie|il|elle|él|ella|lui|lei|ele|ela"
_SIMPLE_NAME: Final = rf"[{UPPER}][\w’'-]+(?:[ ][{UPPER}][\w’'-]+){{0,3}}"
_COMMON_AFTER: Final = re.compile(
    rf"[ ]?,?[ ]?(?:(?P<name>{_SIMPLE_NAME})|(?P<pronoun>{_COMMON_PRONOUNS}))"
    rf"[ ](?P<verb>{_COMMON_VERBS})(?=[.,;!?]|[ ](?!:)|$)"
    rf"|[ ]?,?[ ]?(?P<verb2>{_COMMON_VERBS})"
    rf"[ ](?:(?P<name2>{_SIMPLE_NAME})|(?P<pronoun2>{_COMMON_PRONOUNS}))(?=[.,;!?]|$)"
)
_MARKS: Final = '“”"«»„'  # (looked for with ``in``: cheaper than a regex call)
_GERMAN_SO: Final = re.compile(r"[\s,]*so\s+")  # "„…“, so Müller."
# A line after a quotation that ends its paragraph: "– Man**", "— Marshall McLuhan".
_DASH_LINE: Final = re.compile(r"[—–-]\s*(?P<name>[^\s.,;:!?\"“”«»][^.;:!?\"“”«»]{0,59}?)[\s.,]*")


class Attribution(NamedTuple):
    speaker: Speaker
    cue: str | None = None
    mention: Mention | None = None


NONE: Final = Attribution(UNKNOWN)


class Attributor:
    """Attributes the quotations (``spans``, in order) of one article."""

    def __init__(self, paragraphs: Sequence[str], spans: Sequence[QuoteSpan], resolver: Resolver):
        self._paragraphs = paragraphs
        self._spans = spans
        self._resolver = resolver
        self._cues: dict[int, list[Cue]] = {}
        self._cue_starts: dict[int, list[int]] = {}
        self._cue_ends: dict[int, list[int]] = {}
        self.found: list[Attribution] = []
        self._told_until = (-1, -1)  # where the last common phrase ("Smith said. ") ends

    def attribute_all(self) -> list[Attribution]:
        """Every quotation's attribution, in order (rules 1 to 6 of the quotes module)."""
        for index, span in enumerate(self._spans):
            attribution = (
                self._own(index)
                or self._signed(span)
                or self._continued(index)
                or self._introduced(span)
                or self._recent(index)
                or NONE
            )
            if attribution.mention is not None:
                self._resolver.record(
                    span.paragraph, span.open_at, attribution.speaker, attribution.mention
                )
            self.found.append(attribution)
        for index in range(len(self._spans) - 2, -1, -1):  # "“…” “…,” she said"
            same = self._spans[index + 1].paragraph == self._spans[index].paragraph
            if self.found[index].speaker.name is None and same:
                self.found[index] = self.found[index + 1]
        return self.found

    def _cues_of(self, paragraph: int) -> list[Cue]:
        if paragraph not in self._cues:
            cues = find_cues(self._paragraphs[paragraph])
            self._cues[paragraph] = cues
            self._cue_starts[paragraph] = [cue.start for cue in cues]
            self._cue_ends[paragraph] = [cue.end for cue in cues]  # ascending too: no overlaps
        return self._cues[paragraph]

    def _neighbours(self, index: int) -> tuple[int, int]:
        """Where the text around a quotation ends: the previous and next quotations of its
        paragraph, or the paragraph's ends."""
        span = self._spans[index]
        before = self._spans[index - 1] if index else None
        after = self._spans[index + 1] if index + 1 < len(self._spans) else None
        start = before.close_end if before and before.paragraph == span.paragraph else 0
        same = after is not None and after.paragraph == span.paragraph
        stop = after.open_at if after and same else len(self._paragraphs[span.paragraph])
        return start, stop

    def _own(self, index: int) -> Attribution | None:
        """Rules 1 and 2: a reporting phrase after the quotation, else before it. The
        commonest phrases ("“…,” Smith said. “…”") are read by one expression first."""
        span = self._spans[index]
        text = self._paragraphs[span.paragraph]
        if not span.runs_on and span.close_end < len(text):  # (else nothing follows it)
            common = _COMMON_AFTER.match(text, span.close_end)
            if common:
                found = self._common(common, span)
                if found:
                    return found
        if cjkspeakers.beside(text, span):
            found = self._unspaced(span)
            if found:
                return found
        if index and self._told_until == (span.paragraph, span.open_at):
            return self.found[index - 1]  # right after the phrase of the quotation before
        start, stop = self._neighbours(index)
        if not span.runs_on:
            found = self._after(span, stop)
            if found:
                return found
        return self._before(span.paragraph, start, span.open_at)

    def _common(self, common: re.Match[str], span: QuoteSpan) -> Attribution | None:
        name = common.group("name") or common.group("name2")
        pronoun = common.group("pronoun") or common.group("pronoun2")
        if name:
            cleaned = clean_name(name)
            mention = Mention(cleaned, "name") if cleaned else None
        else:
            mention = Mention(pronoun.lower(), "pronoun")
        verb = common.group("verb") or common.group("verb2")
        found = self._attributed(mention, verb, span.paragraph, span.close_end)
        if found:
            text, end = self._paragraphs[span.paragraph], common.end()
            while end < len(text) and text[end] in ".,; ":
                end += 1
            self._told_until = (span.paragraph, end)  # a quotation there continues
        return found

    def _unspaced(self, span: QuoteSpan) -> Attribution | None:
        """Rules 1 and 2 in Japanese and Chinese (:mod:`services.parser.cjkspeakers`)."""
        found = cjkspeakers.reported(self._paragraphs, span.paragraph, span.open_at, span.close_end)
        if found is None:
            return None
        return self._attributed(found.mention, found.cue, span.paragraph, span.open_at)

    def _after(self, span: QuoteSpan, stop: int) -> Attribution | None:
        text, close = self._paragraphs[span.paragraph], span.close_end
        if stop - close < 3:
            return None  # the paragraph ends, or another quotation follows at once
        cues = self._cues_of(span.paragraph)
        at = bisect_left(self._cue_starts[span.paragraph], close)
        cue = cues[at] if at < len(cues) and cues[at].start < stop else None
        if cue is None or cue.start - close > _REACH or cue.kind == "participle":
            german = _GERMAN_SO.match(text, close)
            if german:
                return self._attributed(
                    object_after(text[german.end() : stop]), "so", span.paragraph, close
                )
            return None
        if text.find(":", cue.end) >= 0 and _INTRODUCES.match(text, cue.end):
            return None  # "“…” Smith agreed: “…”": the phrase is the next quotation's
        between = text[close : cue.start]
        if _GAP.fullmatch(between):  # "“…,” said Smith", "« … », dit-il"
            pronoun = _FRENCH_PRONOUN.match(text, cue.end)
            if pronoun:
                mention: Mention | None = Mention(pronoun.group(1), "pronoun")
            else:
                mention = object_after(text[cue.end : min(stop, cue.end + _OBJECT_REACH)])
        elif ends_sentence(between) or any(mark in between for mark in _MARKS):
            return None  # a sentence ends first: the verb is not this quotation's
        else:  # "“…,” Smith, the coach, said", "“…,” chairman and CEO Craig Menear said"
            mention = subject_before(between)
            if mention is None or mention.kind not in ("name", "pronoun"):
                mention = object_after(strip_auxiliaries(between)) or mention
        return self._attributed(mention, cue.text, span.paragraph, close)

    def _before(self, paragraph: int, start: int, end: int) -> Attribution | None:
        """A reporting verb of the quotation's own sentence; else a sentence that introduces
        it (with a colon, a participle or the quotation inside it: "Benioff introduced Cook as
        “…”"); else an earlier reporting verb."""
        text = self._paragraphs[paragraph]
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start < 3:
            return None  # the quotation opens its paragraph or follows another at once
        own = self._resolver.sentence_start(paragraph, end, start)
        every = self._cues_of(paragraph)  # those from start to end, found by bisection
        first = bisect_left(self._cue_starts[paragraph], start)
        cues = every[first : max(first, bisect_right(self._cue_ends[paragraph], end))]
        verbs = [c for c in cues if c.kind != "participle"]
        found = self._from_cues(paragraph, [c for c in verbs if c.start >= own], own, end)
        if found:
            return found
        participle = next((c for c in cues if c.kind == "participle" and c.start >= own), None)
        closing = text[end - 1 : end]
        if own < end and (participle or closing == ":" or closing.isalnum()):
            clause = text[own : participle.start if participle else end]
            mention = first_of_segments(clause)
            if (
                mention
                and mention.kind in ("name", "pronoun")
                and not self._any_word(mention, clause)
            ):
                cue = participle.text if participle else None
                return self._attributed(mention, cue, paragraph, own)
        return self._from_cues(paragraph, [c for c in verbs if c.start < own], start, own)

    def _any_word(self, mention: Mention, clause: str) -> bool:
        """Whether the name that opens a clause is one word the article never shows as a name:
        capitalised only because the sentence opens with it and the sentence reads on
        ("Quando você fala …, o pessoal estranha:", "Мой девиз:"), not a fuller name's part,
        nor someone's quoted already, nor capitalised inside a sentence anywhere. A word with
        an apposition after it is a name ("Buckley, who phoned in from Chicago, had …:")."""
        word = mention.text
        opening = clause.lstrip()
        if mention.kind != "name" or " " in word or not opening.startswith(word):
            return False
        if opening[len(word) :].lstrip().startswith(","):
            return False
        return not self._resolver.named_elsewhere(word)

    def _from_cues(
        self, paragraph: int, cues: Sequence[Cue], start: int, end: int
    ) -> Attribution | None:
        """The attribution of the last of ``cues`` that names someone."""
        text = self._paragraphs[paragraph]
        for cue in reversed(cues):
            if cue.kind == "according":
                mention = object_after(text[cue.end : end])
                if mention and mention.kind == "name" and cue.text.lower() in GENITIVE_ACCORDING:
                    mention = Mention(self._resolver.nominative(mention.text), "name")
            else:
                sentence = self._resolver.sentence_start(paragraph, cue.start, start)
                mention = subject_before(text[sentence : cue.start]) or object_after(
                    text[cue.end : end]
                )
            if mention:
                return self._attributed(mention, cue.text, paragraph, cue.start)
        return None

    def _attributed(
        self, mention: Mention | None, cue: str | None, paragraph: int, offset: int
    ) -> Attribution | None:
        if mention is None:
            return None
        speaker = self._resolver.resolve(mention, paragraph, offset)
        if speaker.name is None:
            return None
        cue_words = " ".join(cue.split()) if cue else None
        # (tuple.__new__ builds the named tuple in C: its own __new__ is a Python function)
        return tuple.__new__(Attribution, (speaker, cue_words, mention))

    def _signed(self, span: QuoteSpan) -> Attribution | None:
        """Rule 3: the name on the line after a quotation that ends its paragraph ("– Man**")."""
        text = self._paragraphs[span.paragraph]
        if span.paragraph + 1 >= len(self._paragraphs) or text[span.close_end :].strip():
            return None
        line = _DASH_LINE.fullmatch(self._paragraphs[span.paragraph + 1])
        if line is None:
            return None
        return self._attributed(
            Mention(line.group("name").strip(), "name"), None, span.paragraph, 0
        )

    def _continued(self, index: int) -> Attribution | None:
        """Rule 4: the speaker of the quotation this one continues: the other part of one
        broken by its attribution, one running over paragraphs, or the one just before when a
        paragraph opens with a quotation and names no one."""
        if not index or self.found[index - 1].speaker.name is None:
            return None
        span, previous = self._spans[index], self._spans[index - 1]
        if previous.paragraph == span.paragraph or span.continued:
            return self.found[index - 1]
        opens = not self._paragraphs[span.paragraph][: span.open_at].strip()
        return self.found[index - 1] if opens and previous.paragraph == span.paragraph - 1 else None

    def _introduced(self, span: QuoteSpan) -> Attribution | None:
        """Rule 5: for a paragraph that opens with the quotation, the paragraph before when it
        ends in a colon ("Robertson, the U.S. commander, said:")."""
        if span.paragraph == 0 or self._paragraphs[span.paragraph][: span.open_at].strip():
            return None
        before = self._paragraphs[span.paragraph - 1].rstrip()
        if not before.endswith(":"):
            return None
        return self._before(span.paragraph - 1, 0, len(before))

    def _recent(self, index: int) -> Attribution | None:
        """Rule 6: the last speaker, when quoted in this paragraph or the one before: an article
        quotes someone over several paragraphs without naming them again."""
        for earlier in range(index - 1, -1, -1):
            if self._spans[earlier].paragraph < self._spans[index].paragraph - _RECENT_PARAGRAPHS:
                return None
            if self.found[earlier].speaker.name is not None:
                return self.found[earlier]
        return None
