"""Deterministic synthetic articles for the dedup tests."""

import json
import random
from pathlib import Path

import numpy as np

from services.core import ndjson
from services.dedup.fingerprint import Fingerprint, analyse

_WORDS = [
    "council",
    "mayor",
    "river",
    "bridge",
    "budget",
    "school",
    "league",
    "coach",
    "season",
    "vote",
    "senator",
    "court",
    "judge",
    "harbor",
    "storm",
    "rescue",
    "museum",
    "festival",
    "market",
    "tariff",
    "factory",
    "workers",
    "union",
    "strike",
    "police",
    "report",
    "hospital",
    "doctor",
    "patient",
    "vaccine",
    "climate",
    "drought",
    "farmers",
    "harvest",
    "railway",
    "station",
    "airport",
    "flight",
    "delay",
    "concert",
    "album",
    "singer",
    "film",
    "director",
    "award",
    "election",
    "campaign",
    "poll",
    "minister",
    "policy",
    "reform",
    "tax",
    "pension",
    "bank",
    "rates",
    "inflation",
    "housing",
    "rent",
    "tenants",
    "landlord",
    "village",
    "county",
    "province",
    "coast",
    "island",
    "mountain",
    "forest",
    "wildlife",
    "park",
    "trail",
    "ranger",
]

FOOTER = (
    "About us: Example Media Group is an independent news organisation covering politics, "
    "business, technology, science, culture and sport across the region and around the world. "
    "Our journalists follow a strict editorial code and we correct errors promptly. Subscribers "
    "get unlimited access to all articles, the daily print replica, puzzles, newsletters and "
    "exclusive events. Cancel anytime. Terms and conditions apply. Reproduction of this material "
    "in whole or in part without written permission is prohibited. We use cookies to improve "
    "your experience; by continuing to browse you agree to our privacy and cookie policy."
)


def story(seed: int, paragraphs: int = 5, words: int = 40) -> str:
    rng = random.Random(seed)
    paras = []
    for _ in range(paragraphs):
        sentence = " ".join(rng.choice(_WORDS) for _ in range(words))
        paras.append(sentence.capitalize() + ".")
    return "\n\n".join(paras)


def edit(text: str, seed: int, rate: float = 0.05) -> str:
    rng = random.Random(seed)
    out = []
    for word in text.split(" "):
        roll = rng.random()
        if roll < rate / 2:
            continue
        out.append(word)
        if roll > 1 - rate / 2:
            out.append(rng.choice(_WORDS))
    return " ".join(out)


def wrap(text: str) -> str:
    return f"Most Read\n\n{text}\n\nShare this article\n\nSign up for our daily newsletter."


def truncate(text: str, share: float = 0.6) -> str:
    words = text.split(" ")
    return " ".join(words[: int(len(words) * share)])


NEARDUP = Path(__file__).parents[2] / "data" / "neardup" / "neardup-dev.jsonl"

TEXTS = [
    "",
    "...",
    "\n\n",
    "word",
    "Hello, World!\nSecond line here.",
    "no newline at the end",
    "trailing newline\n",
    "CRLF\r\nlines\r\nand\ttabs",
    "a" * 8 + " " + "a" * 9 + " " + "b" * 16 + " " + "c" * 17 + " " + "d" * 64 + " " + "e" * 65,
    "x" * 200,
    "é" * 40 + " " + "ж" * 33 + " " + "中" * 22 + " " + "🙂" * 17,
    "Rock 'n' Roll — “live” tonight… at 9\u00a0pm",
    'ROCK ’N’ ROLL - "LIVE"   TONIGHT',
    "Straße STRASSE straße ẞ",
    "Ünïcödé ÀÉÎÕÜ àéîõü Ωμέγα ΣΊΣΥΦΟΣ ς",
    "Наши герои знают толк\nНЕ ТОЛЬКО во вкусе, Ёлка",
    "ﬁle ﬂow ½ ¾ ① ⑵ ™ ℌ ｆｕｌｌ ｗｉｄｔｈ",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 ﺍﻟﻌﺮﺑﻴﺔ \u064b\u064e",
    "combining: e\u0301 a\u0308 o\u0302\u0323 and precomposed é ä ộ",
    "Hangul: 한국어 \u1100\u1161\u11a8 \u3131\u314f",
    "Indic: \u0b47\u0b3e \u0d46\u0d3e க\u0bcd\u0bb7",
    "mixed\nsafe line\nline with ½ inside\nanother safe line\nÉcole",
    "emoji 👍🏽 flags 🇫🇷 zwj 👨\u200d👩\u200d👧 vs\ufe0f",
    "math 𝐀𝐁𝐂 𝟏𝟐 fraktur 𝔄",
    "dashes ‐‑‒–—― ellipsis … bullets • ‣ primes ′ ″",
    "ideographic\u3000space、comma。stop「quote」",
    "fullwidth ＡＢＣ！＂＃ halfwidth ｶﾀｶﾅ",
    "no-break\u00a0space\u2009thin\u202fnarrow\u2060joiner",
    "tab\u0085nel\u2028line\u2029para",
    "ǅungla ǈ ǋ ﬀ ﬃ ŉ İstanbul ı",
    "Kelvin \u212a Ångström \u212b Ohm \u2126",
    "Mit\u00adtel\u00adal\u00adter zero\u200bwidth\u2060joined \ufeffbom fa\u200cce\u200dt",
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0915\u094d\u200d\u0937 \u1828\u180e\u1820",
]
ALPHABET = (
    "aZ09 .,;'\n\t-éÉßẞжЖΣσς中한ㄱ\u1100\u1161\u0301\u0308½①ﬁｆＡ…—“”\u00a0\u3000🙂𝐀ﺍ\u0b3e\u200d"
    "\u00ad\u200b\u2060\ufeff\u200c\u2028\u2029\x85\u180e\u0645\u0915\u094d"
)


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 120))) for _ in range(count)]


def neardup_texts() -> list[str]:
    return [json.loads(line.text)["text"] for line in ndjson.records(NEARDUP.read_text("utf-8"))]


def plain_fingerprint(text: str) -> Fingerprint:
    """The fingerprint of ``text`` with nothing learned as boilerplate."""
    empty = np.zeros(0, dtype=np.uint64)
    return analyse(
        text, promoted_blocks=empty, boilerplate_shingles=empty, shingle_size=5, lede_size=24
    )[2]
