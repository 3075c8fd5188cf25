"""The gateway app's readiness: unready while its status is stale or a dependency is down."""

from __future__ import annotations

from services.gateway.app import readiness


def test_the_gateway_is_unready_while_its_status_is_stale() -> None:
    up = (True, "ok")
    assert readiness(up, up, 5.0, 30.0)[0]
    ok, detail = readiness(up, up, 31.0, 30.0)
    assert not ok and "stale" in detail and "31.0s old" in detail
    assert not readiness((False, "locked"), up, 1.0, 30.0)[0]
    assert not readiness(up, (False, "down"), 1.0, 30.0)[0]
