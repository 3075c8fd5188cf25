"""The gateway's read API: status, search, articles, article status, stories, live stream."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from services.core.models import ProcessedArticle
from services.gateway.models import (
    ArticlePage,
    ArticleStatus,
    ErrorBody,
    QuoteOut,
    QuotePage,
    StatusSnapshot,
    StoryOut,
)
from services.gateway.params import (
    SCHEMAS,
    quote_query,
    search_query,
    stream_backlog,
    stream_filter,
)
from services.gateway.sse import last_event_id
from services.gateway.state import Gateway, gateway_of
from services.gateway.stories import story_of
from services.gateway.stream import article_events
from services.store.errors import DatabaseUnavailableError, SchemaVersionError

router = APIRouter()
State = Annotated[Gateway, Depends(gateway_of)]
BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter is invalid (the message says which)"}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown id"}
}
UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorBody, "description": "The database cannot be read yet"}
}


SPEAKER_RULE = (
    "Who said it: the full name, or a person's surname alone, in any case and with or "
    "without accents (Zelenskyy, volodymyr zelenskyy and ZELENSKYY all find Volodymyr "
    "Zelenskyy)."
)


def documented(name: str, **doc: Any) -> Any:
    """A query parameter, documented with the schema :mod:`params` checks it against (the
    route reads the values through :mod:`params`, which answers 400 to anything else)."""
    return Query(json_schema_extra=SCHEMAS[name], **doc)


# The paging parameters of every listing.
Limit = Annotated[str, documented("limit", description="1 to 100 (default 20)", examples=["50"])]
Cursor = Annotated[
    str, documented("cursor", description="next_cursor of the previous page (opaque)")
]


class NotFoundError(LookupError):
    """An unknown id (an HTTP 404 with this message)."""


@router.get("/v1/status", summary="Health, lag, throughput and counts of every part")
async def status(state: State) -> StatusSnapshot:
    """The latest snapshot of the background poller (refreshed every ~2 s)."""
    return state.poller.snapshot


@router.get(
    "/v1/articles",
    summary="Search stored articles",
    responses={**BAD_REQUEST, **UNAVAILABLE},
)
async def search(
    request: Request,
    state: State,
    *,
    q: Annotated[
        str,
        documented(
            "q",
            description=(
                'Words (all must match), "phrases", prefix*, a OR b, -excluded. A word in '
                "Chinese, Japanese, Korean or Thai is found inside longer text (東京都 in "
                "東京都は19日). A query that cannot be understood (an unbalanced quote, a "
                "dangling OR, no word) is a 400."
            ),
            openapi_examples={
                "words": {"summary": "all of these words", "value": "climate summit"},
                "phrase": {"summary": "a phrase, minus a word", "value": '"central bank" -bond'},
                "either": {"summary": "either word, by prefix", "value": "elect* OR vote*"},
                "cjk": {"summary": "a word inside Japanese text", "value": "東京都 コロナ"},
            },
        ),
    ] = "",
    source: Annotated[str, documented("source", examples=["reuters.com"])] = "",
    author: Annotated[str, documented("author", examples=["Jane Doe"])] = "",
    language: Annotated[str, documented("language", examples=["en"])] = "",
    since: Annotated[
        str,
        documented(
            "since",
            description="RFC 3339 (years 0001-9999): published at or after",
            examples=["2025-03-01T00:00:00Z"],
        ),
    ] = "",
    until: Annotated[
        str,
        documented(
            "until",
            description="RFC 3339 (years 0001-9999): published before; after since",
            examples=["2025-03-02T00:00:00+01:00"],
        ),
    ] = "",
    story: Annotated[str, documented("story")] = "",
    speaker: Annotated[
        str,
        documented(
            "speaker",
            description=SPEAKER_RULE + " Articles that quote them.",
            examples=["Zelenskyy"],
        ),
    ] = "",
    include_duplicates: Annotated[
        str, documented("include_duplicates", description="default false", examples=["true"])
    ] = "",
    limit: Limit = "",
    cursor: Cursor = "",
) -> ArticlePage:
    """Newest publication first; page with ``cursor``. An empty parameter (``?source=``) is
    the same as leaving it out, and so is a blank free-text one."""
    query = search_query(request.query_params)
    page = await (await state.db.get()).search(query)
    return ArticlePage(items=list(page.items), next_cursor=page.next_cursor)


@router.get(
    "/v1/quotes",
    summary="Search stored quotations by speaker and words",
    responses={**BAD_REQUEST, **UNAVAILABLE},
)
async def quotes(
    request: Request,
    state: State,
    *,
    speaker: Annotated[
        str, documented("speaker", description=SPEAKER_RULE, examples=["Donald Trump"])
    ] = "",
    q: Annotated[
        str,
        documented(
            "q",
            description=(
                'Words and "phrases" that must all be in the quotation, as whole words, in '
                "any case and with or without accents (a word in Chinese, Japanese, Korean "
                "or Thai: anywhere in it). Unbalanced quotes or no word at all are a 400."
            ),
            examples=["ceasefire proposal"],
        ),
    ] = "",
    limit: Limit = "",
    cursor: Cursor = "",
) -> QuotePage:
    """Quotations with the ids of their articles: newest article first (as the article
    search orders them), each article's quotations in order; duplicates' left out. Page with
    ``cursor``; an empty parameter is the same as leaving it out."""
    query = quote_query(request.query_params)
    page = await (await state.db.get()).quotes(query)
    items = [QuoteOut.model_validate(item, from_attributes=True) for item in page.items]
    return QuotePage(items=items, next_cursor=page.next_cursor)


@router.get(
    "/v1/articles/{article_id}",
    summary="One stored article",
    responses={**NOT_FOUND, **UNAVAILABLE},
)
async def article(article_id: str, state: State) -> ProcessedArticle:
    found = await (await state.db.get()).get(article_id)
    if found is None:
        raise NotFoundError(f"no stored article has id {article_id!r}")
    return found


@router.get(
    "/v1/articles/{article_id}/status",
    summary="Where a pushed article is in the flow",
    description=(
        "stored (from the database); otherwise the furthest stage the gateway saw the id at: "
        "accepted (raw topic), parsed, deduplicated, or dead_lettered with the reason. "
        "Window: the article ids on the last NEWSFLOW_GATEWAY_INDEX_BACKLOG offsets (20,000 "
        "by default) of each partition of the raw, parsed, deduplicated and DLQ topics, the "
        "same on every gateway replica (at most NEWSFLOW_GATEWAY_INDEX_CAPACITY ids, 200,000 "
        "by default). An id outside that window, or never pushed, answers 404."
    ),
    responses={**NOT_FOUND, **UNAVAILABLE},
)
async def article_status(article_id: str, state: State) -> ArticleStatus:
    try:
        stored = await (await state.db.get()).get(article_id)
    except (DatabaseUnavailableError, SchemaVersionError):
        stored, database_down = None, True  # the topics may still know where it is
    else:
        database_down = False
    if stored is not None:
        return ArticleStatus(id=article_id, stage="stored", seen_at=stored.stored_at)
    seen = state.index.get(article_id)
    if seen is None and database_down:
        raise DatabaseUnavailableError(f"cannot tell whether {article_id!r} is stored yet")
    if seen is None:
        raise NotFoundError(
            f"article {article_id!r} is not stored and was not seen among the last "
            f"{len(state.index):,} ids on the flow's topics"
        )
    return ArticleStatus(
        id=article_id,
        stage=seen.stage,
        seen_at=seen.seen_at,
        topic=seen.topic,
        partition=seen.partition,
        offset=seen.offset,
        dead_letter=seen.dead_letter,
    )


@router.get(
    "/v1/stories/{story_id}",
    summary="Every stored copy of a story, its sources and the dedup evidence",
    responses={**NOT_FOUND, **UNAVAILABLE},
)
async def story(story_id: str, state: State) -> StoryOut:
    copies = await (await state.db.get()).story(story_id)
    if not copies:
        raise NotFoundError(f"no stored story has id {story_id!r}")
    return story_of(story_id, copies)


@router.get(
    "/v1/stream",
    summary="Stored articles as Server-Sent Events, as they arrive",
    description=(
        "`event: article`, `id:` the storage position, `data:` the article's JSON. Starts "
        "now (or `backlog` positions earlier), or after `Last-Event-ID` when reconnecting; "
        "a `: keepalive` comment every 15 s."
    ),
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "text/event-stream": {
                    "example": 'id: 42\nevent: article\ndata: {"id": "u-1f3a"}\n\n'
                }
            }
        },
        **BAD_REQUEST,
    },
)
async def stream(
    request: Request,
    state: State,
    *,
    source: Annotated[str, Query(description="any text (trimmed)")] = "",
    language: Annotated[str, Query(description="any text (trimmed)")] = "",
    include_duplicates: Annotated[
        str, documented("include_duplicates", description="default false", examples=["true"])
    ] = "",
    backlog: Annotated[
        str,
        documented("backlog", description="Replay the last n (0 to 100) stored positions first"),
    ] = "",
) -> StreamingResponse:
    wanted = stream_filter(request.query_params)
    replay = stream_backlog(request.query_params)
    events = article_events(
        state.db,
        wanted,
        after=last_event_id(request.headers.get("last-event-id")),
        backlog=replay,
        closing=state.closing,
        disconnected=request.is_disconnected,
        timing=state.timing,
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)
