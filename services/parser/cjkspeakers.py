"""Who a quotation in Japanese or Chinese is attributed to.

These languages are written without spaces and without capitals, so the mentions of
:mod:`services.parser.mentions` cannot be found in them. Their reporting phrases have a fixed
shape instead, read here from the words beside the quotation marks:

- Japanese: 「…」と知事は述べた — after the closing mark, と, then the speaker ended by the
  particle は or が, then the reporting verb. With no speaker there (「…」と述べた), the
  speaker is the subject of the quotation's own sentence (山田知事は「…」と述べた) or, when that
  names a person by a title or an honorific, of the sentence before it.
- Chinese: “…”，张伟说 (the speaker just before the verb after the quotation) and 张伟表示，“…”
  (the speaker and the verb just before it).

The speaker's words give a name when they hold a title or honorific with a name beside it
(山田太郎知事, 市长张伟, トランプ氏), else an unnamed source in the article's words (知事,
发言人), unless the article gives the name with that title earlier. A pronoun (彼, 他) gives no
speaker: the rules for a quotation without one then apply. Pure; called only for the
quotations whose neighbouring characters are Kana or Han.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from services.parser.mentions import Mention
from services.parser.quotemarks import QuoteSpan

_LETTER: Final = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"  # Kana and Han
_NAME_LETTER: Final = "\u30a0-\u30ff\u3400-\u9fff\uf900-\ufaff"  # Katakana and Han: no particle
_NEAR_AFTER: Final = re.compile(rf"[，,、：:]?\s?[{_LETTER}]")
_NEAR_BEFORE: Final = re.compile(rf"[{_LETTER}][，,、：:]?\s?$")
_JA_VERBS: Final = (
    r"(?:述べ|語っ|話し|言っ|説明し|強調し|明らかにし|指摘し|訴え|答え)(?:た|ている|ていた)"
    r"|(?:述べ|語り|話し|言い|説明し|強調し|明らかにし|指摘し|訴え|答え)まし(?:た)"
    r"|(?:述べ|語|話|言|説明す|強調す|指摘す|訴え|答え)る"
)
_ZH_VERBS: Final = "表示|指出|强调|透露|说道|说|称"
# 「…」と知事は述べた, 「…」と、山田氏が記者団に語った, 「…」と述べた
_JA_AFTER: Final = re.compile(
    rf"と、?(?:(?P<who>[^、。！？「」『』“”\s]{{1,20}}?)[はが]、?)?[^。！？「」『』“”]{{0,12}}?"
    rf"(?P<verb>{_JA_VERBS})"
)
_ZH_AFTER: Final = re.compile(
    rf"[，,]?\s?(?P<who>[^，,。！？：:“”「」\s]{{1,12}}?)(?P<verb>{_ZH_VERBS})"
)
_ZH_BEFORE: Final = re.compile(
    rf"(?P<who>[^，,。！？：:“”「」\s]{{1,12}}?)(?P<verb>{_ZH_VERBS})[，,：:]?\s?$"
)
# The subject of a Japanese sentence, ended by は or が, at its start or after a comma.
_JA_SUBJECT: Final = re.compile(r"(?:^|、)(?P<who>[^、。！？「」『』“”\s]{1,16}?)[はが]")
_SENTENCE_END: Final = re.compile("[。！？]")
# Words that end a Chinese subject before its verb: a place or time (张伟在会上说, 张伟昨天表示).
_ZH_ADVERBIAL: Final = re.compile(
    "在|于|对|向|今天|昨天|今日|昨日|周[一二三四五六日]|星期|上午|下午|也|还|则|又"
)
_PRONOUNS: Final = frozenset({"彼", "彼女", "彼ら", "他", "她", "他们", "她们"})
_HONORIFICS: Final = ("さん", "氏", "様", "先生", "君")
_TITLES: Final = (
    "知事", "市長", "町長", "村長", "区長", "首相", "大統領", "大臣", "長官", "社長", "会長",
    "議長", "議員", "委員長", "代表", "監督", "教授", "報道官", "担当者", "総裁", "幹事長",
    "所長", "部長", "局長", "署長", "院長", "外相", "防衛相", "財務相", "外務相", "市长",
    "总统", "总理", "部长", "发言人", "主席", "经理", "总裁", "董事长", "局长", "主任", "省长",
    "外长", "大使", "书记", "教练",
)  # fmt: skip
_TITLE: Final = "|".join(sorted(_TITLES, key=len, reverse=True))
_TITLE_IN: Final = re.compile(_TITLE)
_TITLE_END: Final = re.compile(rf"(?:{_TITLE})$")
# Titles of one who speaks for an organisation, which the words before name (外交部发言人,
# 政府報道官), not a person: a name before them is written in Katakana (カービー報道官).
_SPOKESPERSONS: Final = frozenset({"发言人", "報道官", "担当者"})
_NAME_END: Final = re.compile(f"[{_NAME_LETTER}]+$")
_KATAKANA: Final = re.compile("[\u30a0-\u30ff]+")
_PLACE_END: Final = re.compile("[都道府県市町村区国州省の的]$")
_THE_SAME: Final = frozenset({"", "同", "该", "此"})  # 同知事, 该发言人: the one named before


class Reported(NamedTuple):
    """A reporting phrase beside a quotation: its speaker's mention (None: none written, or
    a pronoun) and its verb."""

    mention: Mention | None
    cue: str


def beside(text: str, span: QuoteSpan) -> bool:
    """Whether a quotation is in Japanese or Chinese, and so is the text just around it."""
    if text[span.end - 1] < "\u3000":  # its last character is no Kana, Han or wide mark
        return False
    if _NEAR_AFTER.match(text, span.close_end):
        return True
    open_at = span.open_at
    return open_at > 0 and _NEAR_BEFORE.search(text, max(0, open_at - 3), open_at) is not None


def reported(
    paragraphs: Sequence[str], paragraph: int, open_at: int, close_end: int
) -> Reported | None:
    """The reporting phrase of the quotation from ``open_at`` to ``close_end``, its speaker
    looked for where the phrase names none."""
    text = paragraphs[paragraph]
    own = _sentence_start(text, open_at)
    japanese = _JA_AFTER.match(text, close_end)
    if japanese:
        mention = _mention(japanese.group("who"), paragraphs, paragraph, strict=False)
        if mention is None:
            mention = _subject(text[own:open_at], paragraphs, paragraph)
        if mention is None:
            mention = _subject(_sentence_before(paragraphs, paragraph, own), paragraphs, paragraph)
        return Reported(mention, japanese.group("verb"))
    chinese = _ZH_AFTER.match(text, close_end) or _ZH_BEFORE.search(text, own, open_at)
    if chinese:
        return Reported(_mention(chinese.group("who"), paragraphs, paragraph), chinese["verb"])
    return None


def _sentence_start(text: str, at: int) -> int:
    start = 0
    for end in _SENTENCE_END.finditer(text, 0, at):
        start = end.end()
    return start


def _sentence_before(paragraphs: Sequence[str], paragraph: int, own: int) -> str:
    """The sentence before the one that starts at ``own`` (the previous paragraph's last when
    it is the paragraph's first)."""
    if own == 0:
        if paragraph == 0:
            return ""
        text = paragraphs[paragraph - 1].rstrip()
        own = len(text)
    else:
        text = paragraphs[paragraph]
    return text[_sentence_start(text, own - 1) : own]


def _subject(sentence: str, paragraphs: Sequence[str], paragraph: int) -> Mention | None:
    """The subject of a Japanese sentence, if it has a title or an honorific."""
    found = _JA_SUBJECT.search(sentence)
    return _mention(found.group("who"), paragraphs, paragraph, strict=True) if found else None


def _mention(
    who: str | None, paragraphs: Sequence[str], paragraph: int, *, strict: bool = False
) -> Mention | None:
    """The mention a speaker's words make; with ``strict``, only words with a title or an
    honorific (the subject of another sentence need not be anyone's name)."""
    if who is None:
        return None
    who = _ZH_ADVERBIAL.split(who, maxsplit=1)[0]
    if not who or who in _PRONOUNS:
        return None
    for honorific in _HONORIFICS:
        if who.endswith(honorific) and len(who) > len(honorific):
            return Mention(who[: -len(honorific)], "name")
    title = _TITLE_IN.search(who)
    if title is None:
        return None if strict else Mention(who, "name")
    return _titled(who, title, paragraphs, paragraph)


def _titled(who: str, title: re.Match[str], paragraphs: Sequence[str], paragraph: int) -> Mention:
    """The mention of words with a title: the name beside it (市长张伟, 山田太郎知事), else
    the name the article gave with the title, else the words themselves (知事, 政府報道官)."""
    before, after = who[: title.start()], who[title.end() :]
    before = before[_name_start(before) :]  # 山田 of 記者会見で山田知事
    if after:  # 市长张伟, 外交部发言人汪文斌
        return Mention(after, "name")
    if title.group() in _SPOKESPERSONS and not _KATAKANA.fullmatch(before):
        return Mention(who, "unnamed")
    if before not in _THE_SAME and not _PLACE_END.search(before):
        return Mention(before, "name")
    named = _named(title.group(), paragraphs, paragraph) if before in _THE_SAME else None
    return Mention(named, "name") if named else Mention(who, "unnamed")


def _name_start(words: str) -> int:
    """Where the run of Katakana and Han that ends ``words`` starts (the words before it end
    in a particle)."""
    found = _NAME_END.search(words)
    return found.start() if found else len(words)


def _named(title: str, paragraphs: Sequence[str], paragraph: int) -> str | None:
    """The name the article gives with ``title`` up to ``paragraph`` (山田太郎知事), if any."""
    pattern = re.compile(rf"(?<![{_NAME_LETTER}])([{_NAME_LETTER}]{{2,10}}){title}")
    for text in paragraphs[: paragraph + 1]:
        for found in pattern.finditer(text):
            name = found.group(1)
            if not _PLACE_END.search(name) and not _TITLE_END.search(name):
                return name
    return None
