"""``newsflow status`` rendering and its error when the gateway is unreachable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rich.console import Console

from services.core.errors import ConfigurationError
from services.gateway.console import fetch_status, render
from services.gateway.models import (
    Dependency,
    DlqStatus,
    ServiceStatus,
    StageStatus,
    StatusSnapshot,
    Totals,
)
from tests.support.ports import free_port

NOW = datetime(2025, 3, 1, tzinfo=UTC)


def test_render_shows_services_lag_and_totals() -> None:
    status = StatusSnapshot(
        generated_at=NOW,
        broker=Dependency(ok=True, detail="127.0.0.1:9092"),
        database=Dependency(ok=False, detail="no file yet"),
        services=[ServiceStatus(name="parser", status="down", version="0.1.0", last_seen=NOW)],
        stages=[StageStatus(name="parser", group="g", topic="articles.raw.v1", lag=42)],
        dlq=DlqStatus(topic="articles.dlq.v1", depth=3),
        totals=Totals(accepted=50, stored=8),
        freshness=[],
        throughput=[],
    )
    console = Console(record=True, width=140)
    console.print(render(status))
    text = console.export_text()
    assert "parser" in text and "down" in text and "42" in text and "no file yet" in text
    assert "50" in text and "in the DLQ" in text


def test_an_unreachable_gateway_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="cannot get the status from the gateway"):
        fetch_status(f"http://127.0.0.1:{free_port()}", timeout_s=2)
