"""Direct quotations in an article's body, with their speakers (``ParsedArticle.quotes``).

A quotation is text in quotation marks (:mod:`services.parser.quotemarks`) of five words or
more that is not the title of a work ("a song called “Glasgow (No Place Like Home)”") or the
words of a sign. Its speaker (:mod:`services.parser.attribution`) comes from, in this order:

1. a reporting phrase after it: "“…,” Smith said", "“…,” said Smith, the coach", "« … »,
   dit-il", "„…“, so Müller", "「…」と知事は述べた" (:mod:`services.parser.cjkspeakers`);
2. one before it in its paragraph: "Smith said: “…”", "he told reporters that “…”",
   "according to a spokesperson, “…”", "Benioff weighed in, telling Cook, “…”", "张伟表示，“…”",
   or the sentence it ends or that introduces it with a colon ("Buckley had a similar
   experience: “…”");
3. a line after it that signs it ("– Man**");
4. the quotation it continues: the other part of one broken by its attribution, the paragraph
   before for one running over several paragraphs, the one just before when a paragraph opens
   with a quotation;
5. the paragraph before, when it ends with a colon;
6. the last speaker quoted in this paragraph or the one before.

The mention found is resolved within the article by :class:`services.parser.speakers.Resolver`.
Pure; cheap enough to run on every article (it reads little beyond the text around quotation
marks, and nothing at all of an article without them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from services.core.models import Quote
from services.parser.attribution import Attributor
from services.parser.quotemarks import UNSPACED, QuoteSpan, find_spans
from services.parser.speakers import Resolver
from services.parser.words import word_count

MIN_WORDS: Final = 5

# Words after which quotation marks hold a title, a name or a sign, not someone's words.
_TITLE_WORDS: Final = frozenset(
    {
        "titled", "entitled", "headlined", "dubbed", "nicknamed", "called", "named", "hashtag",
        "slogan", "motto", "ebook", "e-book", "book", "novel", "album", "song", "film", "movie",
        "documentary", "intitulé", "intitulée", "intitolato", "intitulado", "titulado", "livro",
        "libro", "livre", "buch", "roman", "titel", "namens",
    }
)  # fmt: skip
_SIGN_WORDS: Final = frozenset({"sign", "signs", "banner", "banners", "placard", "poster", "shirt"})
_SIGN_VERBS: Final = frozenset({"read", "reads", "reading", "said", "saying"})
_FUNCTION: Final = frozenset(
    {
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or",
        "the", "to", "with", "is", "are", "was", "be", "de", "la", "le", "les", "des", "du",
        "au", "aux", "pour", "sur", "avec", "dans", "der", "die", "das", "und", "im", "mit",
        "für", "von", "zu", "auf", "el", "los", "las", "y", "en", "con", "del", "al", "por",
        "para", "il", "di", "e", "o", "do", "da", "dos", "em", "com", "no", "na", "nos",
        "nas", "seu", "seus", "sua", "suas", "per", "nel", "della",
    }
)  # fmt: skip
_SENTENCE_MARKS: Final = ",.;:!?…"
_TITLE_END: Final = " .,;:…\"'”’"  # what may follow a title's last word inside the marks
_SPACED_WORD: Final = re.compile(r"[^\s\w]*\w\S*")  # a word as words.py counts it in spaced scripts
_WORDS: Final = re.compile(r"[^\W\d_][\w’'-]*")
# Quote's own validator, called with the fields' dict: ``Quote(**fields)`` costs twice as much
# (a Python __init__ in between), a good part of the phase with several quotations an article.
_quote: Final[Callable[[dict[str, object]], Quote]] = Quote.__pydantic_validator__.validate_python


def extract_quotes(paragraphs: Sequence[str]) -> list[Quote]:
    """The direct quotations of the paragraphs, in order, with their speakers."""
    quoted: list[tuple[int, int, int]] = []
    body = "\n".join(paragraphs)  # joined once: the marks are found in it, names looked up
    marked = find_spans(paragraphs, quoted, body)
    spans = [span for span in marked if _is_quotation(paragraphs, span)]
    if not spans:
        return []
    resolver = Resolver(paragraphs, quoted, body)
    found = Attributor(paragraphs, spans, resolver).attribute_all()
    return [  # (found holds one attribution a span, in order)
        _quote(
            {
                "text": paragraphs[span.paragraph][span.start : span.end],
                "speaker": found[index].speaker.name,
                "speaker_kind": found[index].speaker.kind,
                "cue": found[index].cue,
                "paragraph": span.paragraph,
                "start": span.start,
                "end": span.end,
            }
        )
        for index, span in enumerate(spans)
    ]


def _is_quotation(paragraphs: Sequence[str], span: QuoteSpan) -> bool:
    """Five words or more, and not a title of a work or a sign. (Read in the paragraph by
    offsets: a copy of the quoted text is made for the quotations kept, once.)"""
    text = paragraphs[span.paragraph]
    start, end = span.start, span.end
    if text.count(" ", start, end) < MIN_WORDS + 2 and _too_short(text[start:end]):
        return False
    return not _names_work_or_sign(text, span.open_at) and not _looks_like_title(text, start, end)


def _names_work_or_sign(text: str, open_at: int) -> bool:
    """Whether the words just before an opening mark announce a title or a sign ("a song
    called", "a sign reading"). Their last word settles it but for a sign's verb ("said"), the
    only case where the words before it are split and read."""
    window = max(0, open_at - 40)
    end = open_at
    while end > window and text[end - 1] in " ,:":
        end -= 1
    while end > window and text[end - 1].isspace():
        end -= 1
    start = end
    while start > window and not text[start - 1].isspace():
        start -= 1
    last = text[start:end].lower()
    if last in _TITLE_WORDS:
        return True
    if last not in _SIGN_VERBS:
        return False
    before = text[window:open_at].rstrip(" ,:").rsplit(None, 3)
    return len(before) > 1 and bool(_SIGN_WORDS.intersection(w.lower() for w in before[:-1]))


def _too_short(quoted: str) -> bool:
    """Under five words: as :func:`~services.parser.words.word_count` counts them (it is for
    the scripts written without spaces: the others are counted here, more cheaply)."""
    if quoted.isascii() or not UNSPACED.search(quoted):
        return len(_SPACED_WORD.findall(quoted)) < MIN_WORDS
    return word_count(quoted) < MIN_WORDS


def _looks_like_title(text: str, start: int, end: int) -> bool:
    """Every word of ``text[start:end]`` capitalised, and no sentence in it: "Glasgow (No Place
    Like Home)". A sentence mark settles it for most quotations: it is looked for first, with
    ``str.find`` (a call to the regex engine costs several)."""
    last = end
    while last > start and text[last - 1].isspace():
        last -= 1
    if last == start or text[last - 1] in "!?":
        return False
    while end > start and text[end - 1] in _TITLE_END:  # (what may close a title)
        end -= 1
    for mark in _SENTENCE_MARKS:
        if text.find(mark, start, end) >= 0:
            return False
    for word in _WORDS.finditer(text, start, end):  # lazily: the first lower-case word settles it
        found = word.group()
        if not found[0].isupper() and found.lower() not in _FUNCTION:
            return False
    return True
