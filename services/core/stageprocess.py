"""A consumer stage process as its health endpoint and its announcements see it: its role
(active or standby), and while active, its runner."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Mapping

from services.core.health import Readiness
from services.core.lease import Lease
from services.core.models import HealthStatus, ProcessAnnounced
from services.core.presence import Identity, announcement_of
from services.core.runner import Stage, StageRunner
from services.core.settings import Settings
from services.core.standby import Standing


class StageProcess:
    """The checks a stage's health endpoint answers and what it announces, from one place."""

    def __init__(
        self, settings: Settings, identity: Identity, lease: Lease | None, health_url: str
    ) -> None:
        self._settings = settings
        self._identity = identity
        self._lease = lease
        self.health_url = health_url
        self.standing = Standing()
        self._runner: StageRunner | None = None

    async def consume(self, stage: Stage, until: asyncio.Event) -> None:
        """Run ``stage`` until ``until`` is set. The holder of a lease joins the consumer group
        as its one static member (``group.instance.id``): the group hands the next holder the
        partitions at once, instead of after the session timeout of a holder that died (a
        holder that lost its lease is fenced by the group, too)."""
        if self._lease is not None:
            stage = dataclasses.replace(stage, member=f"{stage.group_id}.leased")
        runner = StageRunner(self._settings, stage)
        self._runner = runner
        try:
            await runner.run(until)
        finally:
            self._runner = None

    def live(self) -> Readiness:
        runner = self._runner
        if runner is None:
            return True, self.standing.detail
        stalled = time.monotonic() - runner.last_loop_at
        return stalled < self._settings.stage_stall_limit_s, f"last poll {stalled:.1f}s ago"

    def ready(self) -> Readiness:
        """A standby is ready (it is doing its job: waiting); an active process once consuming."""
        if self.standing.role == "standby":
            return True, self.standing.detail
        runner = self._runner
        if runner is None or not runner.started:
            return False, "consumer starting"
        if failures := runner.failures:
            return False, "failing: " + "; ".join(f.describe() for f in failures)
        return runner.healthy, "consuming" if runner.healthy else "retrying a transient failure"

    def failing(self) -> list[dict[str, str | int | float]]:
        runner = self._runner
        return [] if runner is None else [failure.to_dict() for failure in runner.failures]

    @property
    def partitions(self) -> list[int]:
        runner = self._runner
        return [] if runner is None else runner.partitions

    def about(self) -> Mapping[str, object]:
        """What the health body adds: who this process is and what it holds."""
        return {
            "role": self.standing.role,
            "partitions": self.partitions,
            "instance": self._identity.instance,
            "host": self._identity.host,
            "pid": self._identity.pid,
            "lease": None if self._lease is None else self._lease.resource,
        }

    def announcement(self) -> ProcessAnnounced:
        ok, detail = self.ready()
        status: HealthStatus = "failing" if self.failing() else "ok" if ok else "unavailable"
        return announcement_of(
            self._identity,
            role=self.standing.role,
            status=status,
            detail=detail,
            partitions=self.partitions,
            health_url=self.health_url,
            lease=None if self._lease is None else self._lease.resource,
            interval_s=self._settings.process_heartbeat_s,
        )
