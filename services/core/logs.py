"""structlog set-up: JSON lines off a terminal, readable output on one.

newsflow's own loggers take structlog's direct path (level filtered before any work, rendered
with orjson, written to stdout): a stage writes one line per record, so a line must cost a few
microseconds, not the ~50 of a trip through the standard library. Standard-library loggers
(uvicorn, aiokafka) go through the same processors and renderer, so one process writes one
format.

aiokafka logs at error level some failures it retries itself: while a fresh broker's group
coordinator comes up, every group lookup fails with ``GroupCoordinatorNotAvailableError`` and is
retried. Those lines are written as warnings (:class:`RetriedKafkaErrors`); an aiokafka error that
is not retriable keeps its level.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Literal

import orjson
import structlog
from structlog.typing import EventDict, FilteringBoundLogger, Processor

from services.core.kafkaerrors import is_retriable

_SHARED: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
]


class _NamedWriteLogger(structlog.WriteLogger):
    """structlog's stdout writer, knowing the module it logs for."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__(sys.stdout)
        self.name = name


def _add_name(logger: object, _method: str, event: EventDict) -> EventDict:
    name = getattr(logger, "name", None)
    if name is not None:
        event.setdefault("logger", name)
    return event


def _json_line(event: EventDict, **_: Any) -> str:
    return orjson.dumps(event, default=repr).decode()


def configure_logging(
    level: str = "INFO",
    fmt: Literal["auto", "json", "console"] = "auto",
    service: str | None = None,
) -> None:
    """Route structlog and the standard library through one renderer on stdout."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stdout.isatty())
    renderer: Processor = (
        structlog.processors.JSONRenderer(serializer=_json_line)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())
    )
    exceptions = structlog.processors.format_exc_info if use_json else _noop
    numeric_level = logging.getLevelNamesMapping()[level.upper()]
    structlog.configure(
        processors=[*_SHARED, _add_name, exceptions, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        logger_factory=_NamedWriteLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    handler.addFilter(RetriedKafkaErrors())  # on the handler: it sees every aiokafka logger
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric_level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "aiokafka"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    structlog.contextvars.clear_contextvars()
    if service:
        structlog.contextvars.bind_contextvars(service=service)


class RetriedKafkaErrors(logging.Filter):
    """Writes aiokafka's error-level lines about a retriable Kafka error (one it retries itself,
    such as a group coordinator not available yet) as warnings; everything else is untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        if (
            record.levelno >= logging.ERROR
            and record.name.startswith("aiokafka")
            and any(is_retriable(arg) for arg in _args(record))
        ):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _args(record: logging.LogRecord) -> tuple[object, ...]:
    args = record.args
    if isinstance(args, tuple):
        return args
    return () if args is None else tuple(args.values())


def _noop(_logger: object, _name: str, event: EventDict) -> EventDict:
    return event


def get_logger(name: str) -> FilteringBoundLogger:
    """The logger of module ``name`` (its lines carry ``logger=name``)."""
    logger: FilteringBoundLogger = structlog.get_logger(name)
    return logger
