"""The process harness: a child reads back the settings it was given, and stopping ends exactly
the child, by SIGTERM or, past the grace period, by SIGKILL."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import pytest

from services.core.settings import Settings
from services.tools.processes import ServiceExitedError, ServiceProcess, ready_url

ROOT = Path(__file__).resolve().parents[3]
PRINT_SETTINGS = "from services.core.settings import Settings; print(Settings().model_dump_json())"


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_the_child_reads_back_the_settings_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the parent's own environment says otherwise: the settings given win
    monkeypatch.setenv("NEWSFLOW_TOPIC_PREFIX", "parent.")
    monkeypatch.setenv("NEWSFLOW_DEDUP_SHINGLE_SIZE", "9")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092")
    given = Settings(
        topic_prefix="child.",
        data_dir=tmp_path / "data",
        kafka_bootstrap_servers=None,
        kafka_port=19092,
        dedup={"shingle_size": 4},
    )
    log = tmp_path / "child.log"
    child = ServiceProcess.start(
        "probe", given, command=python(PRINT_SETTINGS), log_path=log, cwd=ROOT
    )
    assert child.process.wait(60) == 0
    read_back = Settings.model_validate(json.loads(log.read_text()))
    assert read_back.model_dump() == given.model_dump()
    assert read_back.bootstrap_servers == "127.0.0.1:19092"


def test_extra_variables_reach_the_child(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    code = "import os; print(os.environ['NEWSFLOW_TEST_MARK'])"
    child = ServiceProcess.start(
        "probe", Settings(), command=python(code), extra_env={"NEWSFLOW_TEST_MARK": "x1"},
        log_path=log,
    )  # fmt: skip
    assert child.process.wait(60) == 0
    assert log.read_text().strip() == "x1"


def test_stop_ends_the_child_with_sigterm() -> None:
    child = ServiceProcess.start("probe", Settings(), command=python("import time; time.sleep(60)"))
    assert child.stop(grace_s=30) == -signal.SIGTERM


def test_stop_kills_a_child_that_ignores_sigterm(tmp_path: Path) -> None:
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', "
        "flush=True); time.sleep(60)"
    )
    log = tmp_path / "child.log"
    child = ServiceProcess.start("probe", Settings(), command=python(code), log_path=log)
    while "up" not in log.read_text():  # the handler is in place
        assert child.exit_code is None
    assert child.stop(grace_s=0.5) is None  # had to be killed
    assert child.exit_code == -signal.SIGKILL


async def test_stop_async_and_wait_do_not_block_the_loop() -> None:
    child = ServiceProcess.start("probe", Settings(), command=python("import time; time.sleep(60)"))
    with pytest.raises(TimeoutError):
        await child.wait(timeout_s=0.2)
    assert await child.stop_async(grace_s=30) == -signal.SIGTERM


async def test_waiting_for_ready_fails_at_once_when_the_child_exits() -> None:
    child = ServiceProcess.start("ingest", Settings(), command=python("raise SystemExit(3)"))
    with pytest.raises(ServiceExitedError, match="exited with 3"):
        await asyncio.wait_for(child.wait_ready(timeout_s=60), 30)


def test_ready_urls() -> None:
    settings = Settings(health_port_base=9200, ingest_port=8100, gateway_port=8200)
    assert ready_url(settings, "ingest") == "http://127.0.0.1:8100/readyz"
    assert ready_url(settings, "gateway") == "http://127.0.0.1:8200/readyz"
    assert ready_url(settings, "store") == "http://127.0.0.1:9202/readyz"
    assert ready_url(settings.model_copy(update={"health_port_base": 0}), "parser") is None
