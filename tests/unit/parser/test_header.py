"""The plain-text header reader: title, subtitle and authors, each line read once."""

from __future__ import annotations

import pytest

from services.parser import header


def test_header_reads_each_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    read_meta = header.read_meta

    def counting(line: str, day_first: bool | None = None) -> header.Meta | None:
        seen.append(line)
        return read_meta(line, day_first)

    monkeypatch.setattr(header, "read_meta", counting)
    lines = [
        "Big Storm Hits Coast",
        "Thousands without power as winds reach 120 km/h",
        "By Jane Doe",
        "March 19, 2025 9:19 AM EDT",
        "The storm arrived overnight.",
    ]
    result = header.read_header(lines)
    assert (result.title, result.subtitle, result.authors) == (lines[0], lines[1], ["Jane Doe"])
    assert len(seen) == len(set(seen))
