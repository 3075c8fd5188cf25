"""CPU priority of the consumer stages: the stage nearest the sink is served first.

When the stages share cores (one machine, as ``newsflow run`` starts them), an equal share lets
the parser, which has the whole backlog in front of it, run ahead of the store: articles then
pile up half-processed between stages, and at the end of a backfill the store works alone while
the other cores idle. Each stage instead runs ``priority_step`` nice levels below the stage
after it (store 0, dedup one step, parser two), so a backlog waits in Kafka at the head of the
flow and the store falls behind less (see README: a backfill ends sooner). Nice only weighs
shares of contended CPU: a lower-priority stage is slowed, never starved, and an idle machine
runs every stage at full speed.
"""

from __future__ import annotations

import os
from pathlib import Path

from services.core.topology import ServiceName, steps_to_sink

_TASKS = Path("/proc/self/task")
MAX_NICE = 19


def stage_niceness(service: ServiceName, step: int) -> int:
    """How many nice levels ``service`` runs below normal: ``step`` per stage between it and the
    sink (0 for the store, and for services that are not consumer stages)."""
    if step < 0:
        raise ValueError(f"priority step must be at least 0, got {step}")
    return min(steps_to_sink(service) * step, MAX_NICE)


def lower_priority(by: int) -> int:
    """Lower this process's CPU priority by ``by`` nice levels (every thread it has now; threads
    started later inherit it); returns the new nice value of the calling thread.

    Linux keeps a nice value per thread, so each of ``/proc/self/task`` is set (libraries may
    have started threads at import); elsewhere ``setpriority`` sets the whole process.
    """
    if by < 0:
        raise ValueError(f"a priority can only be lowered here, not raised by {-by}")
    current = os.getpriority(os.PRIO_PROCESS, 0)
    target = min(current + by, MAX_NICE)
    if by == 0 or target == current:
        return current
    tasks = [int(task.name) for task in _TASKS.iterdir()] if _TASKS.is_dir() else [0]
    for task in tasks:
        try:
            os.setpriority(os.PRIO_PROCESS, task, target)
        except ProcessLookupError:
            continue  # a thread that ended meanwhile
    return os.getpriority(os.PRIO_PROCESS, 0)
