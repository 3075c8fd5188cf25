"""Generated line-delimited JSON for the framing property tests: records whose strings carry
every character ``str.splitlines`` breaks at, written with LF or CRLF, blank lines between them
and with or without a final newline. Shared by the unit and integration tests."""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from hypothesis import strategies as st

# Every character besides \n and \r at which ``str.splitlines`` breaks. JSON allows U+2028,
# U+2029 and U+0085 raw inside strings (encoders, orjson and ``jq -c`` too, write them so); the
# control characters among them must be escaped, so they come raw only in lines that are not
# JSON, which must still give one result each.
SEPARATORS = ("\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
BLANKS = ("", " ", "\t", "  \t ", "\r")  # JSON's own whitespace

texts = st.text(st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(SEPARATORS)))


@dataclass(frozen=True)
class Record:
    """One non-blank input line: an article, or (``article`` None) a line that is not JSON."""

    line: int  # its 1-based line number in the input
    article: dict[str, str] | None


@dataclass(frozen=True)
class Case:
    body: str
    records: list[Record]

    @property
    def contents(self) -> list[str | None]:
        return [r.article["content"] if r.article else None for r in self.records]


@st.composite
def cases(draw: st.DrawFn, max_records: int = 12, ids: str | None = None) -> Case:
    """An NDJSON body of 1..max_records lines: articles (each ``content`` unique, never blank;
    with ``ids``, each with the ``id`` ids + its index) and, now and then, a line that is not
    JSON because a raw separator stands in its string."""
    count = draw(st.integers(min_value=1, max_value=max_records))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out: list[str] = []
    records: list[Record] = []
    for index in range(count):
        out += draw(st.lists(st.sampled_from(BLANKS), max_size=2))
        separator = draw(st.sampled_from(SEPARATORS))
        if draw(st.integers(0, 4)) == 0:
            records.append(Record(len(out) + 1, None))
            out.append(f'{{"content": "raw {draw(st.sampled_from(SEPARATORS[3:]))} {index}"}}')
            continue
        article = {"content": f"article {index} {separator} {draw(texts)}", "title": draw(texts)}
        if ids is not None:
            article["id"] = f"{ids}{index}"
        records.append(Record(len(out) + 1, article))
        out.append(orjson.dumps(article).decode())
    out += draw(st.lists(st.sampled_from(BLANKS), max_size=2))
    body = newline.join(out) + (newline if draw(st.booleans()) else "")
    return Case(body, records)
