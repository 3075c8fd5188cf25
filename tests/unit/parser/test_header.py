"""The plain-text header reader: title, subtitle and authors, each line read once."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from services import parser
from services.parser import header

LINES = [
    "Big Storm Hits Coast",
    "Thousands without power as winds reach 120 km/h",
    "By Jane Doe",
    "March 19, 2025 9:19 AM EDT",
    "The storm arrived overnight.",
]


@pytest.fixture
def header_source() -> Iterator[ModuleType]:
    """The header module run from its source. Where the compiled build is in use
    (services.parser.native), a compiled module calls its own functions directly: one replaced
    on the module would never be called, and a test counting its calls could not fail."""
    name = "services.parser._header_source"
    source = Path(parser.__file__).with_name("header.py")  # (the package itself is not compiled)
    spec = importlib.util.spec_from_file_location(name, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (dataclasses look their module up while they are made)
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[name]


def test_header_reads_each_line_once(
    header_source: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    read_meta = header_source.read_meta

    def counting(line: str, day_first: bool | None = None) -> header.Meta | None:
        seen.append(line)
        meta: header.Meta | None = read_meta(line, day_first)
        return meta

    monkeypatch.setattr(header_source, "read_meta", counting)
    result = header_source.read_header(LINES)
    assert (result.title, result.subtitle, result.authors) == (LINES[0], LINES[1], ["Jane Doe"])
    assert seen  # the count below is the replaced function's
    assert len(seen) == len(set(seen))
