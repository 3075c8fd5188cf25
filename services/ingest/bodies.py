"""Request bodies into validated articles, with a precise error for every way they go wrong.
JSON and NDJSON are UTF-8; text and HTML may be in any encoding ``charsets`` reads.

Pure: takes bytes and a media type, returns ``ArticleIn`` values or raises ``BodyError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import orjson
from pydantic import TypeAdapter, ValidationError

from services.core import ndjson
from services.ingest import charsets
from services.ingest.requests import ArticleIn

JSON = "application/json"
NDJSON = "application/x-ndjson"
TEXT_TYPES = ("text/plain", "text/html")
QUERY_FIELDS = ("id", "url", "source", "title", "language")


@dataclass(frozen=True)
class BodyError(Exception):
    """Why a body (or one batch item) was refused, as an HTTP status and a stable code."""

    status: int
    code: str
    message: str
    detail: list[dict[str, str]] | None = field(default=None)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type, if it has one."""
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value
    return None


def decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyError(
            400, "invalid_utf8", f"body is not valid UTF-8 ({error.reason} at byte {error.start})"
        ) from error


def require_utf8(content_type: str | None) -> None:
    """JSON is UTF-8 (RFC 8259): a JSON body declaring another charset is refused."""
    charset = charset_of(content_type)
    if charset is None:
        return
    try:
        utf8 = charsets.decoder_for(charset) == "utf-8"
    except charsets.UnknownCharsetError:
        utf8 = False
    if not utf8:
        raise BodyError(
            415, "unsupported_charset", f"JSON is UTF-8 only (RFC 8259), not charset={charset}"
        )


def decode_text(body: bytes, content_type: str | None) -> str:
    """A text/plain or text/html body as Unicode (see ``charsets.decode_text``)."""
    try:
        return charsets.decode_text(body, media_type(content_type), charset_of(content_type))
    except charsets.UnknownCharsetError as error:
        raise BodyError(
            415, "unsupported_charset", f"{error}: send UTF-8 or name a text encoding"
        ) from error
    except charsets.UndecodableError as error:
        code = "invalid_utf8" if error.encoding == "utf-8" else "undecodable"
        raise BodyError(400, code, f"body is {error}") from error


def validation_detail(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(part) for part in item["loc"]) or "body", "message": item["msg"]}
        for item in error.errors()
    ]


def validate_item(data: object) -> ArticleIn:
    if not isinstance(data, dict):
        raise BodyError(422, "invalid_article", "an article must be a JSON object")
    try:
        return ArticleIn.model_validate(data)
    except ValidationError as error:
        fields = ", ".join(d["field"] for d in validation_detail(error))
        raise BodyError(
            422, "invalid_article", f"invalid fields: {fields}", validation_detail(error)
        ) from error


def load_json(text: str) -> object:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise BodyError(400, "malformed_json", f"body is not valid JSON: {error}") from error


def parse_single(body: bytes, content_type: str | None, query: Mapping[str, str]) -> ArticleIn:
    kind = media_type(content_type)
    if kind == JSON:
        require_utf8(content_type)
        return validate_item(load_json(decode_utf8(body)))
    if kind in TEXT_TYPES:
        text = decode_text(body, content_type)
        unknown = sorted(set(query) - set(QUERY_FIELDS))
        if unknown:
            raise BodyError(
                422, "unknown_parameters", f"unknown query parameters: {', '.join(unknown)}"
            )
        fields = {name: query[name] for name in QUERY_FIELDS if name in query}
        return validate_item({**fields, "content": text, "content_type": kind})
    raise BodyError(
        415,
        "unsupported_media_type",
        f"send {JSON}, text/plain or text/html, not {kind or 'nothing'}",
    )


def parse_batch(
    body: bytes, content_type: str | None, max_items: int, max_item_bytes: int
) -> list[ArticleIn | BodyError]:
    """Every item of a batch: validated, or the reason it was refused. The batch itself must be a
    JSON array or NDJSON of at most ``max_items`` items."""
    kind = media_type(content_type)
    if kind in (JSON, NDJSON):
        require_utf8(content_type)
    if kind == JSON and len(body) <= max_item_bytes:
        valid = _all_valid(body, max_items)  # its parser refuses invalid UTF-8 itself
        if valid is not None:
            return valid
    text = decode_utf8(body)
    if kind == JSON:
        data = load_json(text)
        if not isinstance(data, list):
            raise BodyError(422, "invalid_batch", "a JSON batch must be an array of articles")
        raw_items: list[object] = list(data)
        sizes = [len(orjson.dumps(item)) for item in raw_items]
    elif kind == NDJSON:
        raw_items, sizes = [], []
        for number, line in ndjson.records(text):
            try:
                raw_items.append(orjson.loads(line))
            except orjson.JSONDecodeError as error:
                raw_items.append(BodyError(400, "malformed_json", f"line {number}: {error}"))
            sizes.append(len(line.encode()))
    else:
        raise BodyError(
            415, "unsupported_media_type", f"send {JSON} or {NDJSON}, not {kind or 'nothing'}"
        )
    if not raw_items:
        raise BodyError(422, "empty_batch", "the batch has no articles")
    if len(raw_items) > max_items:
        raise BodyError(413, "batch_too_large", f"{len(raw_items)} items; at most {max_items}")
    return [_item(raw, size, max_item_bytes) for raw, size in zip(raw_items, sizes, strict=True)]


_BATCH = TypeAdapter(list[ArticleIn])


def _all_valid(body: bytes, max_items: int) -> list[ArticleIn | BodyError] | None:
    """The fast path for the common case: a body no larger than one article's limit (so no item
    can exceed it) whose every item is valid, parsed and validated in one pass. ``None`` sends
    anything else down the item-by-item path, which names each problem."""
    try:
        items = _BATCH.validate_json(body)
    except ValidationError:
        return None
    if not items or len(items) > max_items:
        return None
    return list(items)


def _item(raw: object, size: int, max_item_bytes: int) -> ArticleIn | BodyError:
    if isinstance(raw, BodyError):
        return raw
    if size > max_item_bytes:
        return BodyError(413, "article_too_large", f"{size} bytes; at most {max_item_bytes}")
    try:
        return validate_item(raw)
    except BodyError as error:
        return error
