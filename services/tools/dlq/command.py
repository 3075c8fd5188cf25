"""``newsflow dlq list|show|replay``: the commands, from parsed arguments to printed lines."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import TextIO

from services.core.kafkaerrors import translated
from services.core.records import Delivered
from services.core.settings import Settings
from services.core.topics import Topics
from services.tools.dlq import broker, render
from services.tools.dlq.entries import (
    DlqError,
    Filter,
    Selection,
    entry_of,
    filtered,
    markers_in,
    plan,
    select,
    selection_of,
    targets_of,
)


def write(out: TextIO, lines: Sequence[str]) -> None:
    print("\n".join(lines), file=out, flush=True)


async def list_letters(
    settings: Settings, keep: Filter, limit: int | None, out: TextIO = sys.stdout
) -> int:
    """Print the table of the matching dead letters (the newest ``limit`` of them)."""
    entries = [entry_of(record) for record in await broker.read_dlq(settings)]
    matching = filtered(entries, keep, None)
    write(out, render.table(filtered(matching, keep, limit), len(matching)))
    return 0


async def show_letter(settings: Settings, offset: int, out: TextIO = sys.stdout) -> int:
    """Print one dead letter in full; an offset with no record is an error."""
    if offset < 0:
        raise DlqError(f"offsets are never negative: {offset}")
    records = await broker.read_dlq(settings, offset, offset + 1)
    if not records:
        dlq = Topics(settings.topic_prefix).dlq
        raise DlqError(f"no dead letter at offset {offset} of {dlq}")
    write(out, render.details(entry_of(records[0])))
    return 0


async def replay_letters(
    settings: Settings, selection: Selection, dry_run: bool, out: TextIO = sys.stdout
) -> int:
    """Re-publish the chosen originals once (see the package docstring); exit 1 if any chosen
    offset was not found."""
    start, stop = selection.bounds
    entries = [entry_of(record) for record in await broker.read_dlq(settings, start, stop)]
    chosen, missing = select(entries, selection)
    producer = None if dry_run else broker.replay_producer(settings)
    try:
        with translated("cannot replay"):
            if producer is not None:
                await producer.start()  # init_transactions: fences any other replay first
            replayed = markers_in(await broker.scan_targets(settings, targets_of(chosen)))
            todo = plan(chosen, missing, replayed)
            delivered: list[Delivered] | None = None
            if producer is not None:
                delivered = await broker.publish(producer, todo.publish) if todo.publish else []
    finally:
        if producer is not None:
            await producer.stop()
    write(out, render.summary(todo, delivered))
    return 1 if todo.missing else 0


def run_dlq(settings: Settings, args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Dispatch ``newsflow dlq ACTION`` (the arguments ``cli.build_parser`` defines)."""
    if args.dlq_action == "list":
        keep = Filter(args.stage, args.error_class)
        return asyncio.run(list_letters(settings, keep, args.limit, out))
    if args.dlq_action == "show":
        return asyncio.run(show_letter(settings, args.offset, out))
    selection = selection_of(args.offsets, args.all, args.stage, args.error_class)
    return asyncio.run(replay_letters(settings, selection, args.dry_run, out))
