"""Gateway replicas, on PostgreSQL and on SQLite: the real pipeline (ingest over HTTP, parser,
dedup, the store: two processes splitting the partitions on PostgreSQL) into one database, read
by gateway processes of their own on their own ports. A live stream on each
replica receives every stored article once, in storage order; article status and the
/v1/status totals are the same whichever replica answers; a replica started late catches up,
and knows the same ids on the topics as the ones that ran all along (a window of the topics,
not of a process's history)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
import pytest

from services.core import kafka
from services.core.records import OutgoingRecord
from services.core.settings import Settings
from services.core.topics import Topics
from services.ingest.app import create_app
from services.tools.processes import ServiceProcess
from tests.conftest import DATA
from tests.integration.flow import create_topics, produce, wait_for
from tests.integration.gateway.conftest import BACKENDS, on_backend
from tests.integration.pipeline import service_process, stages_running
from tests.integration.servers import serving
from tests.support.ports import free_port

PLAINTEXT = DATA / "plaintext" / "plaintext-dev.jsonl"
ARTICLES = 24
PARTITIONS = 2
WINDOW = 6  # offsets of each partition whose ids the gateway's article status knows
Event = tuple[int, str]  # (position, article id)


def articles(count: int) -> list[dict[str, str]]:
    lines = PLAINTEXT.read_text("utf-8").splitlines()[:count]
    return [{"content": json.loads(line)["text"], "source": "dev-set"} for line in lines]


def keys_on_partition(count: int, partition: int) -> list[str]:
    """``count`` article ids the default partitioner sends to ``partition``."""
    keys: list[str] = []
    number = 0
    while len(keys) < count:
        key = f"poison-{number}"
        if kafka.partition_for(key.encode(), range(PARTITIONS), range(PARTITIONS)) == partition:
            keys.append(key)
        number += 1
    return keys


@contextlib.asynccontextmanager
async def replica(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway process of its own on a free port, until the block ends; a client for it."""
    port = free_port()
    process: ServiceProcess = service_process(
        settings,
        "gateway",
        gateway_port=port,
        database_url=settings.database_url,
        gateway_index_backlog=settings.gateway_index_backlog,
        gateway_poll_interval_s=0.3,
        gateway_stream_poll_s=0.1,
    )
    try:
        await process.wait_ready(90)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield client
    finally:
        assert await process.stop_async(30) == 0, "SIGTERM ends a gateway (and its streams)"


async def follow(client: httpx.AsyncClient, into: list[Event], after: int | None) -> None:
    """Append each article event of the replica's live stream (duplicates included) to ``into``
    until cancelled; from now, or after position ``after``."""
    headers = {} if after is None else {"Last-Event-ID": str(after)}
    params = {"include_duplicates": "true"}
    async with client.stream(
        "GET", "/v1/stream", params=params, headers=headers, timeout=None
    ) as live:
        assert live.status_code == 200
        fields: dict[str, str] = {}
        async for line in live.aiter_lines():
            if line and not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
                continue
            if not line and fields.get("event") == "article":
                into.append((int(fields["id"]), json.loads(fields["data"])["id"]))
            if not line:
                fields = {}


@contextlib.asynccontextmanager
async def streaming(
    clients: Sequence[httpx.AsyncClient], after: int | None = None
) -> AsyncIterator[list[list[Event]]]:
    """A live stream open on each replica for the block: the events each one received."""
    streams: list[list[Event]] = [[] for _ in clients]
    tasks = [
        asyncio.create_task(follow(c, s, after)) for c, s in zip(clients, streams, strict=True)
    ]
    try:
        yield streams
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def received(streams: Sequence[list[Event]], count: int, what: str) -> None:
    async def enough() -> bool:
        return all(len(events) >= count for events in streams)

    await wait_for(enough, 120, what)


async def push(settings: Settings, topics: Topics, poison: Sequence[str]) -> list[str]:
    """The ``poison`` records (undecodable: the parser dead-letters them) on the raw topic,
    then ``ARTICLES`` articles through ingest over HTTP; the ids of the articles."""
    bad = [OutgoingRecord(topics.raw, key.encode(), b"\xff not an article") for key in poison]
    await produce(settings, bad)
    async with (
        serving(create_app(settings)) as base,
        httpx.AsyncClient(base_url=base, timeout=30) as ingest,
    ):
        pushed = (await ingest.post("/v1/articles:batch", json=articles(ARTICLES))).json()
    ids = [result["id"] for result in pushed["results"] if result["status"] == 202]
    assert len(ids) == ARTICLES
    return ids


async def answers(clients: Sequence[httpx.AsyncClient], path: str) -> list[Any]:
    """What each replica answers to ``GET path``: its status code and body."""
    replies = [await client.get(path) for client in clients]
    return [(reply.status_code, reply.json()) for reply in replies]


@pytest.fixture(params=BACKENDS)
async def backend(settings: Settings, request: pytest.FixtureRequest) -> AsyncIterator[Settings]:
    """The test's settings on each backend in turn (two partitions, a small status window)."""
    update = {"topic_partitions": PARTITIONS, "gateway_index_backlog": WINDOW}
    async with on_backend(settings.model_copy(update=update), str(request.param)) as chosen:
        yield chosen


async def test_replicas_stream_everything_and_answer_alike(backend: Settings) -> None:
    settings = backend
    # PostgreSQL takes several store processes (two writers split the partitions); a SQLite
    # file has one writer.
    stores = ("store", "store") if settings.database_url is not None else ("store",)
    topics = await create_topics(settings)
    # Records the parser dead-letters, all on partition 0: the first leaves the window of the
    # raw and DLQ partitions (more than WINDOW records come after it on each), the last stays.
    poison = keys_on_partition(WINDOW + 2, 0)
    async with (
        stages_running(settings, "parser", "dedup", *stores),
        replica(settings) as one,
        replica(settings) as two,
        streaming((one, two)) as streams,
    ):
        ids = await push(settings, topics, poison)
        await received(streams, ARTICLES, "every article on both live streams")
        async with replica(settings) as late, streaming((late,), after=0) as (caught_up,):
            await received([caught_up], ARTICLES, "every article on the late replica's stream")
            await agree((one, two, late), ids, poison)

    assert streams[0] == streams[1] == caught_up, "every replica streams the same articles"
    positions = [position for position, _ in caught_up]
    assert positions == sorted(set(positions)), "in storage order, each once"
    assert sorted(article for _, article in caught_up) == sorted(ids), "none missing"


async def agree(
    replicas: Sequence[httpx.AsyncClient],
    ids: Sequence[str],
    poison: Sequence[str],
) -> None:
    """Once settled, every replica answers alike: article status of each id (stored, dead-
    lettered in the window, out of it) and the totals."""
    paths = [f"/v1/articles/{article_id}/status" for article_id in [*ids, *poison]]

    differing: list[object] = []

    async def settled() -> bool:
        differing.clear()
        for path in ["/v1/status", *paths]:
            found = await answers(replicas, path)
            if path == "/v1/status":
                found = [(code, body["totals"]) for code, body in found]
                if found[0][1]["stored"] != len(ids):
                    differing.append(("not all stored yet", found[0]))
                    return False
            if any(other != found[0] for other in found[1:]):
                differing.append((path, found))
                return False
        return True

    try:
        await wait_for(settled, 60, "the replicas to answer alike", poll_s=0.5)
    except AssertionError as error:
        raise AssertionError(f"{error}: {differing}") from None
    for path, article_id in zip(paths, ids, strict=False):
        ((code, body), *_) = await answers(replicas, path)
        assert (code, body["stage"]) == (200, "stored"), article_id
    ((old_code, _), *_) = await answers(replicas, f"/v1/articles/{poison[0]}/status")
    assert old_code == 404, "out of the window on every replica"
    ((code, body), *_) = await answers(replicas, f"/v1/articles/{poison[-1]}/status")
    assert (code, body["stage"]) == (200, "dead_lettered")
