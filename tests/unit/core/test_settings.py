"""Settings: environment names, the external cluster switch, and that README documents each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from services.core.settings import DedupSettings, Settings

README = Path(__file__).resolve().parents[3] / "README.md"


def environment_names(model: type[BaseModel], prefix: str = "NEWSFLOW_") -> list[str]:
    """The environment variable of every field, nested models' fields under their own prefix."""
    names: list[str] = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            names.extend(environment_names(kind, f"{prefix}{name.upper()}_"))
        else:
            names.append(f"{prefix}{name.upper()}")
    return names


def documented_names() -> set[str]:
    """The variables named in the first column of README's Settings table."""
    section = README.read_text().split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    cells = (line.split("|")[1] for line in section.splitlines() if line.startswith("|"))
    return {name for cell in cells for name in re.findall(r"`(NEWSFLOW_[A-Z0-9_]+)`", cell)}


@pytest.mark.parametrize("variable", environment_names(Settings))
def test_every_setting_is_documented_in_readme(variable: str) -> None:
    assert variable in documented_names(), f"README's Settings table has no row for {variable}"


def test_dedup_settings_come_from_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_DEDUP_SHINGLE_SIZE", "7")
    monkeypatch.setenv("NEWSFLOW_DEDUP_WINDOW_HOURS", "5")
    monkeypatch.setenv("NEWSFLOW_DEDUP_SQLITE_SYNCHRONOUS", "NORMAL")
    dedup = Settings().dedup
    assert (dedup.shingle_size, dedup.window_seconds, dedup.sqlite_synchronous) == (
        7,
        5 * 3600,
        "NORMAL",
    )
    assert dedup.jaccard_threshold == DedupSettings().jaccard_threshold
    monkeypatch.setenv("NEWSFLOW_DEDUP_ANCHORS_PER_DOC", "0")
    with pytest.raises(ValueError, match="anchors_per_doc"):
        Settings()


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


def test_source_zones_are_a_json_map_of_iana_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_SOURCE_ZONES", '{"lemonde.fr": "Europe/Paris"}')
    assert Settings().source_zones == {"lemonde.fr": "Europe/Paris"}
    monkeypatch.setenv("NEWSFLOW_SOURCE_ZONES", '{"lemonde.fr": "Europe/Pariss", "x": "CET2"}')
    with pytest.raises(ValueError, match="not IANA time zone names: CET2, Europe/Pariss"):
        Settings()
