"""The metrics of the html-metadata-dev set, exactly as its README gives them.

Body: trafilatura's snippet metric (pooled counts over pages). Date: htmldate's metric (the
system's date cut to the day in its own offset, compared as a string). Title and author: exact
match after one normalisation (NFKC, quotes and dashes folded, case-folded, whitespace squashed,
``space . : | - " '`` stripped from both ends); authors as sets of normalised names.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from trafilatura.utils import decode_file

DATA = Path(__file__).resolve().parents[1] / "data" / "html-metadata-dev"
_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'}
    | {"–": "-", "—": "-", "\u00a0": " "}
)
_EDGES = " .:|-\"'"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Row:
    page: str
    dataset: str
    url: str
    with_: tuple[str, ...]
    without: tuple[str, ...]
    title: str | None
    author: tuple[str, ...] | None
    date: str | None


def load_rows() -> list[Row]:
    rows = []
    for line in (DATA / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        item: dict[str, Any] = json.loads(line)
        author = item.get("author")
        rows.append(
            Row(
                page=item["page"],
                dataset=item["dataset"],
                url=item["url"],
                with_=tuple(item.get("with") or ()),
                without=tuple(item.get("without") or ()),
                title=item.get("title"),
                author=None if author is None else tuple(author),
                date=item.get("date"),
            )
        )
    return rows


def load_page(name: str) -> str:
    """The page decoded as the evaluation decodes it."""
    text: str = decode_file(gzip.decompress((DATA / "pages" / name).read_bytes()))
    return text


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _SPACE.sub(" ", folded).strip().strip(_EDGES)


def day_of(value: datetime | date | str | None) -> str | None:
    """The date cut to the day: a datetime in its own offset, a string by its first ten chars."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, str) and _DAY.match(value):
        return value[:10]
    return None


@dataclass(frozen=True, slots=True)
class Counts:
    """Correct, wrong and missing answers over the rows counted."""

    correct: int = 0
    wrong: int = 0
    none: int = 0

    @property
    def rows(self) -> int:
        return self.correct + self.wrong + self.none

    @property
    def accuracy(self) -> float:
        return self.correct / self.rows if self.rows else 0.0


def date_counts(pairs: Iterable[tuple[str | None, str | None]]) -> Counts:
    """(label, system day) pairs: equal is correct, different wrong, no system date none."""
    correct = wrong = none = 0
    for label, found in pairs:
        if found is None:
            none += 1
        elif found == label:
            correct += 1
        else:
            wrong += 1
    return Counts(correct, wrong, none)


def title_exact(label: str, found: str | None) -> bool:
    mine = normalise(found or "")
    return bool(mine) and mine == normalise(label)


def author_names(names: Sequence[str]) -> frozenset[str]:
    return frozenset(n for name in names if (n := normalise(name)))


def authors_exact(label: Sequence[str], found: Sequence[str]) -> bool:
    return author_names(label) == author_names(found)


@dataclass(frozen=True, slots=True)
class SnippetScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __add__(self, other: SnippetScore) -> SnippetScore:
        return SnippetScore(
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn
        )

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


def snippet_score(body: str, with_: Sequence[str], without: Sequence[str]) -> SnippetScore:
    text = _SPACE.sub(" ", body).strip()
    found = [_SPACE.sub(" ", s).strip() in text for s in with_]
    leaked = [_SPACE.sub(" ", s).strip() in text for s in without]
    return SnippetScore(
        tp=sum(found), fn=len(found) - sum(found), fp=sum(leaked), tn=len(leaked) - sum(leaked)
    )
