"""`newsflow dlq` against the real broker: records the real parser dead-lettered are listed,
shown, and replayed to the raw topic exactly once, so the fixed parser then parses them."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from datetime import UTC, datetime

import pytest

from services.core.models import ParsedArticle, RawArticle
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.settings import Settings
from services.core.topics import Topics
from services.tools.dlq.command import list_letters, replay_letters, show_letter
from services.tools.dlq.entries import REPLAYED_FROM, DlqError, Filter, Selection
from tests.conftest import DATA
from tests.integration.flow import create_topics, produce, read_committed
from tests.integration.pipeline import ROOT, stages_running

TRACEPARENT = "00-" + "a" * 32 + "-" + "b" * 16 + "-01"


def seed_article() -> bytes:
    return RawArticle(
        id="seed-1",
        id_source="client",
        content=(DATA / "seed-article.txt").read_text(),
        content_type="text/plain",
        received_at=datetime.now(UTC),
    ).to_bytes()


async def dead_letter_offsets(settings: Settings, topics: Topics) -> dict[bytes, int]:
    """Push a fixable article (over a too-small size limit), unparseable JSON and non-UTF-8
    bytes through the real parser; return each one's DLQ offset by key."""
    seed = seed_article()
    headers = [("traceparent", TRACEPARENT.encode()), ("ce_id", b"p0")]
    await produce(
        settings,
        [
            OutgoingRecord(topics.raw, b"seed-1", seed),
            OutgoingRecord(topics.raw, b"p0", b"{not json", headers),
            OutgoingRecord(topics.raw, b"p1", b"\xff\xfe"),
        ],
    )
    too_small = settings.model_copy(update={"max_body_bytes": len(seed) - 1})
    async with stages_running(too_small, "parser"):
        dead = await read_committed(settings, topics.dlq, expected=3, settle_s=0.5)
    assert len(dead) == 3
    return {record.key or b"": record.offset for record in dead}


def replays_in(records: list[ConsumedRecord]) -> dict[str, ConsumedRecord]:
    """The replayed records of a topic by marker; fails on a marker seen twice."""
    replays = [r for r in records if r.header(REPLAYED_FROM)]
    by_marker = {r.header(REPLAYED_FROM) or "": r for r in replays}
    assert len(by_marker) == len(replays), "a dead letter was replayed twice"
    return by_marker


async def replay(settings: Settings, selection: Selection, dry_run: bool = False) -> list[str]:
    out = io.StringIO()
    assert await replay_letters(settings, selection, dry_run, out) == 0
    return out.getvalue().splitlines()


async def cli(settings: Settings, *argv: str) -> tuple[int, str, str]:
    env = {**os.environ, "NEWSFLOW_TOPIC_PREFIX": settings.topic_prefix}
    env |= {"NEWSFLOW_LOG_LEVEL": "WARNING", "NEWSFLOW_DATA_DIR": str(settings.data_dir)}
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "services.tools.cli", "dlq", *argv),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, stdout.decode(), stderr.decode()


async def test_list_and_show_dead_letters(settings: Settings) -> None:
    topics = await create_topics(settings)
    offsets = await dead_letter_offsets(settings, topics)

    out = io.StringIO()
    assert await list_letters(settings, Filter(), None, out) == 0
    rows = {line.split()[0]: line for line in out.getvalue().splitlines()[1:-1]}
    assert set(rows) == {str(offset) for offset in offsets.values()}
    seed_row = rows[str(offsets[b"seed-1"])]
    assert "parser" in seed_row and "InvalidMessageError" in seed_row and "seed-1" in seed_row
    assert f"the value is {len(seed_article())} bytes; at most" in seed_row
    assert "not UTF-8" in rows[str(offsets[b"p1"])]

    filtered = io.StringIO()
    assert await list_letters(settings, Filter("dedup"), 10, filtered) == 0
    assert filtered.getvalue().splitlines()[1:] == ["(0 of 0 matching records shown)"]

    shown = io.StringIO()
    assert await show_letter(settings, offsets[b"p0"], shown) == 0
    text = shown.getvalue()
    assert f"original record: {topics.raw}/" in text and "error class: InvalidMessageError" in text
    assert f"original headers:\n  traceparent: {TRACEPARENT}\n  ce_id: p0" in text
    assert text.endswith("original value: 9 bytes of UTF-8 text:\n{not json\n")
    binary = io.StringIO()
    await show_letter(settings, offsets[b"p1"], binary)
    assert binary.getvalue().endswith("2 bytes, not UTF-8, shown as base64:\n//4=\n")

    with pytest.raises(DlqError, match=f"no dead letter at offset 99 of {topics.dlq}"):
        await show_letter(settings, 99)


async def test_replay_publishes_each_original_once_and_the_fixed_stage_parses_it(
    settings: Settings,
) -> None:
    topics = await create_topics(settings)
    offsets = await dead_letter_offsets(settings, topics)
    seed_offset = offsets[b"seed-1"]
    marker = f"{topics.dlq}/0/{seed_offset}"

    dry = await replay(settings, Selection((seed_offset,)), dry_run=True)
    assert dry[0] == "would replay: 1"
    first = await replay(settings, Selection((seed_offset,)))
    again = await replay(settings, Selection((seed_offset,)))
    assert first[0] == "replayed: 1" and first[2] == "skipped, already replayed: 0"
    assert again[:3] == [
        "replayed: 0",
        "skipped, already replayed: 1",
        f"  dlq offset {seed_offset}",
    ]

    raw = replays_in(await read_committed(settings, topics.raw, expected=4))
    assert set(raw) == {marker}  # the dry run published nothing, the second replay nothing
    replayed = raw[marker]
    assert replayed.key == b"seed-1" and json.loads(replayed.value or b"")["id"] == "seed-1"
    originals = await read_committed(settings, topics.raw, expected=4, settle_s=0)
    [original] = [r for r in originals if r.key == b"seed-1" and not r.header(REPLAYED_FROM)]
    assert replayed.partition == original.partition and replayed.value == original.value

    async with stages_running(settings, "parser"):  # the fix: the default size limit
        parsed = await read_committed(settings, topics.parsed, expected=1)
    assert [ParsedArticle.from_bytes(r.value or b"").id for r in parsed] == ["seed-1"]

    everything = await replay(settings, Selection((), Filter(error_class="InvalidMessageError")))
    assert everything[0] == "replayed: 2" and "skipped, already replayed: 1" in everything
    raw = replays_in(await read_committed(settings, topics.raw, expected=6))
    assert raw[f"{topics.dlq}/0/{offsets[b'p1']}"].value == b"\xff\xfe"
    poison = raw[f"{topics.dlq}/0/{offsets[b'p0']}"]
    assert poison.value == b"{not json"
    assert poison.header("traceparent") == TRACEPARENT and poison.header("ce_id") == "p0"


async def test_racing_replays_publish_once(settings: Settings) -> None:
    topics = await create_topics(settings)
    offsets = await dead_letter_offsets(settings, topics)
    selection = Selection((offsets[b"p0"],))
    outcomes = await asyncio.gather(
        *(replay_letters(settings, selection, False, io.StringIO()) for _ in range(3)),
        return_exceptions=True,
    )
    assert 0 in outcomes  # the others were fenced by a later one, and published nothing
    for outcome in outcomes:
        assert outcome == 0 or (isinstance(outcome, DlqError) and "fenced" in str(outcome))
    again = await replay(settings, selection)
    assert again[:2] == ["replayed: 0", "skipped, already replayed: 1"]
    raw = replays_in(await read_committed(settings, topics.raw, expected=4))
    assert list(raw) == [f"{topics.dlq}/0/{offsets[b'p0']}"]


async def test_cli_errors_and_exit_codes(settings: Settings) -> None:
    topics = await create_topics(settings)
    offsets = await dead_letter_offsets(settings, topics)

    code, out, _ = await cli(settings, "list", "--stage", "parser")
    assert code == 0 and out.splitlines()[-1] == "(3 of 3 matching records shown)"
    code, out, _ = await cli(settings, "show", str(offsets[b"p0"]))
    assert code == 0 and "{not json" in out
    code, _, err = await cli(settings, "show", "99")
    assert code == 2 and f"newsflow: no dead letter at offset 99 of {topics.dlq}" in err
    code, out, _ = await cli(settings, "replay", "99", "--dry-run")
    assert code == 1 and "not found: 1\n  dlq offset 99: no such record in the DLQ" in out
    code, _, err = await cli(settings, "replay")
    assert code == 2 and "choose what to replay" in err
    code, _, err = await cli(settings, "list", "--limit", "0")
    assert code == 2 and "--limit must be at least 1" in err
    code, out, _ = await cli(settings, "replay", "--all", "--dry-run")
    assert code == 0 and out.startswith("would replay: 3")
    assert not replays_in(await read_committed(settings, topics.raw, expected=3, settle_s=0.5))
