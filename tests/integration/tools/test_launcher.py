"""The launcher's seed push (``newsflow run --push``) and ``newsflow push`` against an ingest
that requires an API key."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from services.core.settings import Settings
from services.ingest.app import create_app
from services.ingest.files import expand, read_items
from services.tools.launcher import push_seeds, push_when_ready
from tests.integration.flow import create_topics
from tests.integration.servers import serving

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
SEED_COUNT = sum(1 for path in expand([SEEDS]) for _ in read_items(path))


@pytest.fixture
async def keyed(settings: Settings) -> AsyncIterator[Settings]:
    """Settings whose ingest (served here) requires the key ``alpha`` or ``beta``."""
    keyed = settings.model_copy(update={"ingest_api_keys": "alpha, beta"})
    await create_topics(keyed)
    async with serving(create_app(keyed)) as base:
        yield keyed.model_copy(update={"ingest_port": int(base.rsplit(":", 1)[1])})


async def test_launcher_pushes_the_seeds_with_the_first_configured_key(keyed: Settings) -> None:
    with capture_logs() as logs:
        await asyncio.wait_for(push_when_ready(keyed, [str(SEEDS)])(), 60)
    [pushed] = [entry for entry in logs if entry["event"] == "seeds_pushed"]
    assert pushed == {
        "event": "seeds_pushed",
        "log_level": "info",
        "accepted": SEED_COUNT,
        "rejected": 0,
    }
    assert not [entry for entry in logs if entry["log_level"] in {"warning", "error"}]


async def test_a_rejected_seed_is_a_warning(keyed: Settings) -> None:
    wrong = keyed.model_copy(update={"push_api_key": "gamma"})
    with capture_logs() as logs:
        summary = await asyncio.to_thread(push_seeds, wrong, [str(SEEDS)])
    assert (summary.accepted, sum(summary.rejected.values())) == (0, SEED_COUNT)
    [warning] = [entry for entry in logs if entry["event"] == "seeds_rejected"]
    assert warning["log_level"] == "warning"
    assert (warning["accepted"], warning["rejected"]) == (0, SEED_COUNT)
    assert warning["reasons"] == {"HTTP 401": SEED_COUNT}
    assert "a valid API key is required" in warning["examples"][0]


async def newsflow_push(settings: Settings, *args: str, **env: str) -> tuple[int, str]:
    variables = {k: v for k, v in os.environ.items() if not k.endswith("API_KEYS")}
    variables.pop("NEWSFLOW_PUSH_API_KEY", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.tools.cli",
        "push",
        "--url",
        settings.ingest_url,
        *args,
        str(SEEDS),
        stdout=asyncio.subprocess.PIPE,
        env={**variables, **env},
    )
    out, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_newsflow_push_sends_a_key_and_fails_when_anything_is_rejected(
    keyed: Settings,
) -> None:
    code, out = await newsflow_push(keyed)
    assert (code, out.splitlines()[:2]) == (1, ["accepted: 0", f"rejected: {SEED_COUNT}"])
    code, out = await newsflow_push(keyed, "--api-key", "beta")
    assert (code, out.splitlines()[:2]) == (0, [f"accepted: {SEED_COUNT}", "rejected: 0"])
    code, out = await newsflow_push(keyed, NEWSFLOW_INGEST_API_KEYS="alpha,beta")
    assert (code, out.splitlines()[:2]) == (0, [f"accepted: {SEED_COUNT}", "rejected: 0"])
    code, out = await newsflow_push(keyed, NEWSFLOW_PUSH_API_KEY="alpha")
    assert (code, out.splitlines()[:2]) == (0, [f"accepted: {SEED_COUNT}", "rejected: 0"])
    code, out = await newsflow_push(keyed, NEWSFLOW_PUSH_API_KEY="gamma")
    assert (code, out.splitlines()[:2]) == (1, ["accepted: 0", f"rejected: {SEED_COUNT}"])
