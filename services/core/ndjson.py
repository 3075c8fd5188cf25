"""Line-delimited JSON (NDJSON, JSON Lines) into its records: the one framing rule every reader
of such input in the project follows.

Records are separated by ``\\n`` alone; a ``\\r`` before it is dropped (CRLF files). Nothing else
ends a record: U+2028, U+2029, U+0085, ``\\v``, ``\\f`` and ``\\x1c``-``\\x1e`` may stand raw
inside JSON strings, so ``str.splitlines`` would cut records apart. A line is blank when it
holds only JSON's own whitespace (space, tab, CR) and is skipped; any other line is a record,
even one of invisible characters only (it is then reported as not JSON, never dropped).
Line numbers are those of the input (1 for the first line), blank lines counted.

Pure: no I/O.
"""

from __future__ import annotations

from typing import NamedTuple

JSON_WHITESPACE = " \t\r"


class Line(NamedTuple):
    """One record of line-delimited input: its 1-based line number and its text."""

    number: int
    text: str


def records(text: str) -> list[Line]:
    """Every non-blank line of ``text``, in order, with its line number."""
    return [
        Line(number, line.removesuffix("\r"))
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip(JSON_WHITESPACE)
    ]
