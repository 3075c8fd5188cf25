"""The live stream's timing comes from the settings."""

from __future__ import annotations

from services.core.settings import Settings
from services.gateway.stream import StreamTiming


def test_stream_timing_defaults_are_the_settings_defaults() -> None:
    assert StreamTiming() == StreamTiming.of(Settings())
    told = Settings(
        gateway_stream_poll_s=0.25, gateway_stream_heartbeat_s=3, gateway_sse_retry_ms=7
    )
    assert StreamTiming.of(told) == StreamTiming(poll_s=0.25, heartbeat_s=3.0, retry_ms=7)
