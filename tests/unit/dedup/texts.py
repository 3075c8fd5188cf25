"""Deterministic synthetic articles for the dedup tests."""

import random

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
