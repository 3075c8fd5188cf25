"""What a news outlet's name looks like: a curated list of major outlets plus outlet words.

A name is an outlet when it is a known outlet ("Reuters", "Euronews", "Al Jazeera") or ends in a
word only news organisations use in their names ("Fox News", "The New York Times", "Kyiv
Independent" does not: "Independent" is too common a word to decide alone). Words that also name
government or other bodies ("Agency", "Network", "Service", "Media") count only after a news word
("Xinhua News Agency", "Cable News Network", "Press Trust").
"""

from __future__ import annotations

import re
from typing import Final

KNOWN_OUTLETS: Final = frozenset(
    {
        "reuters", "ap", "associated press", "afp", "agence france-presse",
        "agence france presse", "bloomberg", "bbc", "cnn", "cnbc", "msnbc", "nbc", "abc", "cbs",
        "npr", "pbs", "fox", "euronews", "guardian", "telegraph", "axios", "politico", "economist",
        "independent", "atlantic", "the hill", "vox", "buzzfeed", "huffpost",
        "huffington post", "newsweek", "time", "forbes", "fortune", "al jazeera", "al arabiya",
        "dw", "deutsche welle", "france 24", "rfi", "rte", "sky", "itv", "channel 4",
        "der spiegel", "spiegel", "bild", "die zeit", "zeit", "le monde", "le figaro",
        "liberation", "el país", "el pais", "el mundo", "la repubblica", "corriere della sera",
        "haaretz", "ynet", "xinhua", "tass", "ria novosti", "interfax", "kommersant", "meduza",
        "novaya gazeta", "ukrinform", "kyiv independent", "yonhap", "kyodo", "nikkei", "nhk",
        "asahi", "anadolu", "irna", "kcna", "pti", "ani", "efe", "ansa", "dpa", "apa", "wafa",
        "semafor", "propublica", "the intercept", "intercept", "mediapart", "the verge",
        "techcrunch", "wired", "ars technica", "engadget", "the information", "insider",
        "business insider", "vanity fair", "new yorker", "the new yorker", "slate", "salon",
        "daily beast", "the daily beast", "breitbart", "newsmax", "the sun", "the times",
        "the globe and mail", "globe and mail", "straits times", "scmp", "caixin",
        "global times", "rt", "sputnik", "tvn24", "rferl", "rfe/rl", "radio liberty",
        "voa", "voice of america", "the marshall project", "kff health news", "stat",
        "the athletic", "espn", "variety", "deadline", "billboard", "rolling stone",
        "tmz", "page six", "the wrap", "hollywood reporter", "the hollywood reporter",
        "marketwatch", "barron's", "barrons", "the financial times", "ft", "wsj", "nyt",
        "usa today", "la times", "daily mail", "the mail on sunday", "daily mirror",
        "evening standard", "the la times", "punchbowl news", "the dispatch",
    }
)  # fmt: skip

# Words only outlets end their names with (compared case-insensitively, last word of the name).
OUTLET_WORDS: Final = frozenset(
    {
        "news", "times", "post", "journal", "tribune", "herald", "gazette", "telegraph",
        "guardian", "chronicle", "observer", "dispatch", "courier", "bulletin", "inquirer",
        "examiner", "sentinel", "reporter", "newspaper", "newspapers", "magazine", "radio",
        "tv", "television", "broadcasting", "broadcaster", "wire", "wires", "press", "newswire",
        "daily", "weekly", "express", "statesman", "gazeta", "zeitung", "today", "newsroom",
        "pravda", "izvestia",
    }
)  # fmt: skip

# Words that make an outlet only together with a news word before them.
_QUALIFIED_WORDS: Final = frozenset(
    {"agency", "network", "service", "media", "group", "corporation"}
)
_NEWS_WORDS: Final = frozenset(
    {"news", "press", "media", "broadcasting", "telegraph", "wire", "radio"}
)
_TOKEN: Final = re.compile(r"[\w'’&.-]+")


# Brands whose name leads longer outlet names ("BBC Radio 4", "Reuters Breakingviews").
_BRAND_PREFIXES: Final = frozenset(
    {
        "reuters", "bloomberg", "bbc", "cnn", "cnbc", "msnbc", "nbc", "abc", "cbs", "npr",
        "pbs", "afp", "euronews", "xinhua", "tass", "dw", "itv", "nhk", "politico", "axios",
        "yonhap", "kyodo", "interfax", "ria", "sky", "espn",
    }
)  # fmt: skip


def is_known_outlet(name: str) -> bool:
    """Whether ``name`` is on the curated list; "The Sun" is, "Sun" is not."""
    key = " ".join(name.lower().replace("’", "'").split())
    return key in KNOWN_OUTLETS or (key.startswith("the ") and key[4:] in KNOWN_OUTLETS)


def looks_like_outlet(name: str) -> bool:
    """Whether ``name`` (a capitalised run of words) names a news outlet."""
    if is_known_outlet(name):
        return True
    words = [w.lower().strip(".") for w in _TOKEN.findall(name)]
    if words and words[0] == "the":
        words = words[1:]
    if not words:
        return False
    if len(words) >= 2 and words[-1] in OUTLET_WORDS:
        return True
    if words[-1] in _QUALIFIED_WORDS:
        return any(w in _NEWS_WORDS for w in words[:-1])
    return words[0] in _BRAND_PREFIXES and len(words) <= 3
