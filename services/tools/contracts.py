"""The published contracts of the flow, generated from the message models.

``schemas/`` holds one JSON Schema (draft 2020-12) per topic value and an AsyncAPI 3.0.0
document that ties topics, stages, record keys, headers and payloads together. The files are
rendered deterministically (sorted keys, two-space indent, trailing newline), so a test can
compare them byte for byte with what the models produce now: ``newsflow schemas`` rewrites
them, ``newsflow schemas --check`` lists the stale ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

from services import __version__
from services.core import topology
from services.core.deadletters import (
    NF_ERROR_CLASS,
    NF_ERROR_MESSAGE,
    NF_ORIGINAL_OFFSET,
    NF_ORIGINAL_PARTITION,
    NF_ORIGINAL_TOPIC,
    NF_STAGE,
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
)
from services.core.models import (
    DeadLetter,
    DeduplicatedArticle,
    Message,
    ParsedArticle,
    ProcessedArticle,
    RawArticle,
    Verdict,
)
from services.core.settings import Settings
from services.core.topics import PROCESSES, Topic, Topics
from services.tools import processcontract

JsonObject = dict[str, Any]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE_URL = "https://newsflow.dev/schemas/"
ASYNCAPI_FILE = "asyncapi.json"
# AsyncAPI lists draft-07 among its schema formats; draft 2020-12 is named the same way (a
# custom value the AsyncAPI spec allows, which a tool may need a schema parser for).
PAYLOAD_SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12"
KAFKA_BINDING_VERSION = "0.5.0"
DLQ_HEADER_MESSAGE_CHARS = 500  # deadletters.py cuts the header copy of the error message here

TOPIC_MODELS: dict[Topic, type[Message]] = {
    Topic.RAW: RawArticle,
    Topic.PARSED: ParsedArticle,
    Topic.DEDUPLICATED: DeduplicatedArticle,
    Topic.PROCESSED: ProcessedArticle,
    Topic.DLQ: DeadLetter,
}

TOPIC_SUMMARIES: dict[Topic, str] = {
    Topic.RAW: "Articles as clients pushed them, accepted by ingest.",
    Topic.PARSED: "Articles reduced to clean, typed fields by the parser.",
    Topic.DEDUPLICATED: "Parsed articles with the dedup verdict (unique, duplicate, update).",
    Topic.PROCESSED: "Stored articles: what downstream systems consume, one per article id "
    "(compacted).",
    Topic.DLQ: "Records a stage could not process, kept whole, with the reason.",
}


def schema_file(topic: Topic) -> str:
    return f"{topic.value}.json"


def message_id(topic: Topic) -> str:
    return TOPIC_MODELS[topic].__name__


def topic_schema(topic: Topic) -> JsonObject:
    """The JSON Schema (draft 2020-12) of a topic's record value, as the model serialises it."""
    schema = TOPIC_MODELS[topic].model_json_schema(mode="serialization")
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_BASE_URL + schema_file(topic), **schema}


def _header(description: str, **constraints: Any) -> JsonObject:
    return {"type": "string", "description": description, **constraints}


def _cloudevent_headers() -> JsonObject:
    return {
        CE_SPECVERSION: _header("CloudEvents version (binary content mode).", const="1.0"),
        CE_ID: _header("Event id, unique for its source."),
        CE_SOURCE: _header("The stage that wrote the record.", pattern="^/newsflow/[a-z]+$"),
        CE_TYPE: _header(
            "Event type, e.g. dev.newsflow.article.accepted.v1 (raw) or "
            "dev.newsflow.article.deadlettered.v1 (DLQ).",
            pattern=r"^dev\.newsflow\.[a-z.]+\.v[0-9]+$",
        ),
        CE_TIME: _header("When the event happened (RFC 3339).", format="date-time"),
        CONTENT_TYPE: _header("Media type of the record value.", const="application/json"),
        TRACEPARENT: _header(
            "W3C trace context: one trace id for the article's journey, a span per stage.",
            pattern="^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
        ),
    }


def _topic_headers(topic: Topic) -> JsonObject:
    if topic is Topic.PROCESSED:
        return {
            NF_VERDICT: _header(
                "The dedup verdict, so consumers can skip duplicates without parsing the value.",
                enum=list(get_args(Verdict)),
            )
        }
    if topic is Topic.DLQ:
        number = "^[0-9]+$"
        return {
            NF_STAGE: _header("The stage that rejected the record."),
            NF_ERROR_CLASS: _header("The exception class."),
            NF_ERROR_MESSAGE: _header(
                "The error message, cut short.", maxLength=DLQ_HEADER_MESSAGE_CHARS
            ),
            NF_ORIGINAL_TOPIC: _header("The topic of the original record."),
            NF_ORIGINAL_PARTITION: _header("Its partition, in decimal.", pattern=number),
            NF_ORIGINAL_OFFSET: _header("Its offset, in decimal.", pattern=number),
        }
    return {}


def headers_schema(topic: Topic) -> JsonObject:
    """The record headers of a topic (UTF-8 text values), as a JSON Schema object."""
    properties = _cloudevent_headers() | _topic_headers(topic)
    return {
        "type": "object",
        "description": "Kafka record headers; every value is UTF-8 text.",
        "properties": properties,
        "required": list(properties),
    }


def _key(topic: Topic) -> JsonObject:
    if topic is Topic.DLQ:
        return {
            "type": ["string", "null"],
            "description": "The original record's key (an article id as UTF-8 text), if it "
            "had one.",
        }
    return {
        "type": "string",
        "description": "The article id as UTF-8 text, so every record of an article goes to "
        "one partition.",
    }


def _message(topic: Topic) -> JsonObject:
    model = TOPIC_MODELS[topic]
    return {
        "name": model.__name__,
        "title": model.__name__,
        "summary": TOPIC_SUMMARIES[topic],
        "contentType": "application/json",
        "headers": headers_schema(topic),
        "payload": {
            "schemaFormat": PAYLOAD_SCHEMA_FORMAT,
            "schema": {"$ref": f"./{schema_file(topic)}"},
        },
        "bindings": {"kafka": {"key": _key(topic), "bindingVersion": KAFKA_BINDING_VERSION}},
    }


def _channel(topic: Topic, partitions: int, config: dict[str, str]) -> JsonObject:
    topic_config: JsonObject = {"cleanup.policy": config["cleanup.policy"].split(",")}
    if "retention.ms" in config:
        topic_config["retention.ms"] = int(config["retention.ms"])
    return {
        "address": topic.value,
        "title": topic.value,
        "description": f"{TOPIC_SUMMARIES[topic]} Deployments put the configurable prefix "
        "NEWSFLOW_TOPIC_PREFIX before the address; partitions and retention shown are the "
        "defaults.",
        "messages": {message_id(topic): {"$ref": f"#/components/messages/{message_id(topic)}"}},
        "bindings": {
            "kafka": {
                "topic": topic.value,
                "partitions": partitions,
                "topicConfiguration": topic_config,
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _operation(stage: str, action: str, topic: Topic) -> tuple[str, JsonObject]:
    verb = "Sends" if action == "send" else "Receives"
    operation: JsonObject = {
        "action": action,
        "title": f"{stage} {action}s {topic.value}",
        "summary": f"{verb} {message_id(topic)} records.",
        "channel": {"$ref": f"#/channels/{topic.value}"},
        "messages": [{"$ref": f"#/channels/{topic.value}/messages/{message_id(topic)}"}],
    }
    if action == "receive" and stage != "downstream":
        operation["bindings"] = {
            "kafka": {
                "groupId": {
                    "type": "string",
                    "const": Topics().group_of(stage),
                    "description": "The consumer group; deployments prefix it like the topics.",
                },
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        }
    name = f"{stage}{action.capitalize()}{message_id(topic)}"
    return name, operation


def _operations() -> JsonObject:
    operations: JsonObject = {}
    for stage in topology.FLOW:
        if stage.receives is not None:
            name, operation = _operation(stage.name, "receive", stage.receives)
            operations[name] = operation
        name, operation = _operation(stage.name, "send", stage.sends)
        operations[name] = operation
    name, operation = _operation("downstream", "receive", topology.sink())
    operations[name] = operation
    for stage in topology.CONSUMERS:  # every consumer stage dead-letters
        name, operation = _operation(stage.name, "send", topology.DEAD_LETTERS)
        operations[name] = operation
    return operations


def flow_topics() -> list[Topic]:
    """Every topic of the topology: each stage's output, and the DLQ."""
    return [stage.sends for stage in topology.FLOW] + [topology.DEAD_LETTERS]


def deployment_topics() -> list[str]:
    """The address of every topic a deployment has: the flow's, then the processes topic."""
    return [topic.value for topic in flow_topics()] + [PROCESSES]


def _default(field: str) -> Any:
    """A setting's default: never the environment, so the output stays deterministic."""
    return Settings.model_fields[field].default


def asyncapi_document() -> JsonObject:
    """The AsyncAPI 3.0.0 document of the flow; payloads refer to the per-topic schemas."""
    specs = Topics().specs(
        _default("topic_partitions"), _default("raw_retention_ms"), _default("dlq_retention_ms")
    )
    by_name = {spec.name: spec for spec in specs}
    channels = {
        topic.value: _channel(topic, by_name[topic.value].partitions, by_name[topic.value].config)
        for topic in flow_topics()
    }
    channels[PROCESSES] = processcontract.channel(by_name[PROCESSES], KAFKA_BINDING_VERSION)
    messages = {message_id(topic): _message(topic) for topic in flow_topics()}
    messages[processcontract.MESSAGE] = processcontract.message(
        PAYLOAD_SCHEMA_FORMAT, KAFKA_BINDING_VERSION
    )
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "newsflow",
            "version": __version__,
            "description": "Event-driven ingestion of news articles: ingest → parser → dedup → "
            "store, each stage a Kafka consumer group. Record values are JSON (one JSON Schema "
            "per topic beside this file), keys are article ids, headers follow the CloudEvents "
            "Kafka binding (binary mode) plus W3C traceparent.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "The single-node broker `newsflow kafka start` runs.",
            },
            "compose": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "The broker of docker-compose.yml, inside its network.",
            },
        },
        "channels": channels,
        "operations": _operations() | processcontract.operations(),
        "components": {"messages": messages},
    }


def render(document: JsonObject) -> bytes:
    """Deterministic JSON: sorted keys, two-space indent, a trailing newline."""
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def rendered_files() -> dict[str, bytes]:
    """Every file of ``schemas/``, by name."""
    files = {schema_file(topic): render(topic_schema(topic)) for topic in flow_topics()}
    files[processcontract.SCHEMA_FILE] = render(
        processcontract.schema(SCHEMA_DIALECT, SCHEMA_BASE_URL)
    )
    files[ASYNCAPI_FILE] = render(asyncapi_document())
    return files


def write_schemas(directory: Path) -> list[Path]:
    """Write every contract file into ``directory``; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in rendered_files().items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


def check_schemas(directory: Path) -> list[str]:
    """Names of the contract files that are missing from ``directory`` or differ from the
    models (other files there are left alone)."""
    return [
        name
        for name, content in rendered_files().items()
        if not (directory / name).is_file() or (directory / name).read_bytes() != content
    ]
