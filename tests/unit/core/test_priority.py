"""CPU priority of the stages: niceness per stage, and lowering it for every thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from services.core.priority import MAX_NICE, lower_priority, stage_niceness

ROOT = Path(__file__).resolve().parents[3]


def test_stages_nearer_the_sink_run_at_higher_priority() -> None:
    assert [stage_niceness(s, 3) for s in ("parser", "dedup", "store")] == [6, 3, 0]
    assert stage_niceness("ingest", 3) == 0
    assert stage_niceness("gateway", 3) == 0
    assert [stage_niceness(s, 0) for s in ("parser", "dedup", "store")] == [0, 0, 0]


def test_niceness_is_capped_at_the_lowest_priority() -> None:
    assert stage_niceness("parser", 9) == 18
    assert stage_niceness("parser", 12) == MAX_NICE


def test_a_negative_step_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 0"):
        stage_niceness("parser", -1)


def test_raising_priority_is_refused() -> None:
    with pytest.raises(ValueError, match="only be lowered"):
        lower_priority(-1)


def test_lowering_by_zero_changes_nothing() -> None:
    before = os.getpriority(os.PRIO_PROCESS, 0)
    assert lower_priority(0) == before
    assert os.getpriority(os.PRIO_PROCESS, 0) == before


_CHILD = textwrap.dedent(
    """
    import json, os, sys, threading
    from pathlib import Path
    from services.core.priority import lower_priority

    def nice_of_every_thread():
        return sorted(
            {os.getpriority(os.PRIO_PROCESS, int(t.name)) for t in Path("/proc/self/task").iterdir()}
        )

    release = threading.Event()
    early = threading.Thread(target=release.wait)  # started before, as libraries do at import
    early.start()
    base = os.getpriority(os.PRIO_PROCESS, 0)
    now = lower_priority(int(sys.argv[1]))
    late = threading.Thread(target=release.wait)
    late.start()
    seen = nice_of_every_thread()
    release.set()
    early.join()
    late.join()
    print(json.dumps({"base": base, "now": now, "threads": seen}))
    """
)


def _in_child(by: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(by)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_every_thread_is_lowered_and_new_threads_inherit_it() -> None:
    result = _in_child(3)
    base = result["base"]
    assert isinstance(base, int)
    expected = min(base + 3, MAX_NICE)
    assert result["now"] == expected
    assert result["threads"] == [expected]  # the early thread, the main one and the late one


def test_lowering_stops_at_the_lowest_priority() -> None:
    result = _in_child(40)
    assert result["now"] == MAX_NICE
    assert result["threads"] == [MAX_NICE]
