"""bench.e2e refuses counts and rates it cannot run with, before starting anything, and stops
waiting as soon as a service it started has died."""

from __future__ import annotations

import subprocess
import sys

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


def _service(name: str, code: str) -> e2e.Service:
    process = subprocess.Popen([sys.executable, "-c", code])
    return e2e.Service(name, process, "http://127.0.0.1:1/readyz")


def test_waiting_fails_at_once_when_a_service_has_exited() -> None:
    running = _service("store", "import time; time.sleep(30)")
    crashed = _service("parser", "raise SystemExit(134)")
    try:
        crashed.process.wait(30)
        e2e.ensure_running([running])  # alive: nothing to say
        with pytest.raises(RuntimeError, match="parser exited with code 134"):
            e2e.ensure_running([running, crashed])
    finally:
        running.process.kill()
        running.process.wait(30)


def test_the_goals_are_issue_22s_with_the_store_s_own_ratio() -> None:
    rss = {"ingest": 221.0, "parser": 420.0, "dedup": 280.0, "store": 355.0}
    goals = e2e.goals_of(0.065, 535.0, 2.02, rss, "SQLite")
    assert {key: goal["met"] for key, goal in goals.items()} == {
        "ratio_to_bare": False,
        "p99_ms": False,
        "cpu_ms_per_article": False,
        "peak_rss_mb": True,
    }
    assert goals["peak_rss_mb"]["value"] == 420.0
    lines = e2e.goal_lines(goals)
    assert lines[0] == "goal plain text >= 0.09x the bare baseline: 0.065x -> NOT MET"
    assert lines[3] == "goal peak RSS <= 512 MB for every service: 420 MB -> MET"
    on_postgresql = e2e.goals_of(0.08, 150.0, 1.3, {"parser": 530.0}, "PostgreSQL")
    assert {key: goal["met"] for key, goal in on_postgresql.items()} == {
        "ratio_to_bare": True,
        "p99_ms": True,
        "cpu_ms_per_article": True,
        "peak_rss_mb": False,
    }
