"""The ingest endpoints. They reach the publisher through ``request.app.state.ingest``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import Counter

from services.core.errors import BrokerUnavailableError
from services.core.headers import TraceContext
from services.core.logs import get_logger
from services.core.records import Delivered
from services.core.settings import Settings
from services.ingest.articles import AcceptedArticle, to_raw_article
from services.ingest.bodies import BodyError, parse_batch, parse_single
from services.ingest.lingering import DrainLimits, awaits_continue, discard_body
from services.ingest.publisher import Publisher, SaturatedError, raw_records, received_now
from services.ingest.requests import NOT_BLANK, AcceptedOut, ArticleIn, BatchOut, ErrorOut

log = get_logger(__name__)
ACCEPTED = Counter("newsflow_ingest_accepted", "Articles acknowledged by the broker")
REJECTED = Counter("newsflow_ingest_rejected", "Articles refused", ["reason"])
RETRY_AFTER_S = "2"

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in {
        400: "Malformed JSON, invalid UTF-8, or text not in its declared charset",
        401: "Missing or invalid API key",
        413: "Body over the size limit",
        415: "Unsupported media type, unknown charset, or JSON not in UTF-8",
        422: "Invalid fields (each named)",
        429: "Too many articles in flight; retry after the given seconds",
        503: "Broker unavailable; retry after the given seconds",
    }.items()
}

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Ingest:
    settings: Settings
    publisher: Publisher

    @property
    def drain_limits(self) -> DrainLimits:
        settings = self.settings
        return DrainLimits(settings.ingest_drain_max_bytes, settings.ingest_drain_timeout_s)

    async def publish(
        self, articles: list[AcceptedArticle], trace: TraceContext
    ) -> list[Delivered | BaseException]:
        records = raw_records(self.publisher.topic, articles, trace.children(len(articles)))
        return await self.publisher.publish(records)


def error_response(error: BodyError) -> JSONResponse:
    REJECTED.labels(error.code).inc()
    body = ErrorOut(error=error.code, message=error.message, detail=error.detail)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=error.status)


def retry_response(status: int, code: str, message: str) -> JSONResponse:
    REJECTED.labels(code).inc()
    return JSONResponse(
        ErrorOut(error=code, message=message).model_dump(exclude_none=True),
        status_code=status,
        headers={"Retry-After": RETRY_AFTER_S},
    )


async def read_bounded(request: Request, limit: int, drain: DrainLimits) -> bytes:
    """The body, refusing anything over ``limit`` bytes without keeping more than that (the
    rest is read and dropped within ``drain``, so the client can read the 413)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        if int(declared) > limit:
            if not awaits_continue(request.scope):
                await discard_body(request.receive, drain)
            raise BodyError(413, "body_too_large", f"{declared} bytes; at most {limit}")
        return await request.body()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            await discard_body(request.receive, drain)
            raise BodyError(413, "body_too_large", f"over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def body_schema(single: bool) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/ArticleIn"}
    text = {"type": "string", "pattern": NOT_BLANK}  # blank content is refused (422)
    if single:
        content: dict[str, Any] = {
            "application/json": {"schema": ref},
            "text/plain": {"schema": text, "example": "Title\n\nBody text."},
            "text/html": {"schema": text},
        }
    else:
        batch = {"type": "array", "items": ref, "minItems": 1, "maxItems": 1000}
        content = {
            "application/json": {"schema": batch},
            "application/x-ndjson": {"schema": text},
        }
    return {"requestBody": {"required": True, "content": content}}


def trace_of(request: Request) -> TraceContext:
    return TraceContext.parse(request.headers.get("traceparent")) or TraceContext.new()


@router.post(
    "/v1/articles",
    status_code=202,
    response_model=AcceptedOut,
    responses=ERRORS,
    openapi_extra=body_schema(single=True),
    summary="Push one article",
)
async def push_article(request: Request) -> Response:
    ingest: Ingest = request.app.state.ingest
    trace = trace_of(request)
    try:
        body = await read_bounded(
            request, ingest.settings.ingest_max_article_bytes, ingest.drain_limits
        )
        article = parse_single(body, request.headers.get("content-type"), request.query_params)
        raw = to_raw_article(article, received_now(), request.headers.get("idempotency-key"))
        [result] = await ingest.publish([raw], trace)
    except BodyError as error:
        return error_response(error)
    except SaturatedError as error:
        return retry_response(429, "saturated", str(error))
    except BrokerUnavailableError as error:
        return retry_response(503, "broker_unavailable", str(error))
    if isinstance(result, BaseException):
        log.warning("article_not_acknowledged", article_id=raw.id, error=str(result))
        return retry_response(503, "broker_unavailable", str(result))
    ACCEPTED.inc()
    log.info(
        "article_accepted", article_id=raw.id, partition=result.partition, offset=result.offset
    )
    out = AcceptedOut(
        id=raw.id, topic=result.topic, partition=result.partition, offset=result.offset
    )
    return JSONResponse(out.model_dump(), status_code=202, headers={"traceparent": trace.header()})


@router.post(
    "/v1/articles:batch",
    status_code=207,
    response_model=BatchOut,
    responses=ERRORS,
    openapi_extra=body_schema(single=False),
    summary="Push up to 1,000 articles (JSON array or NDJSON)",
)
async def push_batch(request: Request) -> Response:
    ingest: Ingest = request.app.state.ingest
    settings = ingest.settings
    try:
        body = await read_bounded(request, settings.ingest_max_batch_bytes, ingest.drain_limits)
        items = parse_batch(
            body,
            request.headers.get("content-type"),
            settings.ingest_max_batch_items,
            settings.ingest_max_article_bytes,
        )
    except BodyError as error:
        return error_response(error)
    results, valid = partition_items(items)
    del body, items  # only the encoded values are needed while the broker acknowledges
    try:
        delivered = (
            await ingest.publish([raw for _, raw in valid], trace_of(request)) if valid else []
        )
    except SaturatedError as error:
        return retry_response(429, "saturated", str(error))
    except BrokerUnavailableError as error:
        return retry_response(503, "broker_unavailable", str(error))
    for (index, raw), outcome in zip(valid, delivered, strict=True):
        results[index] = item_result(index, raw, outcome)
    accepted = sum(1 for result in results if result["status"] == 202)
    ACCEPTED.inc(accepted)
    log.info("batch_accepted", accepted=accepted, rejected=len(results) - accepted)
    summary = {"accepted": accepted, "rejected": len(results) - accepted, "results": results}
    return Response(orjson.dumps(summary), status_code=207, media_type="application/json")


ItemDict = dict[str, Any]


def partition_items(
    items: list[ArticleIn | BodyError],
) -> tuple[list[ItemDict], list[tuple[int, AcceptedArticle]]]:
    """Split ``items`` into results for the refused ones (placeholders for the rest) and the
    valid items to publish, each with its index.

    Results are plain dicts shaped as ``ItemResult`` (the documented response model): a batch of
    1,000 answers faster without a model per item.
    """
    received = received_now()
    results: list[ItemDict] = []
    valid: list[tuple[int, AcceptedArticle]] = []
    for index, item in enumerate(items):
        try:
            if isinstance(item, BodyError):
                raise item
            valid.append((index, to_raw_article(item, received)))
            results.append({"index": index, "status": 0})
        except BodyError as error:
            REJECTED.labels(error.code).inc()
            refused: ItemDict = {
                "index": index,
                "status": error.status,
                "error": f"{error.code}: {error.message}",
            }
            if error.detail:
                refused["detail"] = error.detail
            results.append(refused)
    return results, valid


def item_result(index: int, raw: AcceptedArticle, outcome: Delivered | BaseException) -> ItemDict:
    if isinstance(outcome, BaseException):
        return {
            "index": index,
            "status": 503,
            "id": raw.id,
            "error": f"broker_unavailable: {outcome}",
        }
    return {
        "index": index,
        "status": 202,
        "id": raw.id,
        "topic": outcome.topic,
        "partition": outcome.partition,
        "offset": outcome.offset,
    }
