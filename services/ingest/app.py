"""The ingest HTTP application: API-key check, the article routes, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services import __version__
from services.core.httpmetrics import ResponseCounter
from services.core.service import topic_specs
from services.core.settings import Settings
from services.core.topics import Topics
from services.ingest.auth import ApiKeyMiddleware
from services.ingest.publisher import Publisher
from services.ingest.requests import ArticleIn
from services.ingest.routes import Ingest, router


def document_request_models(app: FastAPI) -> None:
    """Add the request models the routes read by hand to the OpenAPI components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            extra = ArticleIn.model_json_schema(ref_template="#/components/schemas/{model}")
            schema.setdefault("components", {}).setdefault("schemas", {})["ArticleIn"] = extra
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    topics = Topics(settings.topic_prefix)
    publisher = Publisher(settings, topic_specs(settings, topics), topics.raw)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await publisher.start()
        yield
        await publisher.stop()

    app = FastAPI(
        title="newsflow ingest",
        version=__version__,
        description="Push news articles. A 202 means the broker has acknowledged the article.",
        lifespan=lifespan,
    )
    ingest = Ingest(settings, publisher)
    app.state.ingest = ingest
    app.include_router(router)
    document_request_models(app)

    if settings.api_keys:
        app.add_middleware(ApiKeyMiddleware, keys=settings.api_keys, drain=ingest.drain_limits)
    app.add_middleware(ResponseCounter, service="ingest")  # outermost: counts every answer

    @app.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"service": "ingest", "status": "ok", "version": __version__}

    @app.get("/readyz", summary="Ready while the producer is connected to the broker")
    async def readyz() -> JSONResponse:
        ok = publisher.ready
        body = {
            "service": "ingest",
            "status": "ok" if ok else "unavailable",
            "version": __version__,
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
