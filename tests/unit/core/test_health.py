"""The one health piece: a stage ready, unready, and failing with what it failed on; every
service answering the same bodies and status codes."""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from services.core.health import advertised_url, health_app, health_router, listen_socket
from services.core.settings import CONSUMER_SERVICES, SERVICES, Settings
from services.gateway.app import create_app as gateway_app
from services.ingest.app import create_app as ingest_app

STOPPED = {
    "topic": "articles.raw.v1",
    "partition": 2,
    "offset": 41,
    "error_class": "KeyError",
    "error_message": "'title'",
    "since": 1.0,
}


async def readyz(
    ready: tuple[bool, str], failures: Sequence[Mapping[str, object]] = ()
) -> httpx.Response:
    app = health_app("parser", lambda: (True, "polling"), lambda: ready, lambda: failures)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://stage") as client:
        return await client.get("/readyz")


async def test_a_ready_stage_answers_ok() -> None:
    answer = await readyz((True, "consuming"))
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok" and "failures" not in answer.json()


async def test_an_unready_stage_answers_unavailable() -> None:
    answer = await readyz((False, "consumer starting"))
    assert answer.status_code == 503 and answer.json()["status"] == "unavailable"


async def test_a_failing_stage_answers_503_with_each_failure() -> None:
    answer = await readyz((False, "failing: raw/2 stopped at offset 41"), [STOPPED])
    body = answer.json()
    assert answer.status_code == 503
    assert body["status"] == "failing" and body["failures"] == [STOPPED]
    assert body["detail"].startswith("failing")


async def test_failing_wins_even_when_the_check_says_ready() -> None:
    answer = await readyz((True, "consuming"), [STOPPED])
    assert answer.status_code == 503 and answer.json()["status"] == "failing"


async def test_a_check_may_be_awaited() -> None:
    async def ready() -> tuple[bool, str]:
        return True, "database open"

    app = FastAPI()
    app.include_router(health_router("gateway", ready))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        answer = await client.get("/readyz")
    assert answer.status_code == 200 and answer.json()["detail"] == "database open"


def every_service(tmp_path: Path) -> dict[str, FastAPI]:
    """The five services' HTTP apps (not started: ingest has no producer, the gateway no
    database), each serving the one health piece."""
    settings = Settings(data_dir=tmp_path, kafka_bootstrap_servers="127.0.0.1:1")
    stages: dict[str, FastAPI] = {
        name: health_app(name, lambda: (True, "polling"), lambda: (False, "consumer starting"))
        for name in CONSUMER_SERVICES
    }
    return {"ingest": ingest_app(settings), "gateway": gateway_app(settings), **stages}


async def test_every_service_answers_the_same_bodies_and_codes(tmp_path: Path) -> None:
    apps = every_service(tmp_path)
    assert sorted(apps) == sorted(SERVICES)
    for name, app in apps.items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            live, ready = await client.get("/healthz"), await client.get("/readyz")
            metrics = await client.get("/metrics")
        keys = {"service", "status", "detail", "version", "uptime_s"}
        assert live.status_code == 200, name
        assert set(live.json()) == keys and live.json()["status"] == "ok", name
        assert ready.status_code == 503, name  # nothing is started here
        assert set(ready.json()) == keys and ready.json()["status"] == "unavailable", name
        assert ready.json()["service"] == name and ready.json()["detail"], name
        assert metrics.status_code == 200 and "# TYPE" in metrics.text, name


async def test_a_stage_adds_who_it_is_and_its_role_to_both_bodies() -> None:
    about = {"role": "standby", "partitions": [], "host": "host-a", "pid": 7}
    app = health_app(
        "dedup",
        lambda: (True, "standby"),
        lambda: (True, "standby: waiting for the lease on data/dedup.db.lock"),
        about=lambda: about,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://stage") as client:
        live, ready = await client.get("/healthz"), await client.get("/readyz")
    assert live.status_code == ready.status_code == 200
    assert ready.json()["role"] == "standby" and ready.json()["pid"] == 7
    assert live.json()["host"] == "host-a"


def test_a_taken_health_port_falls_back_to_a_free_one() -> None:
    first = listen_socket("127.0.0.1", 0)
    taken = first.getsockname()[1]
    try:
        second = listen_socket("127.0.0.1", taken)  # a standby of the same stage, same host
        try:
            assert second.getsockname()[1] not in {0, taken}
            assert advertised_url("127.0.0.1", second) == (
                f"http://127.0.0.1:{second.getsockname()[1]}"
            )
        finally:
            second.close()
    finally:
        first.close()


def test_another_bind_error_is_raised_with_the_address() -> None:
    with pytest.raises(OSError, match=r"could not serve HTTP on 192\.0\.2\.1:9101"):
        listen_socket("192.0.2.1", 9101)  # not an address of this host


def test_a_wildcard_host_advertises_an_address_of_this_host() -> None:
    sock = listen_socket("0.0.0.0", 0)
    try:
        url = advertised_url("0.0.0.0", sock)
    finally:
        sock.close()
    host = url.removeprefix("http://").rpartition(":")[0]
    assert host not in {"0.0.0.0", ""}
    assert host == socket.gethostbyname(socket.gethostname())
