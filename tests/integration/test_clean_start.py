"""A clean start on a fresh broker logs no error-level line.

While a fresh broker's group coordinator comes up (``__consumer_offsets`` is created on the first
group lookup), aiokafka logs the lookups it retries at error level
(``GroupCoordinatorNotAvailableError``). Those are retried failures, not errors: a stage started
with the broker must write warnings at most, while still reporting a real error as one.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from services.core.records import OutgoingRecord
from services.core.settings import Settings
from services.tools.processes import ServiceProcess
from tests.integration.flow import create_topics, produce, read_committed
from tests.integration.pipeline import ROOT
from tests.integration.servers import private_broker


def stage_process(broker: Settings, prefix: str, data_dir: Path) -> ServiceProcess:
    """The echo stage on ``broker``, logging JSON at INFO to ``stage.log`` beside its data."""
    child = Settings().model_copy(
        update={
            "kafka_bootstrap_servers": broker.bootstrap_servers,
            "topic_prefix": prefix,
            "data_dir": data_dir,
            "health_port_base": 0,
            "log_format": "json",
            "log_level": "INFO",
        }
    )
    return ServiceProcess.start(
        "echo",
        child,
        module="tests.integration.echo_stage",
        log_path=data_dir.parent / "stage.log",
        cwd=ROOT,
    )


def log_lines(output: bytes) -> list[dict[str, Any]]:
    lines = [line for line in output.decode().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is a JSON object


async def test_a_stage_started_with_a_fresh_broker_logs_no_error(
    tmp_path: Path, prefix: str
) -> None:
    with private_broker(tmp_path) as broker:
        stage = stage_process(broker, prefix, tmp_path / "data")
        try:
            settings = broker.model_copy(update={"topic_prefix": prefix})
            topics = await create_topics(settings)
            values = [f"n{i}".encode() for i in range(5)]
            await produce(settings, [OutgoingRecord(topics.raw, b"k", v) for v in values])
            out = await read_committed(settings, topics.parsed, expected=5, settle_s=0.5)
        finally:
            code = await asyncio.to_thread(stage.stop, 30)
    assert sorted(r.value or b"" for r in out) == sorted(v.upper() for v in values)
    assert code == 0
    lines = log_lines((tmp_path / "stage.log").read_bytes())
    assert any(line["event"] == "stage_started" for line in lines)
    errors = [line for line in lines if line["level"] in ("error", "critical")]
    assert errors == [], errors
