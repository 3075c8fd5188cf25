"""A lingering close: read and drop what is left of a refused request's body before answering.

A client that sends its whole body before reading the answer (Python's urllib, many scripts)
would otherwise meet a connection reset instead of the 413 or 401: the server closes a socket
with unread data in it, and the kernel resets the connection, the answer with it. As servers with
a lingering close do, the rest is read up to a bound of bytes and of time; a body past either
still ends in a close.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from starlette.types import Receive, Scope


@dataclass(frozen=True, slots=True)
class DrainLimits:
    """How much of a refused body is read and dropped at most, and for how long."""

    max_bytes: int
    timeout_s: float


def awaits_continue(scope: Scope) -> bool:
    """The client sent ``Expect: 100-continue``: it sends no body before an answer, and the
    server's first read would ask for it (uvicorn sends ``100 Continue`` then)."""
    return any(
        name == b"expect" and value.lower() == b"100-continue" for name, value in scope["headers"]
    )


async def discard_body(receive: Receive, limits: DrainLimits) -> int:
    """Read and drop the rest of the request body within ``limits``; the bytes dropped."""
    dropped = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(limits.timeout_s):
            while dropped <= limits.max_bytes:
                message = await receive()
                if message["type"] != "http.request":
                    break  # the client went away
                dropped += len(message.get("body", b""))
                if not message.get("more_body", False):
                    break
    return dropped
