"""aiokafka's errors stop at the wrapper: translated into newsflow's own, imported nowhere else,
and no global of the library is changed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from aiokafka.errors import KafkaConnectionError, NotControllerError, ProducerFenced

from services.core import kafka
from services.core.errors import BrokerUnavailableError, ProducerFencedError, TransientError
from services.core.kafkaerrors import is_broker_error, is_retriable, translate, translated
from services.core.policy import classify
from services.core.settings import Settings

SERVICES = Path(__file__).resolve().parents[3] / "services"
WRAPPER = {SERVICES / "core" / "kafka.py", SERVICES / "core" / "kafkaerrors.py"}


def imported(node: ast.AST) -> list[str]:
    """The dotted names an import statement brings in (``a.b`` for ``from a import b``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [f"{node.module}.{alias.name}" for alias in node.names]
    return []


def imports_aiokafka_errors(path: Path) -> bool:
    return any(
        name.startswith("aiokafka.errors")
        for node in ast.walk(ast.parse(path.read_text()))
        for name in imported(node)
    )


def test_only_the_wrapper_imports_aiokafka_errors() -> None:
    offenders = [
        str(path.relative_to(SERVICES))
        for path in sorted(SERVICES.rglob("*.py"))
        if path not in WRAPPER and imports_aiokafka_errors(path)
    ]
    assert offenders == []
    assert all(imports_aiokafka_errors(path) for path in WRAPPER)  # the check can see them


def test_a_fenced_producer_is_its_own_error() -> None:
    error = translate(ProducerFenced(), "committing")
    assert type(error) is ProducerFencedError
    assert str(error).startswith("committing: ")
    assert classify(error) == "transient"


def test_every_other_broker_error_is_unavailability() -> None:
    error = translate(KafkaConnectionError("refused"), "sending")
    assert type(error) is BrokerUnavailableError
    assert isinstance(error, TransientError)
    assert "refused" in str(error)


def test_translated_raises_ours_chained_to_the_library_error() -> None:
    original = KafkaConnectionError("down")
    with pytest.raises(BrokerUnavailableError) as raised, translated("reading"):
        raise original
    assert raised.value.__cause__ is original


def test_translated_lets_other_errors_through() -> None:
    with pytest.raises(ValueError, match="not kafka"), translated("reading"):
        raise ValueError("not kafka")


def test_untranslated_library_errors_are_still_known() -> None:
    assert is_broker_error(KafkaConnectionError())
    assert not is_broker_error(OSError())
    assert classify(KafkaConnectionError()) == "transient"
    assert is_retriable(NotControllerError())
    assert not is_retriable(ProducerFenced())
    assert not is_retriable(ValueError())


PROBE = """
import sys, types
import aiokafka, aiokafka.producer.sender, aiokafka.consumer.fetcher, aiokafka.client
def snapshot():
    return {
        (name, key): repr(value)
        for name, module in list(sys.modules.items())
        if name.startswith("aiokafka") and isinstance(module, types.ModuleType)
        for key, value in vars(module).items()
        if isinstance(value, (int, float, str, bool, type(None)))
    }
before = snapshot()
import services.core.kafka, services.core.runner, services.core.service, services.core.logs
after = snapshot()
changed = sorted(k for k in before if k in after and before[k] != after[k])
print(changed)
"""


def test_importing_the_wrapper_changes_no_global_of_the_library() -> None:
    root = str(SERVICES.parent)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "[]"


async def test_transactional_producers_retry_after_the_short_backoff() -> None:
    """What the old patch of aiokafka's ``BACKOFF_OVERRIDE`` bought, through a parameter: a
    transactional producer's refused coordinator request is retried after 5 ms."""
    settings = Settings()
    transactional = kafka.make_producer(settings, transactional_id="t")
    plain = kafka.make_producer(settings)
    try:
        assert transactional._sender._retry_backoff == pytest.approx(0.005)
        assert plain._sender._retry_backoff == pytest.approx(0.1)  # the library's default
    finally:
        for producer in (transactional, plain):
            await producer.stop()
