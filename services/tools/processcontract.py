"""The contract of the processes topic, beside the article topics' (:mod:`contracts`).

Not part of the article flow: each consumer-stage process announces itself there (key: its
instance id; value: :class:`~services.core.models.ProcessAnnounced`; a tombstone when it stops
cleanly), and the gateway reads it for ``/v1/status``. Its channel, message, operations and JSON
Schema join the AsyncAPI document and ``schemas/``.
"""

from __future__ import annotations

from typing import Any

from services.core import topology
from services.core.models import ProcessAnnounced
from services.core.topics import PROCESSES, TopicSpec

JsonObject = dict[str, Any]

MESSAGE = ProcessAnnounced.__name__
SCHEMA_FILE = f"{PROCESSES}.json"
SUMMARY = (
    "Each parser, dedup and store process announcing itself every few seconds: its role "
    "(active or standby), the partitions it holds, its health URL (compacted: one record per "
    "process; a tombstone when it stops cleanly)."
)
READER = "gateway"


def schema(dialect: str, base_url: str) -> JsonObject:
    """The JSON Schema of the record value."""
    body = ProcessAnnounced.model_json_schema(mode="serialization")
    return {"$schema": dialect, "$id": base_url + SCHEMA_FILE, **body}


def channel(spec: TopicSpec, binding_version: str) -> JsonObject:
    config = spec.config
    return {
        "address": PROCESSES,
        "title": PROCESSES,
        "description": f"{SUMMARY} Deployments put the configurable prefix NEWSFLOW_TOPIC_PREFIX "
        "before the address; partitions and retention shown are the defaults.",
        "messages": {MESSAGE: {"$ref": f"#/components/messages/{MESSAGE}"}},
        "bindings": {
            "kafka": {
                "topic": PROCESSES,
                "partitions": spec.partitions,
                "topicConfiguration": {
                    "cleanup.policy": config["cleanup.policy"].split(","),
                    "retention.ms": int(config["retention.ms"]),
                },
                "bindingVersion": binding_version,
            }
        },
    }


def message(schema_format: str, binding_version: str) -> JsonObject:
    return {
        "name": MESSAGE,
        "title": MESSAGE,
        "summary": SUMMARY,
        "contentType": "application/json",
        "payload": {"schemaFormat": schema_format, "schema": {"$ref": f"./{SCHEMA_FILE}"}},
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": "The process's instance id (service, host, pid and a random "
                    "part) as UTF-8 text; a record with this key and no value is its goodbye.",
                },
                "bindingVersion": binding_version,
            }
        },
    }


def operations() -> JsonObject:
    """Every consumer stage sends its announcements; the gateway reads them (no group)."""
    found: JsonObject = {}
    for who, action in [(stage.name, "send") for stage in topology.CONSUMERS] + [
        (READER, "receive")
    ]:
        verb = "Sends" if action == "send" else "Receives"
        found[f"{who}{action.capitalize()}{MESSAGE}"] = {
            "action": action,
            "title": f"{who} {action}s {PROCESSES}",
            "summary": f"{verb} {MESSAGE} records.",
            "channel": {"$ref": f"#/channels/{PROCESSES}"},
            "messages": [{"$ref": f"#/channels/{PROCESSES}/messages/{MESSAGE}"}],
        }
    return found
