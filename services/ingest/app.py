"""The ingest HTTP application: API-key check, the article routes, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from services import __version__
from services.core import topology
from services.core.health import health_router
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
    raw = topics.name_of(topology.stage("ingest").sends)
    publisher = Publisher(settings, topic_specs(settings, topics), raw)

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

    def ready() -> tuple[bool, str]:
        if publisher.ready:
            return True, f"producer connected to {settings.bootstrap_servers}"
        return False, f"broker {settings.bootstrap_servers} not reachable"

    app.include_router(
        health_router(
            "ingest", ready, ready_summary="Ready while the producer is connected to the broker"
        )
    )
    return app
