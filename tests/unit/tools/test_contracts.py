"""schemas/: up to date with the models, valid, and agreeing with an independent validator."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker
from pydantic import ValidationError

from services.core.deadletters import (
    NF_ERROR_CLASS,
    NF_ERROR_MESSAGE,
    NF_ORIGINAL_OFFSET,
    NF_ORIGINAL_PARTITION,
    NF_ORIGINAL_TOPIC,
    NF_STAGE,
    dead_letter,
    dead_letter_record,
)
from services.core.headers import (
    CE_ID,
    CE_SOURCE,
    CE_SPECVERSION,
    CE_TIME,
    CE_TYPE,
    CONTENT_TYPE,
    NF_VERDICT,
    TRACEPARENT,
    TraceContext,
    cloudevent_headers,
    header_map,
)
from services.core.models import (
    DeadLetter,
    DeduplicatedArticle,
    DedupVerdict,
    Message,
    ParsedArticle,
    ProcessAnnounced,
    ProcessedArticle,
    Quote,
    RawArticle,
)
from services.core.records import ConsumedRecord
from services.core.topics import PROCESSES, Topic
from services.tools import processcontract
from services.tools.contracts import (
    ASYNCAPI_FILE,
    TOPIC_MODELS,
    asyncapi_document,
    check_schemas,
    headers_schema,
    rendered_files,
    schema_file,
    topic_schema,
    write_schemas,
)
from services.tools.resources import SCHEMAS

SCHEMAS_DIR = SCHEMAS.checkout  # the repository's committed schemas/
NOW = datetime(2025, 11, 26, 14, 30, tzinfo=UTC)
KYIV = timezone(timedelta(hours=2))
CLOUDEVENT_HEADERS = (CE_SPECVERSION, CE_ID, CE_SOURCE, CE_TYPE, CE_TIME, CONTENT_TYPE, TRACEPARENT)
DLQ_HEADERS = (
    NF_STAGE,
    NF_ERROR_CLASS,
    NF_ERROR_MESSAGE,
    NF_ORIGINAL_TOPIC,
    NF_ORIGINAL_PARTITION,
    NF_ORIGINAL_OFFSET,
)

# jsonschema checks "date-time" only with an optional package; this checker needs none.
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)  # type: ignore[untyped-decorator]
def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value)
    return "T" in value.upper() and parsed.tzinfo is not None


def raw() -> RawArticle:
    return RawArticle(
        id="a1",
        id_source="client",
        content="<p>Talks resumed in Geneva on Monday.</p>",
        content_type="text/html",
        url="https://www.example.com/world/talks?utm_source=feed",
        canonical_url="https://example.com/world/talks",
        source="example",
        title="Talks resume",
        authors=["Jane Doe"],
        published_at=datetime(2025, 11, 26, 9, 0, tzinfo=KYIV),
        language="en",
        metadata={"feed": "world"},
        received_at=NOW,
    )


def parsed() -> ParsedArticle:
    return ParsedArticle(
        id="a1",
        url="https://www.example.com/world/talks",
        title="Talks resume",
        authors=["Jane Doe"],
        published_at=datetime(2025, 11, 26, 9, 0, tzinfo=KYIV),
        published_at_utc=datetime(2025, 11, 26, 7, 0, tzinfo=UTC),
        language="en",
        paragraphs=['"We will keep talking as long as it takes," the mediator said.'],
        word_count=11,
        cited_outlets=["Reuters"],
        quotes=[
            Quote(
                text="We will keep talking as long as it takes,",
                speaker="the mediator",
                speaker_kind="unnamed",
                cue="said",
                paragraph=0,
                start=1,
                end=42,
            )
        ],
        parser_version="1.0.0",
        received_at=NOW,
    )


def verdict() -> DedupVerdict:
    return DedupVerdict(
        verdict="duplicate",
        story_id="a0",
        duplicate_of="a0",
        similarity=0.93,
        method="near_content",
        evidence={"jaccard": 0.93, "shingles": 120, "rule": "minhash"},
    )


def deduplicated() -> DeduplicatedArticle:
    return DeduplicatedArticle(**parsed().model_dump(), dedup=verdict())


def processed() -> ProcessedArticle:
    return ProcessedArticle(**deduplicated().model_dump(), stored_at=NOW)


def consumed(value: bytes) -> ConsumedRecord:
    trace = TraceContext.new()
    headers = cloudevent_headers(
        event_id="e1", source="/newsflow/ingest", event_type="x", time=NOW, trace=trace
    )
    return ConsumedRecord("articles.raw.v1", 2, 41, b"a1", value, headers)


def letter() -> DeadLetter:
    return dead_letter("parser", consumed(b"\xff\xfe not utf-8"), ValueError("no body"))


EXAMPLES: dict[Topic, Message] = {
    Topic.RAW: raw(),
    Topic.PARSED: parsed(),
    Topic.DEDUPLICATED: deduplicated(),
    Topic.PROCESSED: processed(),
    Topic.DLQ: letter(),
}
MINIMAL: dict[Topic, Message] = {
    Topic.RAW: RawArticle(id="a", id_source="content", content="x", received_at=NOW),
    Topic.PARSED: ParsedArticle(id="a", paragraphs=[], parser_version="1", received_at=NOW),
    Topic.DLQ: DeadLetter(
        stage="dedup",
        error_class="KeyError",
        error_message="KeyError",
        original_topic="articles.parsed.v1",
        original_partition=0,
        original_offset=0,
        original_value="",
        original_value_encoding="utf-8",
        failed_at=NOW,
    ),
}

# (topic, what breaks, a change to a valid instance): each must fail the schema and the model.
# (The models are lax where the schemas are not: a model reads "41" as 41, the schema states
# what producers write, an integer.)
BROKEN: list[tuple[Topic, str, Any]] = [
    (Topic.RAW, "missing id", lambda d: d.pop("id")),
    (Topic.RAW, "missing received_at", lambda d: d.pop("received_at")),
    (Topic.RAW, "unknown id_source", lambda d: d.update(id_source="guess")),
    (Topic.RAW, "content not a string", lambda d: d.update(content=42)),
    (Topic.RAW, "schema_version 2", lambda d: d.update(schema_version=2)),
    (Topic.RAW, "received_at not a time", lambda d: d.update(received_at="yesterday")),
    (Topic.RAW, "received_at naive", lambda d: d.update(received_at="2025-11-26T14:30")),
    (Topic.PARSED, "missing paragraphs", lambda d: d.pop("paragraphs")),
    (Topic.PARSED, "paragraphs a string", lambda d: d.update(paragraphs="one paragraph")),
    (Topic.PARSED, "word_count a word", lambda d: d.update(word_count="six")),
    (Topic.PARSED, "metadata values not text", lambda d: d.update(metadata={"a": ["b"]})),
    (Topic.DEDUPLICATED, "missing dedup", lambda d: d.pop("dedup")),
    (Topic.DEDUPLICATED, "unknown verdict", lambda d: d["dedup"].update(verdict="maybe")),
    (Topic.DEDUPLICATED, "similarity above 1", lambda d: d["dedup"].update(similarity=1.5)),
    (Topic.PROCESSED, "missing stored_at", lambda d: d.pop("stored_at")),
    (Topic.PROCESSED, "missing dedup story_id", lambda d: d["dedup"].pop("story_id")),
    (Topic.DLQ, "missing original_value", lambda d: d.pop("original_value")),
    (Topic.DLQ, "offset a word", lambda d: d.update(original_offset="forty-one")),
    (Topic.DLQ, "unknown encoding", lambda d: d.update(original_value_encoding="latin-1")),
]


def validator(topic: Topic) -> Draft202012Validator:
    return Draft202012Validator(topic_schema(topic), format_checker=FORMATS)


def value_of(message: Message) -> Any:
    """The record value as a consumer sees it: the bytes the producer writes, parsed."""
    return json.loads(message.to_bytes())


def errors_of(topic: Topic, instance: Any) -> list[str]:
    return [error.message for error in validator(topic).iter_errors(instance)]


# Staleness: the committed files are what the models produce now.


@pytest.mark.parametrize("name", sorted(rendered_files()))
def test_committed_file_matches_the_models(name: str) -> None:
    path = SCHEMAS_DIR / name
    assert path.is_file(), f"schemas/{name} is missing: run `newsflow schemas`"
    assert path.read_bytes() == rendered_files()[name], (
        f"schemas/{name} is stale: a model changed; run `newsflow schemas` and commit the result"
    )


def test_check_schemas_is_clean_for_the_repository() -> None:
    assert check_schemas(SCHEMAS_DIR) == []


def test_check_lists_stale_and_missing_files(tmp_path: Path) -> None:
    written = write_schemas(tmp_path)
    assert sorted(path.name for path in written) == sorted(rendered_files())
    assert check_schemas(tmp_path) == []
    raw_file = tmp_path / schema_file(Topic.RAW)
    raw_file.write_bytes(raw_file.read_bytes().replace(b'"content"', b'"body"'))
    (tmp_path / ASYNCAPI_FILE).unlink()
    (tmp_path / "notes.txt").write_text("left alone")
    assert sorted(check_schemas(tmp_path)) == sorted([ASYNCAPI_FILE, schema_file(Topic.RAW)])
    write_schemas(tmp_path)
    assert check_schemas(tmp_path) == []


def test_rendering_is_deterministic() -> None:
    first, second = rendered_files(), rendered_files()
    assert first == second
    for content in first.values():
        assert content.endswith(b"}\n")
        document = json.loads(content)
        assert json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == (
            content.decode()
        )


# The JSON Schemas.


@pytest.mark.parametrize("topic", list(Topic))
def test_schema_is_a_valid_draft_2020_12_schema(topic: Topic) -> None:
    schema = json.loads((SCHEMAS_DIR / schema_file(topic)).read_bytes())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://newsflow.dev/schemas/{topic.value}.json"
    assert schema["title"] == TOPIC_MODELS[topic].__name__


@pytest.mark.parametrize("topic", list(Topic))
def test_a_full_example_validates(topic: Topic) -> None:
    message = EXAMPLES[topic]
    assert isinstance(message, TOPIC_MODELS[topic])
    assert errors_of(topic, value_of(message)) == []


@pytest.mark.parametrize("topic", list(Topic))
def test_the_record_value_is_the_models_json_and_reads_back(topic: Topic) -> None:
    for message in (EXAMPLES[topic], MINIMAL.get(topic, EXAMPLES[topic])):
        value = message.to_bytes()
        assert value == message.model_dump_json().encode()  # byte for byte
        assert type(message).from_bytes(value) == message


@pytest.mark.parametrize("topic", sorted(MINIMAL))
def test_a_minimal_example_validates(topic: Topic) -> None:
    assert errors_of(topic, value_of(MINIMAL[topic])) == []


@pytest.mark.parametrize("topic", list(Topic))
def test_required_fields_are_the_ones_without_defaults(topic: Topic) -> None:
    """A consumer may rely on a required field; one with a default may be absent."""
    model = TOPIC_MODELS[topic]
    expected = {name for name, field in model.model_fields.items() if field.is_required()}
    assert set(topic_schema(topic)["required"]) == expected


@pytest.mark.parametrize("topic", list(Topic))
def test_unknown_fields_are_allowed_like_the_models_allow_them(topic: Topic) -> None:
    """Additive changes within a version never break a consumer."""
    instance = value_of(EXAMPLES[topic]) | {"added_later": {"any": "thing"}}
    assert errors_of(topic, instance) == []
    TOPIC_MODELS[topic].model_validate(instance)


@pytest.mark.parametrize(
    ("topic", "change"),
    [(topic, change) for topic, _, change in BROKEN],
    ids=[b[1] for b in BROKEN],
)
def test_a_broken_instance_fails_the_schema_and_the_model(topic: Topic, change: Any) -> None:
    instance = value_of(EXAMPLES[topic])
    change(instance)
    assert errors_of(topic, instance), "the schema accepted a broken instance"
    with pytest.raises(ValidationError):
        TOPIC_MODELS[topic].model_validate(instance)


def test_a_binary_dead_letter_keeps_its_value_as_base64() -> None:
    instance = value_of(letter())
    assert instance["original_value_encoding"] == "base64"
    assert instance["original_headers"][CE_SOURCE] == "/newsflow/ingest"
    assert errors_of(Topic.DLQ, instance) == []


# The AsyncAPI document.


def asyncapi() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SCHEMAS_DIR / ASYNCAPI_FILE).read_bytes())
    return document


def resolve(document: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"not a local reference: {ref}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_asyncapi_file_is_the_generated_document() -> None:
    assert asyncapi() == asyncapi_document()
    assert asyncapi()["asyncapi"] == "3.0.0"


def test_every_topic_is_a_channel_with_its_message() -> None:
    document = asyncapi()
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == {topic.value for topic in Topic} | {PROCESSES}
    for channel in document["channels"].values():
        assert "prefix" in channel["description"]
        assert channel["bindings"]["kafka"]["topic"] == channel["address"]
        for message in channel["messages"].values():
            resolve(document, message["$ref"])


def test_every_payload_refers_to_an_existing_schema_file() -> None:
    messages = asyncapi()["components"]["messages"]
    referenced = set()
    for topic in Topic:
        message = messages[TOPIC_MODELS[topic].__name__]
        payload = message["payload"]
        assert payload["schemaFormat"] == "application/schema+json;version=draft-2020-12"
        target = SCHEMAS_DIR / payload["schema"]["$ref"]
        assert target.is_file(), f"{target} is missing"
        assert target.name == schema_file(topic)
        referenced.add(target.name)
    assert referenced == {schema_file(topic) for topic in Topic}


@pytest.mark.parametrize("topic", list(Topic))
def test_the_key_is_the_article_id_as_text(topic: Topic) -> None:
    message = asyncapi()["components"]["messages"][TOPIC_MODELS[topic].__name__]
    key = message["bindings"]["kafka"]["key"]
    Draft7Validator.check_schema(key)
    assert "article id" in key["description"]
    assert Draft7Validator(key).is_valid("a1")
    # A dead letter keeps the original key, which may have been null.
    assert Draft7Validator(key).is_valid(None) is (topic is Topic.DLQ)


def test_operations_follow_the_flow() -> None:
    document = asyncapi()
    seen = set()
    for operation in document["operations"].values():
        channel = resolve(document, operation["channel"]["$ref"])
        for message in operation["messages"]:
            assert message["$ref"].startswith(operation["channel"]["$ref"] + "/messages/")
            resolve(document, message["$ref"])
        seen.add((operation["title"].split()[0], operation["action"], channel["address"]))
    assert seen == {
        ("ingest", "send", "articles.raw.v1"),
        ("parser", "receive", "articles.raw.v1"),
        ("parser", "send", "articles.parsed.v1"),
        ("dedup", "receive", "articles.parsed.v1"),
        ("dedup", "send", "articles.deduplicated.v1"),
        ("store", "receive", "articles.deduplicated.v1"),
        ("store", "send", "articles.processed.v1"),
        ("parser", "send", "articles.dlq.v1"),
        ("dedup", "send", "articles.dlq.v1"),
        ("store", "send", "articles.dlq.v1"),
        ("downstream", "receive", "articles.processed.v1"),
        ("parser", "send", "newsflow.processes.v1"),
        ("dedup", "send", "newsflow.processes.v1"),
        ("store", "send", "newsflow.processes.v1"),
        ("gateway", "receive", "newsflow.processes.v1"),
    }


@pytest.mark.parametrize("topic", list(Topic))
def test_headers_are_a_valid_object_schema_with_the_topic_headers(topic: Topic) -> None:
    schema = asyncapi()["components"]["messages"][TOPIC_MODELS[topic].__name__]["headers"]
    Draft7Validator.check_schema(schema)  # AsyncAPI's schema format is a draft-07 superset
    assert schema["type"] == "object"
    expected = set(CLOUDEVENT_HEADERS)
    if topic is Topic.PROCESSED:
        expected.add(NF_VERDICT)
        assert schema["properties"][NF_VERDICT]["enum"] == ["unique", "duplicate", "update"]
    if topic is Topic.DLQ:
        expected.update(DLQ_HEADERS)
    assert set(schema["required"]) == expected == set(schema["properties"])


def headers_validator(topic: Topic) -> Draft7Validator:
    return Draft7Validator(headers_schema(topic), format_checker=FORMATS)


def test_real_dead_letter_headers_validate() -> None:
    record = dead_letter_record(
        "articles.dlq.v1", "parser", consumed(b"{}"), ValueError("e" * 3000)
    )
    headers = header_map(record.headers)
    assert list(headers_validator(Topic.DLQ).iter_errors(headers)) == []
    assert errors_of(Topic.DLQ, json.loads(record.value)) == []


def test_cloudevent_headers_with_a_verdict_validate_on_the_processed_topic() -> None:
    message = processed()
    headers = header_map(
        cloudevent_headers(
            event_id="a1",
            source="/newsflow/store",
            event_type="dev.newsflow.article.processed.v1",
            time=message.stored_at,
            trace=TraceContext.new(),
            extra={NF_VERDICT: message.dedup.verdict},
        )
    )
    assert list(headers_validator(Topic.PROCESSED).iter_errors(headers)) == []
    assert list(headers_validator(Topic.PROCESSED).iter_errors(headers | {NF_VERDICT: "maybe"}))
    missing = {name: value for name, value in headers.items() if name != TRACEPARENT}
    assert list(headers_validator(Topic.PROCESSED).iter_errors(missing))


# The processes topic: not an article topic, in the same documents.


def announced() -> ProcessAnnounced:
    return ProcessAnnounced(
        instance="dedup-host-a-4242-0a1b2c3d",
        service="dedup",
        host="host-a",
        pid=4242,
        role="standby",
        status="ok",
        detail="standby: waiting for the lease on data/dedup.db.lock",
        health_url="http://10.0.0.7:9102",
        lease="data/dedup.db.lock",
        started_at=NOW,
        announced_at=NOW,
        interval_s=2.0,
    )


def processes_validator() -> Draft202012Validator:
    schema = json.loads((SCHEMAS_DIR / processcontract.SCHEMA_FILE).read_bytes())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FORMATS)


def test_an_announcement_validates_against_the_processes_schema() -> None:
    instance = value_of(announced())
    assert list(processes_validator().iter_errors(instance)) == []
    assert ProcessAnnounced.from_bytes(announced().to_bytes()) == announced()
    for broken in ({"role": "leader"}, {"pid": "many"}, {"interval_s": 0}, {"status": "fine"}):
        assert list(processes_validator().iter_errors(instance | broken)), broken
        with pytest.raises(ValidationError):
            ProcessAnnounced.model_validate(instance | broken)


def test_the_processes_channel_is_compacted_and_keyed_by_the_instance() -> None:
    document = asyncapi()
    channel = document["channels"][PROCESSES]
    assert channel["bindings"]["kafka"]["partitions"] == 1
    assert channel["bindings"]["kafka"]["topicConfiguration"]["cleanup.policy"] == [
        "compact",
        "delete",
    ]
    message = resolve(document, channel["messages"][ProcessAnnounced.__name__]["$ref"])
    key = message["bindings"]["kafka"]["key"]
    assert "instance id" in key["description"]
    assert Draft7Validator(key).is_valid("dedup-host-a-4242-0a1b2c3d")
    assert message["payload"]["schema"]["$ref"] == f"./{processcontract.SCHEMA_FILE}"
