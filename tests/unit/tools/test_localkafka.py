"""The local broker launcher's checks give clear errors (no broker is started here)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from services.core.errors import ConfigurationError
from services.core.settings import Settings
from services.tools import localkafka


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="Java 17 or newer is needed"):
        localkafka.require_tools()


def test_old_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "java"
    fake.write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="found Java 11"):
        localkafka.require_tools()


def test_missing_maven_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "java"
    fake.write_text("#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="Maven"):
        localkafka.require_tools()


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        settings = Settings(kafka_bootstrap_servers=None, kafka_port=port, data_dir=tmp_path)
        assert localkafka.port_in_use(port)
        with pytest.raises(ConfigurationError, match=f"port {port} is in use"):
            localkafka.start(settings)
    assert not localkafka.status(settings).running


def test_properties_are_rendered_for_loopback(tmp_path: Path) -> None:
    settings = Settings(kafka_port=19999, kafka_controller_port=19998, data_dir=tmp_path)
    text = localkafka.render_properties(settings, localkafka.paths_for(settings))
    assert "listeners=PLAINTEXT://127.0.0.1:19999,CONTROLLER://127.0.0.1:19998" in text
    assert "controller.quorum.voters=1@127.0.0.1:19998" in text
    assert "transaction.state.log.min.isr=1" in text
    assert "{port}" not in text and "{log_dir}" not in text


def test_stop_without_a_broker_touches_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    paths = localkafka.paths_for(settings)
    paths.root.mkdir(parents=True)
    paths.pid_file.write_text("1")  # PID 1 is not our broker: never signalled
    assert localkafka.stop(settings) is False
    assert not paths.pid_file.exists()


def test_external_cluster_means_start_nothing(tmp_path: Path) -> None:
    settings = Settings(kafka_bootstrap_servers="kafka.example:9092", data_dir=tmp_path)
    current, took = localkafka.start(settings)
    assert current.running and current.pid is None and took == 0.0
    assert current.bootstrap == "kafka.example:9092"


def test_jvm_options_come_after_newsflow_own(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, kafka_jvm_options="-XX:MaxInlineLevel=9 '-Dnote=two words'"
    )
    command = localkafka._java_command("java", settings, tmp_path, "kafka.Kafka", "x.properties")
    assert command[-4:-2] == ["-cp", f"{tmp_path}/*"]
    assert command.index("-XX:MaxInlineLevel=9") > command.index("-XX:MaxInlineLevel=15")
    assert "-Dnote=two words" in command


def test_unsplittable_jvm_options_are_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, kafka_jvm_options="-Dnote='unclosed")
    with pytest.raises(ConfigurationError, match="NEWSFLOW_KAFKA_JVM_OPTIONS cannot be split"):
        localkafka._java_command("java", settings, tmp_path, "kafka.Kafka", "x.properties")


def test_an_unknown_jvm_option_stops_the_start_with_the_jvm_own_words(tmp_path: Path) -> None:
    """The JVM refuses it when the log directory is formatted, before any broker starts."""
    settings = Settings(
        data_dir=tmp_path,
        kafka_port=_free_port(),
        kafka_controller_port=_free_port(),
        kafka_bootstrap_servers=None,
        kafka_jvm_options="-XX:+NoSuchNewsflowOption",
    )
    with pytest.raises(ConfigurationError, match=r"(?s)formatting.*NoSuchNewsflowOption"):
        localkafka.start(settings)
    assert not localkafka.status(settings).running


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
