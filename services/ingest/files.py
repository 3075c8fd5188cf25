"""Files into articles to push: .txt, .html, .json (an article or an array), .ndjson/.jsonl.
Pure except for reading the given paths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from services.core import ndjson
from services.ingest import charsets

SUFFIXES = {".txt": "text/plain", ".text": "text/plain", ".html": "text/html", ".htm": "text/html"}
JSON_SUFFIXES = {".json", ".ndjson", ".jsonl"}


@dataclass(frozen=True, slots=True)
class Item:
    """One article to push, or why a file could not give one."""

    origin: str
    article: dict[str, Any] | None = None
    error: str | None = None


def expand(paths: list[Path]) -> list[Path]:
    """Files under the given paths (directories recursively), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and is_pushable(p))
        else:
            found.append(path)
    return found


def is_pushable(path: Path) -> bool:
    return known_suffix(path.suffix)


def known_suffix(suffix: str) -> bool:
    return suffix.lower() in SUFFIXES or suffix.lower() in JSON_SUFFIXES


def items_from_text(text: str, origin: str, suffix: str) -> Iterator[Item]:
    suffix = suffix.lower()
    if suffix in SUFFIXES:
        yield Item(origin, {"content": text, "content_type": SUFFIXES[suffix], "source": origin})
        return
    if suffix == ".json":
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            yield Item(origin, error=f"not valid JSON: {error}")
            return
        for index, entry in enumerate(data if isinstance(data, list) else [data]):
            yield _json_item(entry, f"{origin}[{index}]")
        return
    if suffix in {".ndjson", ".jsonl"}:
        for number, line in ndjson.records(text):
            try:
                yield _json_item(orjson.loads(line), f"{origin}:{number}")
            except orjson.JSONDecodeError as error:
                yield Item(f"{origin}:{number}", error=f"not valid JSON: {error}")
        return
    yield Item(origin, error=f"unsupported file type {suffix or '(none)'}")


def _json_item(entry: object, origin: str) -> Item:
    if isinstance(entry, dict):
        return Item(origin, entry)
    return Item(origin, error="a JSON article must be an object")


def sniff_suffix(text: str) -> str:
    """The kind of stdin input: JSON, NDJSON, HTML or plain text. Text starting with ``{`` is
    one JSON document when it parses as one, else NDJSON when its first record is a whole
    object, else JSON (whose parser then names the fault)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        return ".json"
    if stripped.startswith("{"):
        try:
            orjson.loads(stripped)
        except orjson.JSONDecodeError:
            first = ndjson.records(stripped)[0].text.strip(ndjson.JSON_WHITESPACE)
            return ".ndjson" if first.endswith("}") else ".json"
        return ".json"
    if stripped.startswith("<"):
        return ".html"
    return ".txt"


def items_from_bytes(
    data: bytes, origin: str, suffix: str, charset: str | None = None
) -> Iterator[Item]:
    """The articles of one file's bytes. Text and HTML are decoded as ingest decodes them
    (``charset`` if given, else a UTF-8 BOM, UTF-8, an HTML page's ``<meta>``, else detection);
    JSON and NDJSON are UTF-8 (a leading BOM is dropped)."""
    suffix = suffix.lower()
    if not known_suffix(suffix):
        yield Item(origin, error=f"unsupported file type {suffix or '(none)'}")
        return
    try:
        if suffix in SUFFIXES:
            text = charsets.decode_text(data, SUFFIXES[suffix], charset, detect_plain=True)
        else:
            text = data.decode("utf-8-sig")
    except charsets.UnknownCharsetError as error:
        yield Item(origin, error=str(error))
        return
    except charsets.UndecodableError as error:
        yield Item(origin, error=f"{error}; name its encoding with --charset")
        return
    except UnicodeDecodeError as error:
        yield Item(origin, error=f"not valid UTF-8 ({error.reason} at byte {error.start})")
        return
    yield from items_from_text(text, origin, suffix)


def read_items(path: Path, charset: str | None = None) -> Iterator[Item]:
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Item(str(path), error=f"cannot read: {error.strerror}")
        return
    yield from items_from_bytes(data, str(path), path.suffix, charset)
