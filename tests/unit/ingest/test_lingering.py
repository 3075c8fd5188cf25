"""The lingering close reads and drops a refused body within its bounds of bytes and time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from services.ingest.lingering import DrainLimits, awaits_continue, discard_body


def receiver(chunks: int, size: int, delay_s: float = 0.0) -> Callable[[], Awaitable[Any]]:
    """An ASGI receive that gives ``chunks`` body messages of ``size`` bytes."""
    state = {"left": chunks, "reads": 0}

    async def receive() -> dict[str, Any]:
        state["reads"] += 1
        await asyncio.sleep(delay_s)
        state["left"] -= 1
        return {"type": "http.request", "body": b"x" * size, "more_body": state["left"] > 0}

    receive.state = state  # type: ignore[attr-defined]
    return receive


async def test_the_whole_rest_is_read_within_the_bounds() -> None:
    assert await discard_body(receiver(10, 1000), DrainLimits(1_000_000, 5)) == 10_000


async def test_reading_stops_past_the_byte_bound() -> None:
    receive = receiver(1000, 1000)
    assert await discard_body(receive, DrainLimits(4_500, 5)) == 5_000
    assert receive.state["reads"] == 5  # type: ignore[attr-defined]


async def test_reading_stops_at_the_time_bound() -> None:
    started = time.monotonic()
    dropped = await discard_body(receiver(1000, 10, delay_s=0.05), DrainLimits(10**9, 0.3))
    assert time.monotonic() - started < 1.0
    assert 0 < dropped < 100


async def test_a_client_that_goes_away_ends_the_read() -> None:
    async def gone() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    assert await discard_body(gone, DrainLimits(10**9, 5)) == 0


def test_expect_continue_is_seen() -> None:
    assert awaits_continue({"headers": [(b"expect", b"100-Continue")]})
    assert not awaits_continue({"headers": [(b"content-length", b"5")]})
