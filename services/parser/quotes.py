"""Direct quotations in an article's body, with their speakers (``ParsedArticle.quotes``).

A quotation is text in quotation marks (see :mod:`services.parser.quotemarks`) of five words or
more that is not the title of a work ("a song called “…”") or the words of a sign. Its speaker
comes from the reporting phrase beside it, in this order:

1. after the quotation: "“…,” Smith said", "“…,” said Smith, the coach", "“…,” dit-il";
2. before it, in the same paragraph: "Smith said: “…”", "he told reporters that “…”",
   "according to a spokesperson, “…”" (the nearest reporting verb wins);
3. a sentence that introduces it with a colon ("Buckley had a similar experience: “…”");
4. the quotation it continues: the other part of a quotation broken by its attribution, the
   paragraph before for a quotation running over several paragraphs, or the quotation just
   before it when a paragraph opens with a quotation and names no one.

Mentions are resolved by :class:`services.parser.speakers.Resolver`. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from services.core.models import Quote
from services.parser.quotecues import ACCORDING, AUXILIARY, UPPER, VERB
from services.parser.quotemarks import QuoteSpan, find_spans
from services.parser.mentions import (
    Mention,
    first_of_segments,
    object_after,
    sentence_start,
    subject_before,
)
from services.parser.speakers import UNKNOWN, Resolver, Speaker
from services.parser.words import word_count

MIN_WORDS = 5
_RECENT_PARAGRAPHS = 1

_CUE = re.compile(rf"(?<![\w-])(?P<cue>{VERB})(?![\w])")
# The attribution right after the closing mark: an inverted verb ("said Smith"), or a subject
# and its verb ("Smith said", "the company said in a statement").
# A period that ends an initial or an abbreviation ("U.S.", "Dr.", "Gov."), not a sentence.
_ABBREVIATION_DOT = rf"(?<=[{UPPER}])\.|(?<=[{UPPER}][a-z])\.|(?<=[{UPPER}][a-z]{{2}})\."
_INVERTED = re.compile(
    rf"[\s,]*(?:[—–-]\s*)?(?P<cue>{VERB})(?:-t)?(?P<pronoun>-(?:il|elle|ils|elles|on))?(?![\w])"
)
_SUBJECT_FIRST = re.compile(
    rf"[\s,]*(?:[—–-]\s*)?(?P<subject>(?:[^.!?\"“”«»„]|{_ABBREVIATION_DOT}){{1,200}}?)\s+{AUXILIARY}(?P<cue>{VERB})(?![\w])"
)
# A participle that attributes to its clause's subject ("Benioff weighed in, telling Cook, “…”").
_PARTICIPLE = re.compile(
    r"(?<![\w-])(?P<cue>adding|saying|telling|noting|writing|asking|explaining|insisting|arguing"
    r"|warning|declaring|recalling|joking|tweeting|posting|stressing|calling\s+it|describing\s+it"
    r"|hinzufügend|ajoutant|expliquant|affirmant|añadiendo|agregando|diciendo|aggiungendo"
    r"|spiegando|dicendo|acrescentando|dizendo|afirmando)(?![\w])"
)
_INTRODUCES = re.compile(r"[^.,;!?\"“”«»]*:")
# An attribution line after a quotation that ends its paragraph: "– Man**", "— Marshall McLuhan".
_DASH_LINE = re.compile(r"[—–-]\s*(?P<name>[^\s.,;:!?\"“”«»][^.;:!?\"“”«»]{0,59}?)[\s.,]*")
# The quotation continues the sentence before it (its last word, no punctuation between).
_ENDS_IN_WORD = re.compile(r"\w$")
_GERMAN_SO = re.compile(rf"[\s,]*so\s+(?P<subject>(?:[{UPPER}]|er\b|sie\b)[^.!?,]*)")
_TITLE_CUES = re.compile(
    r"(?i:\b(?:titled|entitled|headlined|dubbed|nicknamed|called|named|hashtag|slogan|motto"
    r"|(?:sign|banner|placard|poster|shirt|sticker|billboard)s?\s+(?:that\s+|which\s+)?"
    r"(?:read|reads|reading|said|saying)|intitulé|intitulée|intitolato|intitulado|titulado"
    r"|e-?book|book|novel|album|song|film|movie|documentary|livro|libro|livre|buch|roman"
    r"|titel|namens))[\s,:]*$"
)
_FUNCTION = frozenset(
    "a an and as at by for from in into of on or the to with is are was be de la le les des "
    "du au aux pour sur avec dans der die das und im mit für von zu auf el los las y en con "
    "del al por para il di e o do da dos das em com no na nos nas seu seus sua suas per nel "
    "della".split()
)


@dataclass(frozen=True, slots=True)
class _Attribution:
    speaker: Speaker
    cue: str | None
    mention: Mention | None = None


_NONE = _Attribution(UNKNOWN, None)


def extract_quotes(paragraphs: Sequence[str]) -> list[Quote]:
    """The direct quotations of the paragraphs, in order, with their speakers."""
    every = find_spans(paragraphs)
    spans = [span for span in every if _is_quotation(paragraphs, span)]
    if not spans:
        return []
    resolver = Resolver(paragraphs, [(span.paragraph, span.start, span.end) for span in every])
    found: list[_Attribution] = []
    for index, span in enumerate(spans):
        attribution = (
            _own_attribution(paragraphs, spans, index, resolver)
            or _signed(paragraphs, span, resolver)
            or _inherited(paragraphs, spans, index, found)
            or _introduced(paragraphs, span, resolver)
            or _recent(spans, index, found)
            or _NONE
        )
        if attribution.mention is not None:
            resolver.record(span.paragraph, span.open_at, attribution.speaker, attribution.mention)
        found.append(attribution)
    _fill_from_next(spans, found)
    return [
        Quote(
            text=paragraphs[span.paragraph][span.start : span.end],
            speaker=attribution.speaker.name,
            speaker_kind=attribution.speaker.kind,
            cue=attribution.cue,
            paragraph=span.paragraph,
            start=span.start,
            end=span.end,
        )
        for span, attribution in zip(spans, found, strict=True)
    ]


def _is_quotation(paragraphs: Sequence[str], span: QuoteSpan) -> bool:
    """Five words or more, and not a title of a work or a sign."""
    text = paragraphs[span.paragraph][span.start : span.end]
    if word_count(text) < MIN_WORDS:
        return False
    before = paragraphs[span.paragraph][max(0, span.open_at - 40) : span.open_at]
    if _TITLE_CUES.search(before):
        return False
    return not _looks_like_title(text)


def _looks_like_title(text: str) -> bool:
    """Every word capitalised, and no sentence in it: "Glasgow (No Place Like Home)"."""
    if re.search(r"[,.;:!?…]\W*\S", text) or text.rstrip()[-1:] in "!?":
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text) if w.lower() not in _FUNCTION]
    return len(words) >= 2 and all(word[0].isupper() for word in words)


def _own_attribution(
    paragraphs: Sequence[str], spans: Sequence[QuoteSpan], index: int, resolver: Resolver
) -> _Attribution | None:
    span = spans[index]
    text = paragraphs[span.paragraph]
    previous = spans[index - 1] if index and spans[index - 1].paragraph == span.paragraph else None
    following = (
        spans[index + 1]
        if index + 1 < len(spans) and spans[index + 1].paragraph == span.paragraph
        else None
    )
    right = text[span.close_end : following.open_at if following else len(text)]
    left_start = previous.close_end if previous else 0
    left = text[left_start : span.open_at]
    if not span.runs_on:
        attribution = _after(right, resolver, span, span.close_end)
        if attribution:
            return attribution
    return _before(left, resolver, span, left_start)


def _after(right: str, resolver: Resolver, span: QuoteSpan, offset: int) -> _Attribution | None:
    """The attribution that follows the closing mark."""
    inverted = _INVERTED.match(right)
    if inverted and _INTRODUCES.match(right, inverted.end()):
        return None  # "“…” Smith agreed: “…”": the phrase is the next quotation's
    if inverted:
        if inverted.group("pronoun"):
            mention: Mention | None = Mention(inverted.group("pronoun")[1:], "pronoun")
        else:
            mention = object_after(right[inverted.end() :])
        if mention:
            return _attributed(mention, inverted.group("cue"), resolver, span, offset)
    subject = _SUBJECT_FIRST.match(right)
    if subject and _INTRODUCES.match(right, subject.end()):
        return None
    if subject:
        mention = object_after(subject.group("subject"))
        if mention:
            return _attributed(mention, subject.group("cue"), resolver, span, offset)
    german = _GERMAN_SO.match(right)
    if german:
        mention = object_after(german.group("subject"))
        if mention:
            return _attributed(mention, "so", resolver, span, offset)
    return None


def _before(left: str, resolver: Resolver, span: QuoteSpan, offset: int) -> _Attribution | None:
    """The attribution in the text before the opening mark: a reporting verb of the
    quotation's own sentence, else a sentence that introduces it (with a colon, or with the
    quotation inside it: "Benioff introduced Cook as “…”"), else an earlier reporting verb."""
    stripped = left.rstrip()
    own = sentence_start(stripped, len(stripped))
    cues = list(_CUE.finditer(left))
    found = _from_cues(left, [cue for cue in cues if cue.start() >= own], resolver, span, offset)
    if found:
        return found
    participle = _PARTICIPLE.search(stripped, own)
    if stripped[own:].strip() and (participle or stripped.endswith(":") or _ENDS_IN_WORD.search(stripped)):
        mention = first_of_segments(stripped[own : participle.start() if participle else None])
        if mention and mention.kind in ("name", "pronoun"):
            cue = participle.group("cue") if participle else None
            return _attributed(mention, cue, resolver, span, offset + own)
    return _from_cues(left, [cue for cue in cues if cue.start() < own], resolver, span, offset)


def _from_cues(
    left: str, cues: list[re.Match[str]], resolver: Resolver, span: QuoteSpan, offset: int
) -> _Attribution | None:
    """The attribution of the last of ``cues`` (in ``left``) that names someone."""
    for cue in reversed(cues):
        if ACCORDING.fullmatch(cue.group("cue")):
            mention = object_after(left[cue.end() :])
        else:
            start = sentence_start(left, cue.start())
            mention = subject_before(left[start : cue.start()])
            if mention is None:
                mention = object_after(left[cue.end() :])
        if mention:
            return _attributed(mention, cue.group("cue"), resolver, span, offset + cue.start())
    return None


def _attributed(
    mention: Mention, cue: str | None, resolver: Resolver, span: QuoteSpan, offset: int
) -> _Attribution | None:
    speaker = resolver.resolve(mention, span.paragraph, offset)
    if speaker.name is None:
        return None
    return _Attribution(speaker, " ".join(cue.split()) if cue else None, mention)


def _signed(paragraphs: Sequence[str], span: QuoteSpan, resolver: Resolver) -> _Attribution | None:
    """The name on the line after a quotation that ends its paragraph ("– Man**")."""
    text = paragraphs[span.paragraph]
    if span.paragraph + 1 >= len(paragraphs) or text[span.close_end :].strip():
        return None
    line = _DASH_LINE.fullmatch(paragraphs[span.paragraph + 1])
    if line is None:
        return None
    return _attributed(Mention(line.group("name").strip(), "name"), None, resolver, span, 0)


def _introduced(
    paragraphs: Sequence[str], span: QuoteSpan, resolver: Resolver
) -> _Attribution | None:
    """For a paragraph that opens with the quotation: the paragraph before, when it ends in a
    colon ("Robertson said:")."""
    if span.paragraph == 0 or paragraphs[span.paragraph][: span.open_at].strip():
        return None
    before = paragraphs[span.paragraph - 1]
    if not before.rstrip().endswith(":"):
        return None
    return _before(before, resolver, QuoteSpan(span.paragraph - 1, 0, 0, len(before), 0, ""), 0)


def _recent(
    spans: Sequence[QuoteSpan], index: int, found: Sequence[_Attribution]
) -> _Attribution | None:
    """The speaker of the last quotation with one, when it came in this paragraph or the one
    before: an article quotes someone over several paragraphs without naming them again."""
    for earlier in range(index - 1, -1, -1):
        if spans[earlier].paragraph < spans[index].paragraph - _RECENT_PARAGRAPHS:
            return None
        if found[earlier].speaker.name is not None:
            return found[earlier]
    return None


def _inherited(
    paragraphs: Sequence[str],
    spans: Sequence[QuoteSpan],
    index: int,
    found: Sequence[_Attribution],
) -> _Attribution | None:
    """The speaker of the quotation this one continues, if any."""
    if not index:
        return None
    span, previous = spans[index], spans[index - 1]
    earlier = found[index - 1]
    if earlier.speaker.name is None:
        return None
    if previous.paragraph == span.paragraph or span.continued:
        return earlier
    opens = not paragraphs[span.paragraph][: span.open_at].strip()
    if opens and previous.paragraph == span.paragraph - 1:
        return earlier
    return None


def _fill_from_next(spans: Sequence[QuoteSpan], found: list[_Attribution]) -> None:
    """A quotation still without speaker takes the one of the next in its paragraph ("“…” “…,”
    she said")."""
    for index in range(len(spans) - 2, -1, -1):
        if found[index].speaker.name is None and spans[index + 1].paragraph == spans[index].paragraph:
            found[index] = found[index + 1]
