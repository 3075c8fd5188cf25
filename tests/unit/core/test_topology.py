"""The topology table drives every part that knows the shape of the flow."""

from __future__ import annotations

from typing import Any

import pytest

from services.core import topology
from services.core.priority import stage_niceness
from services.core.runner import Stage
from services.core.settings import CONSUMER_SERVICES, SERVICES, Settings
from services.core.topics import PROCESSES, Topic, Topics
from services.gateway.poller import POLLED, stage_inputs
from services.gateway.probes import service_urls
from services.gateway.tracker import topic_stages
from services.tools import contracts

TOPICS = Topics("p.")


def test_the_flow_is_one_chain_from_ingest_to_the_sink() -> None:
    first, *rest = topology.FLOW
    assert first.receives is None
    for before, after in zip(topology.FLOW, rest, strict=False):
        assert after.receives is before.sends
    assert topology.sink() is Topic.PROCESSED
    assert len({stage.event_type for stage in topology.FLOW}) == len(topology.FLOW)
    offsets = [stage.health_port_offset for stage in topology.CONSUMERS]
    assert sorted(offsets) == list(range(len(offsets)))  # type: ignore[type-var]


def test_the_service_lists_come_from_the_table() -> None:
    assert topology.STAGES == ("ingest", "parser", "dedup", "store")
    assert CONSUMER_SERVICES == ("parser", "dedup", "store")
    assert (*topology.STAGES, "gateway") == SERVICES


def test_a_stage_reads_the_input_topic_of_its_row() -> None:
    async def handler(records: Any) -> list[Any]:
        return []

    for spec in topology.CONSUMERS:
        stage = Stage.in_flow(spec.name, TOPICS, handler)
        assert stage.input_topic == TOPICS.name_of(spec.input)
        assert stage.group_id == TOPICS.group_of(spec.name)
    with pytest.raises(ValueError, match="not a consumer"):
        Stage.in_flow("ingest", TOPICS, handler)
    with pytest.raises(KeyError, match="no stage"):
        topology.stage("gateway")


def asyncapi_operations() -> dict[str, Any]:
    operations: dict[str, Any] = contracts.asyncapi_document()["operations"]
    return operations


def test_every_asyncapi_channel_and_operation_comes_from_the_table() -> None:
    document = contracts.asyncapi_document()
    expected = {stage.sends.value for stage in topology.FLOW} | {topology.DEAD_LETTERS.value}
    assert set(document["channels"]) == expected | {PROCESSES}
    wanted: set[tuple[str, str, str]] = set()
    for stage in topology.FLOW:
        wanted.add((stage.name, "send", stage.sends.value))
        if stage.receives is not None:
            wanted.add((stage.name, "receive", stage.receives.value))
            wanted.add((stage.name, "send", Topic.DLQ.value))
            wanted.add((stage.name, "send", PROCESSES))  # each consumer announces itself
    wanted.add(("downstream", "receive", Topic.PROCESSED.value))
    wanted.add(("gateway", "receive", PROCESSES))
    found = {
        (op["title"].split(" ")[0], op["action"], op["channel"]["$ref"].split("/")[-1])
        for op in asyncapi_operations().values()
    }
    assert found == wanted


def test_the_gateway_polls_and_measures_every_stage_of_the_table() -> None:
    assert POLLED == topology.STAGES
    inputs = stage_inputs(TOPICS)
    assert [s.name for s in inputs] == list(CONSUMER_SERVICES)
    assert [s.topic for s in inputs] == [TOPICS.name_of(s.input) for s in topology.CONSUMERS]
    # the raw topic is written by ingest's plain producer; the others in transactions
    assert [s.transactional for s in inputs] == [False, True, True]
    assert list(service_urls(Settings(health_port_base=9200))) == list(topology.STAGES)
    local = Settings(host="0.0.0.0", ingest_port=8100, gateway_ingest_url=None)
    assert service_urls(local)["ingest"] == "http://127.0.0.1:8100"
    elsewhere = local.model_copy(update={"gateway_ingest_url": "http://ingest:8000"})
    assert service_urls(elsewhere)["ingest"] == "http://ingest:8000"


def test_the_tracker_follows_every_output_but_the_sink_and_the_dlq() -> None:
    assert topic_stages(TOPICS) == {
        "p.articles.raw.v1": "accepted",
        "p.articles.parsed.v1": "parsed",
        "p.articles.deduplicated.v1": "deduplicated",
        "p.articles.dlq.v1": "dead_lettered",
    }


def test_priority_and_health_ports_follow_the_table() -> None:
    settings = Settings(health_port_base=9200)
    for spec in topology.CONSUMERS:
        assert settings.health_port(spec.name) == 9200 + (spec.health_port_offset or 0)
        assert stage_niceness(spec.name, 1) == topology.steps_to_sink(spec.name)
    with pytest.raises(ValueError, match="own HTTP port"):
        settings.health_port("ingest")


def test_every_topic_of_the_deployment_is_in_the_table() -> None:
    specs = TOPICS.specs(3, 1000, 2000)
    assert [spec.name for spec in specs] == [
        TOPICS.prefix + address for address in contracts.deployment_topics()
    ]
