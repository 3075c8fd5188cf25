"""The topology of the flow, written once: which stage reads which topic, writes which, with
which event type, in which order, on which health port.

Everything that knows the shape of the flow reads :data:`FLOW`: the stages' handlers and
:class:`~services.core.runner.Stage`, the contracts (the AsyncAPI operations and channels), the
gateway (the services it probes, the consumer groups whose lag it measures, the topics it
follows), the CPU priorities and the settings' health ports. Adding a stage is one row here (a
name in :data:`ServiceName`, its output topic in :class:`~services.core.topics.Topic`) and its
handler. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from services.core.topics import Topic

ServiceName = Literal["ingest", "parser", "dedup", "store", "gateway"]
# How far an article has come when it is seen on a stage's output topic (the gateway's tracker).
Milestone = Literal["accepted", "parsed", "deduplicated", "stored"]


@dataclass(frozen=True, slots=True)
class StageSpec:
    """One stage of the flow.

    ``receives`` is ``None`` for the stage that takes articles from outside (ingest); a stage
    that receives is a consumer stage, which reads and writes in Kafka transactions and
    dead-letters the records it cannot process. ``health_port_offset`` places a consumer stage's
    health endpoint above ``health_port_base`` (ingest serves health on its own HTTP port).
    """

    name: ServiceName
    receives: Topic | None
    sends: Topic
    event_type: str
    reached: Milestone
    health_port_offset: int | None = None

    @property
    def consumes(self) -> bool:
        return self.receives is not None

    @property
    def input(self) -> Topic:
        """The topic a consumer stage reads."""
        if self.receives is None:
            raise ValueError(f"{self.name} is not a consumer stage")
        return self.receives


# The flow, in order from the source to the sink.
FLOW: tuple[StageSpec, ...] = (
    StageSpec("ingest", None, Topic.RAW, "dev.newsflow.article.accepted.v1", "accepted"),
    StageSpec("parser", Topic.RAW, Topic.PARSED, "dev.newsflow.article.parsed.v1", "parsed", 0),
    StageSpec(
        "dedup",
        Topic.PARSED,
        Topic.DEDUPLICATED,
        "dev.newsflow.article.deduplicated.v1",
        "deduplicated",
        1,
    ),
    StageSpec(
        "store",
        Topic.DEDUPLICATED,
        Topic.PROCESSED,
        "dev.newsflow.article.processed.v1",
        "stored",
        2,
    ),
)
DEAD_LETTERS = Topic.DLQ
DEADLETTERED_EVENT = "dev.newsflow.article.deadlettered.v1"

STAGES: tuple[ServiceName, ...] = tuple(stage.name for stage in FLOW)
CONSUMERS: tuple[StageSpec, ...] = tuple(stage for stage in FLOW if stage.consumes)
CONSUMER_SERVICES: tuple[ServiceName, ...] = tuple(stage.name for stage in CONSUMERS)
SERVICES: tuple[ServiceName, ...] = (*STAGES, "gateway")


def stage(name: str) -> StageSpec:
    """The row of stage ``name``."""
    for spec in FLOW:
        if spec.name == name:
            return spec
    raise KeyError(f"no stage {name!r} in the flow; the stages are {STAGES}")


def writer_of(topic: Topic) -> StageSpec | None:
    """The stage that sends ``topic`` (``None`` for the DLQ, which every consumer sends)."""
    return next((spec for spec in FLOW if spec.sends is topic), None)


def written_in_transactions(topic: Topic) -> bool:
    """Whether ``topic`` is written in Kafka transactions (by a consumer stage)."""
    writer = writer_of(topic)
    return writer is None or writer.consumes


def sink() -> Topic:
    """The flow's output topic, which downstream systems consume (no stage receives it)."""
    received = {spec.receives for spec in FLOW}
    outputs = [spec.sends for spec in FLOW if spec.sends not in received]
    if len(outputs) != 1:
        raise ValueError(f"the flow must end in one topic, it ends in {outputs}")
    return outputs[0]


def steps_to_sink(name: ServiceName) -> int:
    """How many consumer stages come after ``name`` (0 for the last, and for a service that is
    not a consumer stage)."""
    names = CONSUMER_SERVICES
    return len(names) - 1 - names.index(name) if name in names else 0
