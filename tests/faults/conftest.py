"""Fault tests run against real brokers: the test run's broker (``make test``) for the tests
that only kill or stall services, a private broker for the tests that restart the broker."""

from __future__ import annotations

from tests.integration.conftest import broker_reachable

__all__ = ["broker_reachable"]
