"""Settings: environment names, the external cluster switch, and that README documents each."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.core.settings import Settings

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented_in_readme(name: str) -> None:
    assert f"`NEWSFLOW_{name.upper()}`" in README


def test_external_cluster_from_plain_kafka_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSFLOW_KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    settings = Settings()
    assert settings.uses_external_kafka and settings.bootstrap_servers == "kafka:9092"


def test_local_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "KAFKA_BOOTSTRAP_SERVERS",
        "NEWSFLOW_KAFKA_BOOTSTRAP_SERVERS",
        "NEWSFLOW_KAFKA_PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.bootstrap_servers == "127.0.0.1:9092"
    assert [settings.health_port(s) for s in ("parser", "dedup", "store")] == [9101, 9102, 9103]
    assert Settings(health_port_base=0).health_port("store") == 0
    assert Settings(host="0.0.0.0").ingest_url == "http://127.0.0.1:8000"


def test_api_keys_are_split_and_hidden() -> None:
    settings = Settings(ingest_api_keys=" a, b ,,")
    assert settings.api_keys == frozenset({"a", "b"})
    assert "a, b" not in repr(settings)


def test_invalid_values_are_refused() -> None:
    for step in (-1, 10):
        with pytest.raises(ValueError, match="priority_step"):
            Settings(priority_step=step)
    with pytest.raises(ValueError, match="topic_partitions"):
        Settings(topic_partitions=0)
    with pytest.raises(ValueError, match="consumer_fetch_min_bytes"):
        Settings(consumer_fetch_min_bytes=0)
    for wait in (-1, 10_001):
        with pytest.raises(ValueError, match="consumer_fetch_max_wait_ms"):
            Settings(consumer_fetch_max_wait_ms=wait)
