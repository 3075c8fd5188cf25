"""Polling the services' health and metrics endpoints over HTTP (bounded timeouts)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from services.core import topology
from services.core.settings import ServiceName, Settings
from services.gateway.models import FailureOut
from services.gateway.samples import INGEST_COUNTERS, STAGE_COUNTERS, counter_totals
from services.gateway.status import Probe


def service_urls(settings: Settings) -> dict[ServiceName, str | None]:
    """Base URL of each stage's health endpoints (``None``: no fixed port to poll): a consumer
    stage's health port, the ingest's own HTTP port (or ``gateway_ingest_url``)."""
    urls: dict[ServiceName, str | None] = {}
    for stage in topology.FLOW:
        if stage.health_port_offset is None:
            urls[stage.name] = settings.gateway_ingest_url or settings.ingest_url
            continue
        port = settings.health_port(stage.name)
        urls[stage.name] = f"http://127.0.0.1:{port}" if port else None
    return urls


async def probe(client: httpx.AsyncClient, name: ServiceName, base: str | None) -> Probe:
    """``/readyz`` then ``/metrics`` of one service; a failure is a probe result, not an error."""
    now = time.time()
    if base is None:
        return Probe(name, None, now, False, False, detail="health port not configured")
    try:
        ready = await client.get(f"{base}/readyz")
    except httpx.HTTPError as error:
        return Probe(name, base, now, False, False, detail=f"unreachable: {type(error).__name__}")
    body = _json(ready)
    counters = await _counters(client, name, base)
    return Probe(
        name,
        base,
        now,
        reachable=True,
        ready=ready.status_code == 200,
        version=_text(body.get("version")),
        uptime_s=_number(body.get("uptime_s")),
        detail=_text(body.get("detail")) or _text(body.get("status")) or "",
        counters=counters,
        failures=_failures(body.get("failures")),
    )


def _failures(value: object) -> tuple[FailureOut, ...]:
    """The partitions a stage reports it stopped on (``/readyz`` of a failing stage)."""
    if not isinstance(value, list):
        return ()
    try:
        return tuple(FailureOut.model_validate(item) for item in value)
    except ValidationError:
        return (
            FailureOut(
                topic="?",
                partition=-1,
                offset=-1,
                error_class="?",
                error_message=f"unreadable failure report: {value!r}"[:500],
            ),
        )


async def probe_all(
    client: httpx.AsyncClient, urls: Mapping[ServiceName, str | None]
) -> list[Probe]:
    """Probe each service at its URL (see :func:`service_urls`)."""
    return list(await asyncio.gather(*(probe(client, name, url) for name, url in urls.items())))


async def _counters(
    client: httpx.AsyncClient, name: ServiceName, base: str
) -> dict[str, float] | None:
    names = INGEST_COUNTERS if name == "ingest" else STAGE_COUNTERS
    try:
        response = await client.get(f"{base}/metrics")
        response.raise_for_status()
        return counter_totals(response.text, names)
    except (httpx.HTTPError, ValueError):
        return None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
