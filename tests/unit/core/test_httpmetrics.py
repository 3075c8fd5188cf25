"""HTTP responses are counted by status code, an escaping exception as the 500 it becomes."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, Response
from prometheus_client import REGISTRY

from services.core.httpmetrics import ResponseCounter


def count(code: str) -> float:
    labels = {"service": "unit", "code": code}
    return REGISTRY.get_sample_value("newsflow_http_responses_total", labels) or 0.0


async def test_each_answer_is_counted_by_its_code() -> None:
    app = FastAPI()

    @app.get("/ok")
    async def ok() -> Response:
        return Response(status_code=202)

    @app.get("/down")
    async def down() -> Response:
        return Response(status_code=503)

    @app.get("/bug")
    async def bug() -> Response:
        raise ZeroDivisionError("a bug")

    app.add_middleware(ResponseCounter, service="unit")
    before = {code: count(code) for code in ("202", "503", "500", "404")}
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        for path in ("/ok", "/ok", "/down", "/bug", "/missing"):
            await client.get(path)
    after = {code: count(code) - before[code] for code in before}
    assert after == {"202": 2, "503": 1, "500": 1, "404": 1}
