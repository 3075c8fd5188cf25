"""``newsflow push``: send files or stdin to the ingest API in batches, with a summary."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from rich.progress import Progress

from services.ingest.files import Item, expand, items_from_bytes, read_items, sniff_suffix

BATCH_ITEMS = 500
BATCH_BYTES = 16 * 1024 * 1024
MAX_ATTEMPTS = 8


@dataclass
class PushSummary:
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def reject(self, origin: str, reason: str) -> None:
        self.rejected[reason.split(":", maxsplit=1)[0]] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{origin}: {reason}")

    def lines(self) -> list[str]:
        out = [f"accepted: {self.accepted}", f"rejected: {sum(self.rejected.values())}"]
        out += [f"  {count} × {reason}" for reason, count in self.rejected.most_common()]
        out += [f"  - {example}" for example in self.examples]
        return out


def gather(paths: list[str], charset: str | None = None) -> Iterator[Item]:
    """The articles of every path (``-``: stdin, read as bytes, its kind sniffed)."""
    for name in paths:
        if name == "-":
            data = sys.stdin.buffer.read()
            kind = sniff_suffix(data.decode("utf-8-sig", errors="replace"))
            yield from items_from_bytes(data, "stdin", kind, charset)
        else:
            path = Path(name)
            if not path.exists():
                yield Item(name, error="no such file or directory")
                continue
            for file in expand([path]):
                yield from read_items(file, charset)


def batches(items: Iterable[Item], summary: PushSummary) -> Iterator[list[Item]]:
    batch: list[Item] = []
    size = 0
    for item in items:
        if item.article is None:
            summary.reject(item.origin, item.error or "unreadable")
            continue
        length = len(orjson.dumps(item.article))
        if batch and (len(batch) >= BATCH_ITEMS or size + length > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += length
    if batch:
        yield batch


def send_batch(client: httpx.Client, batch: list[Item], summary: PushSummary) -> None:
    body = orjson.dumps([item.article for item in batch])
    for attempt in range(MAX_ATTEMPTS):
        response = client.post(
            "/v1/articles:batch", content=body, headers={"content-type": "application/json"}
        )
        if response.status_code in (429, 503) and attempt + 1 < MAX_ATTEMPTS:
            time.sleep(float(response.headers.get("retry-after", "1")))
            continue
        break
    if response.status_code != 207:
        reason = f"HTTP {response.status_code}: {_message(response)}"
        for item in batch:
            summary.reject(item.origin, reason)
        return
    for item, result in zip(batch, response.json()["results"], strict=True):
        if result["status"] == 202:
            summary.accepted += 1
        else:
            summary.reject(item.origin, result.get("error") or f"HTTP {result['status']}")


def _message(response: httpx.Response) -> str:
    try:
        data: dict[str, Any] = response.json()
    except ValueError:
        return response.text[:200]
    return str(data.get("message") or data)


def push(
    paths: list[str], base_url: str, api_key: str | None = None, charset: str | None = None
) -> PushSummary:
    """Push every article of ``paths``; ``charset`` names the encoding of text and HTML files
    (by default each is read as ingest reads an undeclared body, detection included)."""
    summary = PushSummary()
    headers = {"x-api-key": api_key} if api_key else {}
    items = list(gather(paths, charset))
    with (
        httpx.Client(base_url=base_url, headers=headers, timeout=60) as client,
        Progress(transient=True, disable=len(items) < 50 or not sys.stderr.isatty()) as bar,
    ):
        task = bar.add_task("pushing", total=len(items))
        for batch in batches(items, summary):
            send_batch(client, batch, summary)
            bar.advance(task, len(batch))
    return summary
