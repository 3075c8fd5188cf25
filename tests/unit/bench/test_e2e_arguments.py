"""bench.e2e refuses counts and rates it cannot run with, before starting anything."""

from __future__ import annotations

import pytest

from bench import e2e


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--articles", "0"], "--articles must be at least 1, got 0"),
        (["--mix", "0"], "--mix must be at least 1, got 0"),
        (["--warmup", "-1"], "--warmup must be at least 0, got -1"),
        (["--latency-warmup", "-5"], "--latency-warmup must be at least 0, got -5.0"),
        (["--rate", "0"], "--rate must be more than 0, got 0.0"),
        (["--latency-seconds", "-1"], "--latency-seconds must be more than 0, got -1.0"),
        (["--rate", "nan"], "--rate must be more than 0, got nan"),
    ],
)
def test_bad_arguments_are_refused_with_the_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        e2e.main(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
