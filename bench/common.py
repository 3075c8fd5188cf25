"""Helpers shared by the benchmarks: timing statistics, tables, CPU accounting, results."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import shlex
import socket
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
DATA_DIR = ROOT / "tests" / "data"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def command_line() -> str:
    """The exact command that ran this benchmark, ready to paste."""
    executable = os.path.relpath(sys.executable, ROOT) if sys.executable else "python"
    module = Path(sys.argv[0]).resolve()
    try:
        target = ["-m", ".".join(module.relative_to(ROOT).with_suffix("").parts)]
    except ValueError:
        target = [sys.argv[0]]
    return shlex.join([executable, *target, *sys.argv[1:]])


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Summary:
    """Several measurements of one rate: best and median (higher is better)."""

    values: tuple[float, ...]

    @property
    def best(self) -> float:
        return max(self.values) if self.values else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"best": self.best, "median": self.median, "runs": list(self.values)}


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline > 0 else 0.0


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers], *[[_cell(value) for value in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [
            value.ljust(widths[i]) if i == 0 else value.rjust(widths[i])
            for i, value in enumerate(row)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _cpu_ticks(stat: Path) -> int:
    """User + system clock ticks from a ``/proc/.../stat`` file (after the command's ``)``)."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far (0.0 if it is gone)."""
    try:
        return _cpu_ticks(Path(f"/proc/{pid}/stat")) / CLOCK_TICKS
    except OSError:
        return 0.0


def thread_cpu_s(pid: int, prefix: str | tuple[str, ...]) -> float:
    """CPU seconds used so far by the threads of a process whose name starts with ``prefix``
    (one of them, if a tuple)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            if task.joinpath("comm").read_text().startswith(prefix):
                total += _cpu_ticks(task / "stat")
        except OSError:
            continue
    return total / CLOCK_TICKS


def self_cpu_s() -> float:
    times = os.times()
    return times.user + times.system


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": [round(value, 2) for value in load],
    }


def write_result(name: str, data: dict[str, Any]) -> Path:
    """Write ``bench/results/<name>.json`` (the folder is gitignored) and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    payload = {
        "bench": name,
        "finished_at": datetime.now(UTC).isoformat(),
        "command": command_line(),
        "machine": machine(),
        **data,
    }
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path


class Deadline:
    """A wall-clock bound for a whole run: every loop checks it."""

    def __init__(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds

    def left(self) -> float:
        return self.until - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0


_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Status and body of one HTTP/1.1 response with a Content-Length (a lean client's read:
    the load generators must cost the machine little, it is the system under test's)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = _CONTENT_LENGTH.search(head)
    body = await reader.readexactly(int(length[1])) if length else b""
    return int(head[9:12]), body
