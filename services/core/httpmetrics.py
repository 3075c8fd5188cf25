"""HTTP responses counted by status code, for every newsflow HTTP service (alerting on 5xx).

A plain ASGI middleware (no per-request task or body copy): it reads the status of the response
as it starts, and counts an exception that escapes the app as the ``500`` the server answers.
"""

from __future__ import annotations

from prometheus_client import Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

RESPONSES = Counter(
    "newsflow_http_responses", "HTTP responses sent, by status code", ["service", "code"]
)


class ResponseCounter:
    """Counts each HTTP response of ``app`` as ``newsflow_http_responses_total``."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self._app = app
        self._service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = False

        async def counting(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                RESPONSES.labels(self._service, str(message["status"])).inc()
            await send(message)

        try:
            await self._app(scope, receive, counting)
        except Exception:
            if not started:
                RESPONSES.labels(self._service, "500").inc()
            raise
