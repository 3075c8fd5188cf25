"""Settings: environment names, the external cluster switch, and that README documents each."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

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


# Fields whose valid values a type alone does not tell.
EXAMPLES: dict[str, Any] = {
    "database_url": "postgresql://newsflow:secret@db.example:5432/newsflow",
    "database_read_url": "postgres://reader@replica.example/newsflow",
}


def changed(model: type[BaseModel], name: str) -> Any:
    """A valid value for field ``name`` of ``model`` that is not its default."""
    if model is Settings and name in EXAMPLES:
        return EXAMPLES[name]
    field = model.model_fields[name]
    default = field.get_default(call_default_factory=True)
    kind = field.annotation
    if get_origin(kind) is dict:
        return {"lemonde.fr": "Europe/Paris", "g1.globo.com": "America/Sao_Paulo"}
    if get_origin(kind) is not Literal:  # an optional value: its type
        kind = next((k for k in get_args(kind) if k is not type(None)), kind)
    if get_origin(kind) is Literal:
        return next(choice for choice in get_args(kind) if choice != default)
    simple: dict[object, Callable[[Any], Any]] = {
        bool: lambda d: not d,
        int: lambda d: d + 1,
        float: lambda d: d / 2 + 0.03125 if d else 0.5,
        str: lambda d: f"{d}x" if d is not None else "kafka.example:9092",
        Path: lambda _: Path("/srv/newsflow") / name,
    }
    if kind in simple:
        return simple[kind](default)
    raise TypeError(f"no changed value for {model.__name__}.{name} ({field.annotation})")


def test_to_env_round_trips_every_field(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child process given ``to_env()`` reads back settings equal to the parent's, for every
    field changed from its default (nested dedup fields included)."""
    dedup = DedupSettings(
        **{
            name: changed(DedupSettings, name)
            for name in DedupSettings.model_fields
            if name not in {"anchors_per_doc", "head_anchors"}
        }
    )
    dedup = dedup.model_copy(update={"anchors_per_doc": 7, "head_anchors": 4})
    fields = {name: changed(Settings, name) for name in Settings.model_fields if name != "dedup"}
    for name in list(os.environ):  # the test run's own NEWSFLOW_* (make test sets some) aside
        if name.startswith("NEWSFLOW_") or name == "KAFKA_BOOTSTRAP_SERVERS":
            monkeypatch.delenv(name)
    parent = Settings(**fields, dedup=dedup)
    defaults = Settings(_env_file=None)
    assert all(getattr(parent, name) != getattr(defaults, name) for name in fields)
    variables = parent.to_env()
    assert set(variables) == set(environment_names(Settings))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    child = Settings(_env_file=None)
    assert child.model_dump() == parent.model_dump()
    assert child.dedup == dedup


def test_to_env_leaves_an_unset_cluster_out() -> None:
    variables = Settings(kafka_bootstrap_servers=None).to_env()
    assert "NEWSFLOW_KAFKA_BOOTSTRAP_SERVERS" not in variables
    assert variables["NEWSFLOW_KAFKA_PORT"] == str(
        Settings(kafka_bootstrap_servers=None).kafka_port
    )


def test_source_zones_are_a_json_map_of_iana_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_SOURCE_ZONES", '{"lemonde.fr": "Europe/Paris"}')
    assert Settings().source_zones == {"lemonde.fr": "Europe/Paris"}
    monkeypatch.setenv("NEWSFLOW_SOURCE_ZONES", '{"lemonde.fr": "Europe/Pariss", "x": "CET2"}')
    with pytest.raises(ValueError, match="not IANA time zone names: CET2, Europe/Pariss"):
        Settings()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://newsflow@127.0.0.1:5433/newsflow",
        "postgres://reader:secret@replica.example/newsflow?sslmode=require",
        "postgresql:///newsflow",
    ],
)
def test_database_urls_name_a_postgresql_server(url: str) -> None:
    settings = Settings(database_url=url, database_read_url=url)
    assert (settings.database_url, settings.database_read_url) == (url, url)


def test_an_empty_database_url_means_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", "")
    monkeypatch.delenv("NEWSFLOW_DATABASE_READ_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url is None and settings.database_read_url is None
    assert "NEWSFLOW_DATABASE_URL" not in settings.to_env()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://newsflow:hunter2@db.example/newsflow", "got mysql://newsflow:***@db.example/"),
        ("sqlite:///data/newsflow.db", "got sqlite:///data/newsflow.db"),
        ("data/newsflow.db", "got data/newsflow.db"),
        ("postgresql://newsflow:hunter2@db.example:port/newsflow", "not a URL"),
    ],
)
def test_other_database_urls_are_refused_without_their_password(url: str, expected: str) -> None:
    with pytest.raises(ValueError, match="database_url") as refused:
        Settings(database_url=url)
    with pytest.raises(ValueError, match="database_read_url") as refused_read:
        Settings(database_read_url=url)
    for message in (str(refused.value), str(refused_read.value)):
        assert expected in message
        assert "hunter2" not in message


def test_a_refused_database_url_names_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", "http://db.example/newsflow")
    with pytest.raises(ValueError, match=r"expected a postgresql:// \(or postgres://\) URL"):
        Settings(_env_file=None)


def test_database_urls_are_hidden() -> None:
    settings = Settings(database_url=EXAMPLES["database_url"])
    assert "secret" not in repr(settings)
