"""``newsflow status``: the gateway's ``/v1/status`` as tables in a terminal."""

from __future__ import annotations

from typing import Any

import httpx
from rich.console import Group
from rich.table import Table

from services.core.errors import ConfigurationError
from services.gateway.models import StatusSnapshot

STYLE = {"up": "green", "down": "red", "failing": "red", "unready": "yellow", "unknown": "yellow"}


def fetch_status(base_url: str, timeout_s: float = 5.0) -> StatusSnapshot:
    """The gateway's status; a clear :class:`ConfigurationError` when it cannot be reached."""
    try:
        response = httpx.get(f"{base_url}/v1/status", timeout=timeout_s)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise ConfigurationError(
            f"cannot get the status from the gateway at {base_url} ({error}); "
            "is it running? (`newsflow run` or `python -m services.gateway`)"
        ) from error
    return StatusSnapshot.model_validate_json(response.content)


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def services_table(status: StatusSnapshot) -> Table:
    table = Table(title="services", title_justify="left")
    for column in ("service", "status", "version", "last seen", "in/min", "out/min", "err/min"):
        table.add_column(column, justify="right" if "/" in column else "left")
    for s in status.services:
        seen = s.last_seen.strftime("%H:%M:%S") if s.last_seen else "never"
        m = s.last_minute
        table.add_row(
            s.name,
            f"[{STYLE[s.status]}]{s.status}[/]",
            s.version or "–",
            seen,
            _n(m.records_in),
            _n(m.records_out),
            _n(m.errors),
        )
    return table


def processes_table(status: StatusSnapshot) -> Table:
    table = Table(title="processes", title_justify="left")
    for column in ("service", "role", "status", "host", "pid", "partitions", "last seen"):
        table.add_column(column, justify="right" if column == "pid" else "left")
    for p in status.processes:
        table.add_row(
            p.service,
            p.role,
            f"[{STYLE[p.status]}]{p.status}[/]",
            p.host,
            str(p.pid),
            ", ".join(map(str, p.partitions)) or "–",
            p.last_seen.strftime("%H:%M:%S"),
        )
    return table


def lag_table(status: StatusSnapshot) -> Table:
    table = Table(title="consumer lag", title_justify="left")
    for column in ("stage", "topic", "lag", "partitions"):
        table.add_column(column, justify="right" if column == "lag" else "left")
    for st in status.stages:
        lag = "–" if st.lag is None else f"{st.lag:,}{'' if st.exact else ' (≤)'}"
        parts = " ".join(f"p{p.partition}:{p.lag}" for p in st.partitions)
        table.add_row(st.name, st.topic, lag, parts)
    return table


def totals_table(status: StatusSnapshot) -> Table:
    table = Table(title="totals", title_justify="left")
    t = status.totals
    rows: list[tuple[str, Any]] = [
        ("accepted", t.accepted),
        ("parsed", t.parsed),
        ("stored", t.stored),
        ("duplicates", t.duplicates),
        ("in the DLQ", status.dlq.depth),
    ]
    for name, _ in rows:
        table.add_column(name, justify="right")
    table.add_row(*(_n(value) for _, value in rows))
    return table


def render(status: StatusSnapshot) -> Group:
    """Everything ``newsflow status`` prints."""
    broker = "[green]reachable[/]" if status.broker.ok else f"[red]down[/] ({status.broker.detail})"
    database = (
        "[green]readable[/]"
        if status.database.ok
        else f"[red]unavailable[/] ({status.database.detail})"
    )
    header = f"broker: {broker}   database: {database}"
    return Group(
        header,
        services_table(status),
        processes_table(status),
        lag_table(status),
        totals_table(status),
    )
