"""Who stands beside a reporting verb: the *mention* a quotation's attribution makes.

A mention is a name (a run of capitalised words: "Minnesota coach Bruce Boudreau" gives "Bruce
Boudreau", titles and leading function words dropped), a pronoun ("he"), a role the article may
tie to a name ("the coach") or an unnamed source in the article's own words ("a WeWork
spokesperson"). :func:`subject_before` reads the mention that ends a text ("... Smith said"),
:func:`object_after` the one that opens it ("said Smith, the coach"). Names are found by their
capitals, with no language model: a run holding an organisation word ("Ministry", "Police",
"News") or written in capitals ("NASA") is an organisation (:func:`speaker_kind`). Which person
a mention means is :mod:`services.parser.speakers`' business.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Literal, NamedTuple

from services.core.models import SpeakerKind
from services.parser.outlet_names import looks_like_outlet
from services.parser.quotecues import (
    ARTICLELESS_LETTERS,
    AUXILIARY_WORDS,
    COMPLEMENT_WORDS,
    DETERMINERS,
    FUNCTION_WORDS,
    INDEFINITE,
    NO_SUBJECT_WORDS,
    ORGANISATION_WORDS,
    PREPOSITION_DETERMINERS,
    PRONOUNS,
    ROLE_ENDINGS,
    TITLES,
    UPPER,
    VERB_WORDS,
    WEEKDAYS,
    find_cues,
)
from services.parser.sentences import ABBREVIATIONS

MentionKind = Literal["name", "pronoun", "role", "unnamed"]

_SPACE: Final = r"[ \u00a0]+"
_AFTER_ABBREVIATION: Final = "(?:" + "|".join(f"(?<=\\b{word}\\.)" for word in ABBREVIATIONS) + ")"
_NOT_AFTER_ABBREVIATION: Final = "".join(f"(?<!\\b{word}\\.)" for word in ABBREVIATIONS)
# A capitalised word: an initialism ("U.S."), an initial or a short title with its period
# ("J.", "Dr."), or a word with its apostrophes and hyphens ("O’Brien", "Rose-Lynn").
_TOKEN: Final = (
    rf"[{UPPER}](?:\.(?:[ ]?[{UPPER}]\.)*|[a-z]{{1,3}}\.(?=[ ][{UPPER}]){_AFTER_ABBREVIATION}"
    rf"|(?:[\w’'\-.]*\w)?)"
)
PARTICLES: Final = frozenset(
    [
        "de",
        "da",
        "del",
        "della",
        "di",
        "do",
        "dos",
        "das",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "ter",
        "of",
    ]
)
_PARTICLE: Final = rf"(?:{'|'.join(sorted(PARTICLES))}|of the|d[’'])"
_RUN: Final = rf"{_TOKEN}(?:(?:{_SPACE}(?:{_PARTICLE}{_SPACE}){{0,2}}|-){_TOKEN})*"
NAME_RUN: Final = re.compile(_RUN)
# German's articles, which a capitalised noun follows
_GERMAN_DETERMINERS: Final = frozenset(
    {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen"}
)
RUN_AT_END: Final = re.compile(rf"({_RUN})(?:[’']s?)?$")
_POSSESSIVE_ENDS: Final = ("’s", "'s", "’", "'")  # "Smith’s", "Jones’"
_WORD: Final = re.compile(r"[\w’'.\-]+")
_CLAUSE_BREAK: Final = re.compile(
    r"[,;:—–()\[\]]|\b(?:that|who|which|whom|whose|and|but|while|because|as|when|after|before"
    r"|if|dass|que|qui|che|quando|porque|cuando|wenn|als)\b"
)
_WEEKDAY: Final = "|".join(WEEKDAYS)
# Weekdays written in full ("Montag", "mardi"), for the day a name is followed by.
_FULL_WEEKDAY: Final = "|".join(day for day in WEEKDAYS if len(day) >= 5)
# Where the name after an inverted verb ends ("sagte Müller am Montag", "said Smith, who").
_OBJECT_END: Final = re.compile(
    rf"[,;:!?()\[\]\"“”«»„]|\.(?<![{UPPER}]\.){_NOT_AFTER_ABBREVIATION}(?!\w)|\s[—–-]\s"
    r"|\b(?:who|which|whose|that|because|when|while|as|after|before|in a|in an|on|at|during"
    r"|to|about|der|die|qui|que|che|quien)\b"
    rf"|\b(?:am|el|le|il|na|no|em)\s+(?:{_FULL_WEEKDAY})\b"
)
# Where a noun phrase opened by a determiner ends: punctuation, a clause, the day it spoke ("a
# spokesman for the city on Monday"), a time phrase (or a reporting verb, found apart).
_PHRASE_END: Final = re.compile(
    r"[,;:!?()\[\]\"“”«»„]|\.(?!\w)|\s[—–-]\s|\b(?:who|which|whose|that|because|when|while"
    rf"|as|after|before|during|last|this|(?:(?:on|am|el|le|il|na|no)\s+)?(?:{_WEEKDAY})"
    # the same "when" in the other languages: "a déclaré le maire lors de la séance"
    r"|lors|pendant|während|gestern|heute|durante|mientras|ayer|mentre|ieri|oggi|enquanto"
    r"|ontem|hoje|hier"
    # and the rest of a Dutch separable verb: "voegde de burgemeester eraan toe"
    r"|eraan|toe)\b"
)
_CONNECTORS: Final = frozenset(
    {"in", "at", "on", "during", "after", "before", "from", "to", "with", "for", "while",
     "when", "as", "near", "about", "or", "than", "by", "inside", "outside", "into", "like"}
)  # fmt: skip
_COMPLEMENT_WORDS: Final = frozenset(word for word in COMPLEMENT_WORDS if word.isalpha())
_COMPLEMENT: Final = re.compile(rf"\s(?:{'|'.join(COMPLEMENT_WORDS)})(?=[\s’'])")
_INDEFINITE: Final = re.compile(rf"\b(?:{'|'.join(sorted(INDEFINITE))})\s", re.IGNORECASE)
_BARE_WORDS: Final = 5  # words a role written without an article may hold ("мэр города")
_TAIL: Final = 100  # characters before a reporting verb read for its subject


class Mention(NamedTuple):
    """Who stands beside a reporting verb, as written."""

    text: str
    kind: MentionKind


def strip_auxiliaries(text: str) -> str:
    """``text`` without the auxiliaries and adverbs that end it ("Smith has also")."""
    text = text.rstrip()
    while True:
        head, _, last = text.rpartition(" ")
        if not head or last.lower() not in AUXILIARY_WORDS:
            return text
        text = head.rstrip()


def clean_name(run: str) -> str | None:
    """A capitalised run as a name: leading function words and titles dropped ("But President
    Donald Trump" gives "Donald Trump"), a possessive ahead of a person's name too ("NASA’s
    Steve Clarke" gives "Steve Clarke"); None if nothing is left."""
    if " " not in run and "’" not in run and "'" not in run:  # one word: most runs
        key = run.lower().rstrip(".")
        return None if key in FUNCTION_WORDS or key in TITLES else run
    tokens = run.split()
    while tokens and tokens[0].lower().rstrip(".") in FUNCTION_WORDS:
        tokens.pop(0)
    while tokens and tokens[-1].lower().rstrip(".") in FUNCTION_WORDS:
        tokens.pop()
    if "of" in tokens:  # "Rosaly Lopes of NASA", "Secretary of State Marco Rubio"
        tokens = _before_of(tokens)
    if not tokens:
        return None
    last = len(tokens) - 1
    tokens[last] = _without_possessive(tokens[last]) or tokens[last]
    if _has_organisation_word(tokens):
        return " ".join(tokens)
    cut = 0
    for index, token in enumerate(tokens[:last]):
        key = token.lower().rstrip(".")
        if (
            key in TITLES
            or key.endswith(ROLE_ENDINGS)
            or (
                token.endswith(_POSSESSIVE_ENDS) and not _has_organisation_word(tokens[index + 1 :])
            )
        ):
            cut = index + 1
    name = " ".join(tokens[cut:] if cut <= last else tokens[last:])
    if name.lower().rstrip(".") in TITLES and len(tokens) == 1:
        return None
    return name


def _without_possessive(token: str) -> str:
    """``token`` without its possessive ending (``str.endswith``: cheaper than a regex)."""
    if token.endswith(("’s", "'s")):
        return token[:-2]
    return token[:-1] if token.endswith(("’", "'")) else token


def _before_of(tokens: list[str]) -> list[str]:
    """A run holding "of": a title's ("Secretary of State Marco Rubio": the name after it), an
    organisation's ("Office of the Inspector General": all of it), or a person's place ("Rosaly
    Lopes of NASA": the name before it)."""
    at = tokens.index("of")
    before = tokens[:at]
    if all(token.lower().rstrip(".") in TITLES for token in before):
        rest = tokens[at + 1 :]
        while len(rest) > 1 and rest[0].lower() in TITLES | ORGANISATION_WORDS:
            rest = rest[1:]
        return rest
    if _has_organisation_word(before):
        return tokens
    return before


def _has_organisation_word(tokens: Sequence[str]) -> bool:
    return any(token.lower().strip(".,’'") in ORGANISATION_WORDS for token in tokens)


def speaker_kind(name: str) -> SpeakerKind:
    """Whether a name is an organisation's or a person's."""
    tokens = name.split()
    letters = name.replace(".", "").replace(" ", "")
    if _has_organisation_word(tokens) or looks_like_outlet(name):
        return "organisation"
    if len(letters) >= 2 and letters.isupper() and letters.isalpha():
        return "organisation"  # NASA, FBI
    if "." in tokens[-1] and tokens[-1].rsplit(".", 1)[-1].isalpha() and len(tokens) == 1:
        return "organisation"  # a domain: onmeth.com
    return "person"


def subject_before(text: str) -> Mention | None:
    """The mention that ends ``text`` (what stands before a reporting verb)."""
    text = strip_auxiliaries(text)
    if text.endswith(","):  # an apposition: "Steve Clarke, deputy administrator at NASA,"
        return first_of_segments(text)
    tail = max(0, len(text) - _TAIL)  # a subject is read from the last words only
    last = text[text.rfind(" ") + 1 :].lstrip("(").lower()
    if last in PRONOUNS or last == "it":
        return Mention(last, "pronoun")
    run = RUN_AT_END.search(text, tail)
    if run:
        unnamed = _indefinite_subject(text[tail:]) if _INDEFINITE.search(text, tail) else None
        if unnamed:  # "A spokesman for the City of Boston (said)": not "City"
            return unnamed
        name = clean_name(run.group(1))
        if name:
            return Mention(name, "name")
    return _noun_phrase(text[tail:], trailing=True)


def _indefinite_subject(text: str) -> Mention | None:
    """The unnamed source that ends ``text`` when an indefinite article opens it and no name
    stands before its complement ("Ein Sprecher der Stadt")."""
    phrase = _noun_phrase(text, trailing=True)
    if phrase is None or phrase.kind != "unnamed":
        return None
    before = text[: text.rfind(phrase.text)].split()[-1:] if phrase.text in text else ["?"]
    if before and before[0].lower() in _CONNECTORS:  # "In a letter to the editor Smith"
        return None
    determiner = phrase.text.split(maxsplit=1)[0].lower()
    return phrase if _unnamed(determiner, phrase.text) else None


def first_of_segments(text: str) -> Mention | None:
    """The first name or pronoun of a clause whose subject has an apposition after it
    ("Meanwhile, Smith, the coach of the team,")."""
    for segment in text.split(","):
        mention = object_after(segment)
        if mention is not None and mention.kind in ("name", "pronoun"):
            return mention
    return None


def object_after(text: str) -> Mention | None:
    """The mention that opens ``text`` (what follows an inverted verb: "said Smith, ..."; the
    subject after a quotation: "Smith, the coach, said")."""
    text = text.lstrip(" ,\u00a0")
    first = _WORD.match(text)
    if first is None:
        return None
    word = first.group().rstrip(".").lower()
    if word in PRONOUNS:
        return Mention(word, "pronoun")
    if word in DETERMINERS:  # "the description on the website (reads)"
        phrase = _PHRASE_END.search(text)
        stop = phrase.start() if phrase else len(text)
        cues = find_cues(text[:stop])
        unnamed = _noun_phrase(text[: cues[0].start if cues else stop], trailing=False)
        if unnamed is not None and _unnamed(word, unnamed.text):
            return unnamed
    # (after its article: "der" and "die" also end a name, "Sprecher der Stadt")
    end = _OBJECT_END.search(text, first.end() if word in DETERMINERS else 0)
    chunk = text[: end.start()] if end else text
    runs = list(NAME_RUN.finditer(chunk))
    if not runs:
        return _noun_phrase(chunk, trailing=False) or _bare_role(chunk)
    lead = chunk[: runs[0].start()].split()
    # "the 14th-ranked Schwartzman" is a name; "a spokesperson for WeWork" is not
    determiner = bool(lead) and lead[0].lower() in DETERMINERS
    if determiner and (chunk[runs[-1].end() :].strip() or _has_connector(lead)):
        return _noun_phrase(chunk, trailing=False)
    name = runs[0]
    for following in runs[1:]:
        gap = chunk[name.end() : following.start()].split()
        if len(gap) > 4 or _has_connector(gap) or gap == ["and"] or _has_verb(gap):
            break
        name = following
    cleaned = clean_name(name.group())
    return Mention(cleaned, "name") if cleaned else None


def _bare_role(chunk: str) -> Mention | None:
    """The role or unnamed source after a verb in a language without articles ("— отметил мэр
    города"): the whole clause, when it opens with a lower-case word of such a language that
    can open a noun phrase."""
    words = chunk.split()
    if not words or len(words) > _BARE_WORDS or words[0][0] not in ARTICLELESS_LETTERS:
        return None
    if words[0].lower() in NO_SUBJECT_WORDS or not words[-1][-1].isalpha():
        return None
    return Mention(" ".join(words), "role")


def _has_connector(words: Sequence[str]) -> bool:
    return any(word.lower() in _CONNECTORS for word in words)


def _has_verb(words: Sequence[str]) -> bool:
    """Whether words between two names hold a verb ("Benioff introduced Cook"), not only a
    role ("Minnesota coach Bruce Boudreau"): a past tense, or a reporting verb."""
    return any(word.endswith("ed") or word in VERB_WORDS for word in words)


def _unnamed(determiner: str, phrase: str) -> bool:
    """Whether a noun phrase names no one before its complement, which belongs to it ("ein
    Sprecher der Stadt", "the head of the Federal Reserve"; "an emotional Steve Kerr" is Kerr)."""
    words = head(phrase)[len(determiner) :]  # ("Ein Sprecher": the article may be capitalised)
    return not NAME_RUN.search(words) or _german_noun(determiner, words)


def head(phrase: str) -> str:
    """A noun phrase up to its complement, its role last: "ein Sprecher" (der Stadt)."""
    complement = _COMPLEMENT.search(phrase)
    return phrase[: complement.start()] if complement else phrase


def _german_noun(determiner: str, phrase: str) -> bool:
    """Whether ``phrase`` after a German article is a noun, not a name: German writes every
    noun capitalised ("die Sprecherin", "der Bürgermeister"); a name of two words or more in it
    is a name ("der Bürgermeister Peter Kurz")."""
    return determiner in _GERMAN_DETERMINERS and not any(
        " " in run.group().strip() for run in NAME_RUN.finditer(phrase)
    )


def _of(words: Sequence[str], index: int) -> bool:
    """Whether ``words[index]`` is the preposition that is also an article elsewhere (French,
    Spanish, Portuguese "de", Dutch "the"): another article follows it, other than in a
    complement ("de son côté le ministre", "de la ville"; not "de woordvoerder van de stad")."""
    for at in range(index + 1, len(words)):
        if words[at].lower() in DETERMINERS and (
            at == index + 1 or words[at - 1].lower() not in _COMPLEMENT_WORDS
        ):
            return True
    return False


def _noun_phrase(text: str, *, trailing: bool) -> Mention | None:
    """An unnamed source or a role: the noun phrase from its determiner ("a WeWork
    spokesperson", "the coach"), or a bare plural ("officials")."""
    if trailing:
        breaks = list(_CLAUSE_BREAK.finditer(text))
        segment = text[breaks[-1].end() :] if breaks else text
    else:
        segment = text
    words = segment.split()[-7:] if trailing else segment.split()[:8]
    if not words:
        return None
    for index, word in enumerate(words):
        key = word.lower()
        if key in DETERMINERS and not (key in PREPOSITION_DETERMINERS and _of(words, index)):
            phrase = words[index:]
            if len(phrase) < 2 or not phrase[-1][-1:].isalpha():
                return None
            kind: MentionKind = "unnamed" if key in INDEFINITE else "role"
            return Mention(" ".join(phrase), kind)
    if trailing and len(words) <= 2 and words[-1].isalpha() and words[-1].lower().endswith("s"):
        return Mention(" ".join(words), "unnamed")  # "officials", "Police officers"
    return None
