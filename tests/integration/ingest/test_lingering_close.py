"""A client that sends its whole body before reading the answer (Python's urllib) gets the
413 (or 401), not a connection reset: ingest reads and drops the rest of the body first."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request
from collections.abc import AsyncIterator

import pytest

from services.core.settings import Settings
from services.ingest.app import create_app
from tests.integration.flow import create_topics
from tests.integration.servers import serving

LIMIT = 64 * 1024
BODY = b'{"content": "' + b"x" * (4 * 1024 * 1024) + b'"}'  # far over the limit and any buffer


@pytest.fixture
async def small(settings: Settings) -> AsyncIterator[str]:
    limited = settings.model_copy(
        update={"ingest_max_article_bytes": LIMIT, "ingest_max_batch_bytes": LIMIT}
    )
    await create_topics(limited)
    async with serving(create_app(limited)) as base:
        yield base


def urlopen_status(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/articles:batch"])
async def test_urllib_gets_the_413_for_an_oversized_body(small: str, path: str) -> None:
    headers = {"content-type": "application/json"}
    status, body = await asyncio.to_thread(urlopen_status, small + path, BODY, headers)
    assert status == 413
    assert body["error"] == "body_too_large" and body["message"]


def send_all_then_read(base: str, head: bytes, body: bytes) -> bytes:
    """A raw HTTP/1.1 request, the body sent in full before a byte is read back."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head + body)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


async def test_a_chunked_oversized_body_gets_the_413(small: str) -> None:
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in [BODY[:LIMIT], BODY[LIMIT:]])
    head = (
        b"POST /v1/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    answer = await asyncio.to_thread(send_all_then_read, small, head, chunks + b"0\r\n\r\n")
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 413 Request Entity Too Large", answer[:200]
    assert json.loads(rest.split(b"\r\n\r\n", 1)[1])["error"] == "body_too_large"


async def test_urllib_gets_the_401_for_a_large_body_without_a_key(settings: Settings) -> None:
    keyed = settings.model_copy(update={"ingest_api_keys": "alpha"})
    await create_topics(keyed)
    async with serving(create_app(keyed)) as base:
        status, body = await asyncio.to_thread(
            urlopen_status, base + "/v1/articles", BODY, {"content-type": "application/json"}
        )
    assert (status, body["error"]) == (401, "unauthorized")


async def test_a_client_awaiting_continue_gets_the_413_without_sending_the_body(small: str) -> None:
    head = (
        b"POST /v1/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n" % len(BODY)
    )
    answer = await asyncio.to_thread(send_all_then_read, small, head, b"")
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]  # no "100 Continue" first


async def test_past_the_drain_bound_the_connection_is_closed(settings: Settings) -> None:
    """A body past the bound is not read to its end: the server answers and closes (on a
    keep-alive connection uvicorn itself reads on, to find the next request)."""
    bounded = settings.model_copy(
        update={"ingest_max_article_bytes": LIMIT, "ingest_drain_max_bytes": LIMIT}
    )
    await create_topics(bounded)
    head = (
        b"POST /v1/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % (64 * len(BODY))
    )

    def send_forever(base: str) -> str:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(head)
            try:
                for _ in range(64):
                    sock.sendall(BODY)
            except OSError as error:  # reset or broken pipe: the server stopped reading
                return type(error).__name__
        return "sent everything"

    async with serving(create_app(bounded)) as base:
        outcome = await asyncio.to_thread(send_forever, base)
    assert outcome in {"ConnectionResetError", "BrokenPipeError"}
