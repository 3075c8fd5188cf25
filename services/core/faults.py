"""Crash points for fault tests: a process told to crash at a named point kills itself with
SIGKILL there, exactly as an operator's ``kill -9`` would, so tests can hit the narrowest window
(for instance between a database write and the Kafka commit) every time.

Off unless ``NEWSFLOW_FAULT_CRASH_AT`` names the point.
"""

from __future__ import annotations

import os
import signal

from services.core.logs import get_logger

log = get_logger(__name__)


def crash_point(name: str, armed: str | None) -> None:
    """SIGKILL this process if ``armed`` names this point."""
    if armed is not None and armed == name:
        log.warning("fault_crash_point_reached", point=name)
        os.kill(os.getpid(), signal.SIGKILL)
