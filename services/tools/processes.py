"""Service processes: ``python -m services.<name>`` started with given settings, its output
captured or inherited, waited on until its health endpoint answers ready, and stopped by its PID
(SIGTERM, then SIGKILL after a grace period). The launcher, the tests and the benchmarks all start
services through this module."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import httpx

from services.core.settings import CONSUMER_SERVICES, Settings

# Variables a parent's environment may hold that would override the settings given to a child.
_SETTING_PREFIX = "NEWSFLOW_"
_SETTING_ALIASES = ("KAFKA_BOOTSTRAP_SERVERS",)


class ServiceExitedError(RuntimeError):
    """A service process exited while it was expected to run (or become ready)."""


class ServiceNotReadyError(RuntimeError):
    """A service process did not answer ready within its deadline."""


def environment(settings: Settings, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment with every setting replaced by ``settings`` (so the child reads
    back equal settings), then ``extra`` (variables that are not settings, or overrides)."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(_SETTING_PREFIX) and name not in _SETTING_ALIASES
    }
    return {**inherited, **settings.to_env(), **(extra or {})}


def ready_url(settings: Settings, name: str) -> str | None:
    """Where service ``name`` answers ``/readyz`` under ``settings`` (None: not known ahead, a
    consumer stage on a health port picked at start)."""
    if name == "ingest":
        return f"{settings.ingest_url}/readyz"
    if name == "gateway":
        return f"{settings.gateway_url}/readyz"
    if name in CONSUMER_SERVICES and settings.health_port_base:
        return (
            f"http://127.0.0.1:{settings.health_port_base + CONSUMER_SERVICES.index(name)}/readyz"
        )
    return None


@dataclass
class ServiceProcess:
    """One started service process, ended only by its own PID."""

    name: str
    process: subprocess.Popen[bytes]
    ready_url: str | None = None
    log_path: Path | None = None

    @classmethod
    def start(
        cls,
        name: str,
        settings: Settings,
        *,
        module: str | None = None,
        command: Sequence[str] | None = None,
        extra_env: Mapping[str, str] | None = None,
        log_path: Path | None = None,
        cwd: Path | None = None,
        own_group: bool = False,
        ready: str | None = None,
    ) -> Self:
        """Start ``python -m services.<name>`` (or ``module``, or a whole ``command``) with
        ``settings``. Its output goes to ``log_path`` when given (else to this process's);
        ``own_group`` puts it in its own process group, so a Ctrl-C of the terminal reaches only
        the caller, which ends it by PID. (Not its own session: where the kernel groups CPU time
        by session (autogroup), a process alone in one would cancel the stages' relative
        priorities, ``services.core.priority``.) ``ready`` is where it answers ``/readyz`` when
        that is not the service's own (see :func:`ready_url`)."""
        argv = list(command or [sys.executable, "-m", module or f"services.{name}"])
        env = environment(settings, extra_env)
        group = 0 if own_group else None
        if log_path is None:
            process = subprocess.Popen(
                argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, process_group=group
            )
        else:
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    argv,
                    cwd=cwd,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    process_group=group,
                )
        return cls(name, process, ready or ready_url(settings, name), log_path)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def exit_code(self) -> int | None:
        """The exit code, or None while it runs."""
        return self.process.poll()

    def _exited(self, code: int) -> ServiceExitedError:
        where = f"; see {self.log_path}" if self.log_path else ""
        return ServiceExitedError(f"{self.name} (pid {self.pid}) exited with {code}{where}")

    async def is_ready(self, client: httpx.AsyncClient) -> bool:
        """One look at ``/readyz``: True on 200. Raises if the process has exited."""
        code = self.exit_code
        if code is not None:
            raise self._exited(code)
        if self.ready_url is None:
            raise ValueError(f"{self.name} has no known health endpoint")
        with contextlib.suppress(httpx.HTTPError):
            return (await client.get(self.ready_url)).status_code == 200
        return False

    async def wait_ready(self, timeout_s: float, poll_s: float = 0.2) -> None:
        """Wait until ``/readyz`` answers 200; raise if the process exits or time runs out."""
        deadline = time.monotonic() + timeout_s
        async with httpx.AsyncClient(timeout=2) as client:
            while not await self.is_ready(client):
                if time.monotonic() >= deadline:
                    where = f"; see {self.log_path}" if self.log_path else ""
                    raise ServiceNotReadyError(
                        f"{self.name} (pid {self.pid}) not ready within {timeout_s:.0f}s{where}"
                    )
                await asyncio.sleep(poll_s)

    def ensure_running(self) -> None:
        """Raise if the process has exited."""
        code = self.exit_code
        if code is not None:
            raise self._exited(code)

    def terminate(self) -> None:
        """SIGCONT (a stopped process would not act on SIGTERM) then SIGTERM, if it runs."""
        if self.exit_code is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGCONT)
                os.kill(self.pid, signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL, if it runs."""
        if self.exit_code is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def reap(self, grace_s: float, kill_wait_s: float = 10.0) -> int | None:
        """Wait ``grace_s`` for the process to exit; SIGKILL it if it has not. Returns its exit
        code, or None when it had to be killed."""
        try:
            return self.process.wait(max(0.0, grace_s))
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait(kill_wait_s)
            return None

    def stop(self, grace_s: float) -> int | None:
        """SIGTERM, then SIGKILL after ``grace_s``: exactly this process, nothing else."""
        self.terminate()
        return self.reap(grace_s)

    async def wait(self, timeout_s: float | None = None, poll_s: float = 0.1) -> int:
        """Wait (without blocking the event loop) until the process exits; its exit code.
        Raises ``TimeoutError`` after ``timeout_s``."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while (code := self.exit_code) is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"{self.name} (pid {self.pid}) still running")
            await asyncio.sleep(poll_s)
        return code

    async def stop_async(self, grace_s: float) -> int | None:
        """:meth:`stop` without blocking the event loop."""
        self.terminate()
        try:
            return await self.wait(grace_s)
        except TimeoutError:
            self.kill()
            await self.wait()
            return None
