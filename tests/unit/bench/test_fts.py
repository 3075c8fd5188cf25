"""bench/fts.py refuses sizes it cannot run with, before generating anything."""

from __future__ import annotations

import pytest

from bench import fts


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--articles", "0"], "--articles must be at least 1, got 0"),
        (["--batch", "-2"], "--batch must be at least 1, got -2"),
        (["--small", "2"], "--small must be at least 3, got 2"),
    ],
)
def test_bad_sizes_are_refused_with_the_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        fts.main(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
