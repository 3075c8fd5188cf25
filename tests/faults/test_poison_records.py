"""Poison records on every topic a stage reads: each goes to the DLQ with its reason (stage,
error class, message), the valid articles around it come out exactly once, and every service
stays ready."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime

from services.core.headers import TraceContext
from services.core.models import RawArticle
from services.core.records import OutgoingRecord
from services.core.settings import Settings
from services.ingest.articles import to_raw_article
from services.ingest.publisher import raw_record, received_now
from services.ingest.requests import ArticleIn
from tests.faults.harness import assert_exactly_once, dead_letters, fleet, payloads
from tests.integration.flow import create_topics, produce, read_committed

MAX_BODY = 100_000
VALID = 120


def raw_json(run: str, name: str, content: str = "Title\n\nA body.") -> dict[str, object]:
    return RawArticle(
        id=f"{run}-{name}", id_source="client", content=content, received_at=datetime.now(UTC)
    ).model_dump(mode="json")


async def test_poison_records_are_dead_lettered_with_their_reason_and_the_flow_goes_on(
    settings: Settings,
) -> None:
    topics = await create_topics(settings)
    run = uuid.uuid4().hex[:8]
    latin = json.dumps(
        raw_json(run, "latin-1", "Café\n\nUn article écrit en Latin-1."), ensure_ascii=False
    )
    # key -> (topic, value, stage expected to reject it, a fragment of the reason)
    poisons: dict[str, tuple[str, bytes, str, str]] = {
        "invalid-json": (topics.raw, b'{"id": "x", "content": "cut short', "parser", "json"),
        "wrong-schema": (
            topics.raw,
            b'{"headline": "x", "text": "y"}',
            "parser",
            "not a valid RawArticle",
        ),
        "not-an-object": (topics.raw, b"[1, 2, 3]", "parser", "not a valid RawArticle"),
        "empty": (topics.raw, b"", "parser", "no value"),
        "huge": (
            topics.raw,
            json.dumps(raw_json(run, "huge", "Big\n\n" + "word " * 40_000)).encode(),
            "parser",
            f"at most {MAX_BODY}",
        ),
        "latin-1": (topics.raw, latin.encode("latin-1"), "parser", "not UTF-8"),
        "utf-16": (
            topics.raw,
            json.dumps(raw_json(run, "utf-16")).encode("utf-16"),
            "parser",
            "not UTF-8",
        ),
        "parsed-invalid-json": (topics.parsed, b"\x7bnot json at all", "dedup", "json"),
        "parsed-raw-article": (
            topics.parsed,
            json.dumps(raw_json(run, "p")).encode(),
            "dedup",
            "not a valid ParsedArticle",
        ),
        "dedup-invalid-json": (topics.deduplicated, b"}{", "store", "json"),
        "dedup-raw-article": (
            topics.deduplicated,
            json.dumps(raw_json(run, "d")).encode(),
            "store",
            "not a valid DeduplicatedArticle",
        ),
    }
    assert len(poisons["huge"][1]) > MAX_BODY
    trace = TraceContext.new()
    valid = [
        raw_record(topics.raw, to_raw_article(ArticleIn.model_validate(p), received_now()), trace)
        for p in payloads(run, VALID)
    ]
    accepted = {(r.key or b"").decode() for r in valid}
    records: list[OutgoingRecord] = []
    bad = [OutgoingRecord(t, f"{run}-{k}".encode(), v) for k, (t, v, _, _) in poisons.items()]
    step = VALID // len(bad)
    for index, poison in enumerate(bad):  # each poison between valid records
        records += [*valid[index * step : (index + 1) * step], poison]
    records += valid[len(bad) * step :]

    with fleet(settings, max_body_bytes=MAX_BODY) as services:
        services.start_all()
        await produce(settings, records)
        await assert_exactly_once(settings, accepted)
        dlq = await read_committed(settings, topics.dlq, len(poisons), timeout_s=60, settle_s=2)
        await services.wait_ready(timeout_s=30)

    letters = dead_letters(dlq)
    assert len(dlq) == len(poisons), f"DLQ has {len(dlq)} records, expected {len(poisons)}"
    assert set(letters) == {f"{run}-{k}" for k in poisons}, "only the poison records, each once"
    for name, (topic, value, stage, reason) in poisons.items():
        letter, record = letters[f"{run}-{name}"]
        assert (letter.stage, letter.error_class, letter.original_topic) == (
            stage,
            "InvalidMessageError",
            topic,
        ), name
        assert reason.lower() in letter.error_message.lower(), (name, letter.error_message)
        assert record.header("nf_stage") == stage and record.header("nf_error_class") == (
            "InvalidMessageError"
        )
        kept = (
            base64.b64decode(letter.original_value)
            if letter.original_value_encoding == "base64"
            else letter.original_value.encode()
        )
        assert kept == value, f"{name}: the original value is kept whole"
    assert letters[f"{run}-utf-16"][0].original_value_encoding == "base64"
