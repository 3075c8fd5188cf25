"""Schemathesis against the ingest OpenAPI schema, over real HTTP, with the real broker behind.

The schema is loaded from the live server; every operation gets a bounded, derandomized set of
generated requests (valid and invalid bodies in every documented media type), and every
response goes through schemathesis' checks: no 5xx, documented status codes, content types,
headers and response schemas, valid data accepted and invalid data refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import negative_data_rejection

from services.core.settings import Settings
from services.gateway.app import create_app as gateway_app
from services.gateway.params import instant
from services.ingest.app import create_app as ingest_app
from services.store.backend import open_repository
from services.store.search import InvalidQueryError, SearchQuery
from tests.integration.flow import create_topics
from tests.integration.servers import serving
from tests.unit.store.factory import make_article

MAX_EXAMPLES = 50
GATEWAY_OPERATIONS = {
    "GET /v1/status",
    "GET /v1/articles",
    "GET /v1/articles/{article_id}",
    "GET /v1/articles/{article_id}/status",
    "GET /v1/stories/{story_id}",
    "GET /healthz",
    "GET /readyz",
}
Prepare = Callable[[Settings], Awaitable[None]] | None
# 413 (documented: over the size or item limit) is a rejection of invalid data too.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413"]
            }
        }
    }
)
JSON = "application/json"
INGEST_OPERATIONS = {
    "POST /v1/articles",
    "POST /v1/articles:batch",
    "GET /healthz",
    "GET /readyz",
}

# NDJSON bodies are documented as a string (one JSON object a line): send them as text.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")


@contextlib.contextmanager
def served_in_thread(
    settings: Settings, make_app: Callable[[Settings], FastAPI], prepare: Prepare = None
) -> Iterator[str]:
    """The app on a loopback port, its event loop in a thread of its own (topics created, and
    ``prepare`` run, first): schemathesis calls it synchronously, so the test's own loop cannot
    serve it."""
    ready: queue.Queue[str | BaseException] = queue.Queue()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def main() -> None:
        try:
            await create_topics(settings)
            if prepare is not None:
                await prepare(settings)
            async with serving(make_app(settings)) as base:
                ready.put(base)
                await stop.wait()
        except BaseException as error:
            ready.put(error)
            raise

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    try:
        base = ready.get(timeout=60)
        if isinstance(base, BaseException):
            raise base
        yield base
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(60)
        assert not thread.is_alive(), "the server did not stop"
        loop.close()


def runs_of(operation: Any) -> list[tuple[GenerationMode, str | None]]:
    """Valid data in every documented media type; invalid parameters, and invalid JSON bodies.

    Invalid bodies are generated for JSON only: a text body (text/plain, text/html, NDJSON) is
    any string, so schemathesis' "invalid" values for it (a list, a number) go on the wire as
    text that IS a valid string body, and accepting them is right.
    """
    media_types = [body.media_type for body in operation.body]
    parameters = [operation.query, operation.headers, operation.path_parameters]
    runs: list[tuple[GenerationMode, str | None]] = [
        (GenerationMode.POSITIVE, media_type) for media_type in media_types or [None]
    ]
    if JSON in media_types:
        runs.append((GenerationMode.NEGATIVE, JSON))
    elif not media_types and any(len(group) for group in parameters):
        runs.append((GenerationMode.NEGATIVE, None))
    return runs


def batch_rejects_invalid_data(ctx: Any, response: Any, case: Any) -> bool | None:
    """A batch answers 207 with a status per item (the documented contract: valid items are
    published even when others fail), so invalid data is refused either as a whole (4xx) or
    item by item: a 207 must then reject at least one item."""
    if response.status_code != 207:
        return bool(negative_data_rejection(ctx, response, case))
    if response.json()["rejected"] < 1:
        raise AssertionError(f"a schema-violating batch had every item accepted: {case.body!r}")
    return True


def answerable_search(case: Any) -> Any:
    """A schema-valid search minus what no schema can say. Each parameter's schema is exactly
    what the gateway accepts of it alone, but three refusals need more than a value's shape, so
    a valid-data run must not send them (each is checked in tests/integration/gateway/
    test_queries.py, ``test_bad_parameters_are_400_with_a_message`` and
    ``test_a_cursor_from_elsewhere_is_400_not_500``; real cursors page through every row exactly
    once in ``test_search_filters_and_pages``):

    - ``cursor`` is an opaque token: a string of its alphabet that no page returned is a 400;
    - ``q`` is a query language (its description): a quote left open, a dangling OR, or no word
      at all is a 400 — only q values the gateway's parser refuses are dropped;
    - ``since`` must be before ``until``: when it is not, ``until`` is dropped.
    """
    query = dict(case.query or {})
    query.pop("cursor", None)
    q = query.get("q", "")
    if q.strip():  # blank is left out by the gateway itself
        try:
            SearchQuery(q=q)
        except InvalidQueryError:
            del query["q"]
    since = instant("since", query.get("since") or None)
    until = instant("until", query.get("until") or None)
    if since is not None and until is not None and since >= until:
        query.pop("until")
    case.query = query
    return case


def fuzz(operation: Any, mode: GenerationMode, media_type: str | None) -> str | None:
    """Run one operation's generated cases through every check; the failure report, if any."""
    cases = operation.as_strategy(mode)
    if media_type is not None:  # as_strategy's media_type only sets the header
        cases = cases.filter(lambda case: case.media_type == media_type)
    if operation.label == "GET /v1/articles" and mode is GenerationMode.POSITIVE:
        cases = cases.map(answerable_search)
    checks: dict[str, Any] = {}
    if operation.label == "POST /v1/articles:batch" and mode is GenerationMode.NEGATIVE:
        checks = {
            "excluded_checks": [negative_data_rejection],
            "additional_checks": [batch_rejects_invalid_data],
        }

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(**checks)

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        return None  # every input accepts any string: there is no invalid value to send
    except (AssertionError, FailureGroup) as error:  # a check failed (one or many)
        return f"{operation.label} ({mode}, {media_type or 'no body'}):\n{error}"
    return None


def fuzz_all(base: str, expected: set[str], skip: frozenset[str] = frozenset()) -> None:
    """Every operation of the live schema at ``base`` (but ``skip``), valid and invalid data;
    fails with every operation's failures."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json", config=CONFIG)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the schema has an invalid operation: {result.err()}"
        operations.append(result.ok())
    assert {operation.label for operation in operations} == expected | skip
    operations = [operation for operation in operations if operation.label not in skip]
    failures = [
        failure
        for operation in operations
        for mode, media_type in runs_of(operation)
        if (failure := fuzz(operation, mode, media_type))
    ]
    assert not failures, "\n\n".join(failures)


def test_ingest_conforms_to_its_openapi_schema(settings: Settings) -> None:
    with served_in_thread(settings, ingest_app) as base:
        fuzz_all(base, INGEST_OPERATIONS)


async def stored_articles(settings: Settings) -> None:
    articles = [make_article(n, story_id="article-0000") for n in range(3)]
    async with await open_repository(settings) as repo:
        await repo.save_many(articles)


def test_gateway_conforms_to_its_openapi_schema(settings: Settings) -> None:
    with served_in_thread(settings, gateway_app, stored_articles) as base:
        # the live stream never ends: its responses cannot be checked by a request/response run
        fuzz_all(base, GATEWAY_OPERATIONS, skip=frozenset({"GET /v1/stream"}))
