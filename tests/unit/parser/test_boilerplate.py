"""Boilerplate lines: the rights notice check gives the answer of the one pattern it was split from."""

from __future__ import annotations

import re

import pytest

from services.parser import boilerplate

# The single pattern _WHOLE_LINE and _RIGHTS_RESERVED were split from.
_WHOLE_LINE = re.compile(
    boilerplate._WHOLE_LINE.pattern[:-1] + "|" + boilerplate._RIGHTS_RESERVED.pattern + ")",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "line",
    [
        "All rights reserved.",
        "© 2024 Example Media. All Rights Reserved",
        "Copyright Example Media, ALL RIGHTS RESERVED!",
        "Example Media. All rights reſerved",
        "Some text that ends in reserved",
        "all rights reserved and more",
        "x" * 101 + "all rights reserved",
        "Trending Now",
        "Advertisement",
        "He said",
    ],
)
def test_boilerplate_rights_notice_as_in_one_pattern(line: str) -> None:
    core = line.strip().strip(boilerplate._EDGES).rstrip(".!…")
    assert boilerplate.is_boilerplate(line) == bool(_WHOLE_LINE.fullmatch(core))
