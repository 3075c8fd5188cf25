"""Optional API keys for ``/v1/``, as a plain ASGI middleware (no per-request task overhead)."""

from __future__ import annotations

import hmac

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from services.ingest.lingering import DrainLimits, awaits_continue, discard_body

UNAUTHORIZED = orjson.dumps({"error": "unauthorized", "message": "a valid API key is required"})


def key_of(headers: list[tuple[bytes, bytes]]) -> bytes:
    """The key a request presents: ``X-API-Key``, or ``Authorization: Bearer``."""
    found = dict(headers)
    if key := found.get(b"x-api-key"):
        return key
    return found.get(b"authorization", b"").removeprefix(b"Bearer ")


class ApiKeyMiddleware:
    """Refuses ``/v1/`` requests without one of ``keys`` (compared in constant time), after
    reading and dropping their body within ``drain`` (so a client can read the 401)."""

    def __init__(self, app: ASGIApp, keys: frozenset[str], drain: DrainLimits) -> None:
        self.app = app
        self.keys = [key.encode() for key in keys]
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        given = key_of(scope["headers"])
        if any(hmac.compare_digest(given, key) for key in self.keys):
            await self.app(scope, receive, send)
            return
        if not awaits_continue(scope):
            await discard_body(receive, self.drain)
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b"Bearer"),
                    (b"content-length", str(len(UNAUTHORIZED)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": UNAUTHORIZED})
