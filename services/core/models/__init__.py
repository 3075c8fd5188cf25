"""The message contracts of every topic. These pydantic models are the source of truth:
``schemas/`` is generated from them."""

from services.core.models.base import Message
from services.core.models.deadletter import DeadLetter
from services.core.models.deduplicated import (
    DeduplicatedArticle,
    DedupMethod,
    DedupVerdict,
    Verdict,
)
from services.core.models.parsed import ParsedArticle
from services.core.models.process import HealthStatus, ProcessAnnounced, ProcessRole
from services.core.models.processed import ProcessedArticle
from services.core.models.quote import Quote, SpeakerKind
from services.core.models.raw import ContentType, RawArticle

__all__ = [
    "ContentType",
    "DeadLetter",
    "DedupMethod",
    "DedupVerdict",
    "DeduplicatedArticle",
    "HealthStatus",
    "Message",
    "ParsedArticle",
    "ProcessAnnounced",
    "ProcessRole",
    "ProcessedArticle",
    "Quote",
    "RawArticle",
    "SpeakerKind",
    "Verdict",
]
