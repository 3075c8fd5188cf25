"""The run-time files of the tools: the shipped copy in an installed package, else the
checkout's; ``newsflow schemas`` writes only a checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.core.errors import ConfigurationError
from services.tools import resources
from services.tools.resources import Resource

REPOSITORY = Path(__file__).resolve().parents[3]


def test_a_checkout_reads_the_repository_directories() -> None:
    assert resources.kafka_dir() == REPOSITORY / "deploy" / "kafka"
    assert (resources.kafka_dir() / "pom.xml").is_file()
    assert resources.schemas_dir() == REPOSITORY / "schemas"
    assert resources.is_checkout()
    assert resources.writable_schemas_dir() == REPOSITORY / "schemas"


def test_the_shipped_copy_wins_over_a_checkout(tmp_path: Path) -> None:
    (tmp_path / "packaged").mkdir()
    (tmp_path / "checkout").mkdir()
    resource = Resource("files", tmp_path / "packaged", tmp_path / "checkout")
    assert resource.locate() == tmp_path / "packaged"
    (tmp_path / "packaged").rmdir()
    assert resource.locate() == tmp_path / "checkout"


def test_a_missing_resource_names_both_places(tmp_path: Path) -> None:
    resource = Resource("the files", tmp_path / "packaged", tmp_path / "checkout")
    with pytest.raises(ConfigurationError, match="the files not found") as raised:
        resource.locate()
    assert str(tmp_path / "packaged") in str(raised.value)
    assert str(tmp_path / "checkout") in str(raised.value)


def test_an_installed_package_checks_its_schemas_but_never_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemas").mkdir()
    shipped = Resource("schemas", tmp_path / "schemas", REPOSITORY / "schemas")
    monkeypatch.setattr(resources, "SCHEMAS", shipped)
    assert resources.schemas_dir() == tmp_path / "schemas"
    assert not resources.is_checkout()
    with pytest.raises(ConfigurationError, match="installed package"):
        resources.writable_schemas_dir()
