"""The local PostgreSQL server's checks and choices (no server is started here)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from services.core.errors import ConfigurationError
from services.core.settings import Settings
from services.tools import cli, localpostgres
from services.tools.pgaccount import Account
from tests.support.postgres import reachable_folder

NOBODY = Account("nobody", 65534, 65534, (65534,))


def _programs(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text("#!/bin/sh\nexit 0\n")
        (folder / name).chmod(0o755)
    return folder


@pytest.fixture
def no_debian(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty PATH and no Debian versions folder: nothing to find unless a test adds it."""
    versions = tmp_path / "versions"
    monkeypatch.setattr(localpostgres, "DEBIAN_VERSIONS", versions)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    return versions


def test_missing_programs_say_what_to_install(no_debian: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"initdb, pg_ctl\) are not on PATH") as missing:
        localpostgres.find_binaries()
    assert "apt-get install postgresql postgresql-contrib" in str(missing.value)


def test_the_cli_reports_missing_programs(
    no_debian: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NEWSFLOW_DATA_DIR", str(tmp_path / "data"))  # not the test run's server
    settings = Settings()
    assert not localpostgres.status(settings).running
    code = cli.main(["postgres", "start"])
    assert code == 2
    assert "apt-get install postgresql postgresql-contrib" in capsys.readouterr().err


def test_the_newest_debian_version_is_chosen(no_debian: Path) -> None:
    for version in ("9.6", "15", "16"):
        _programs(no_debian / version / "bin", "initdb", "pg_ctl", "postgres")
    _programs(no_debian / "17" / "bin", "initdb")  # a partial install is passed over
    assert localpostgres.find_binaries().folder == no_debian / "16" / "bin"


def test_path_comes_before_debian(
    no_debian: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _programs(no_debian / "16" / "bin", "initdb", "pg_ctl", "postgres")
    own = _programs(tmp_path / "own", "initdb", "pg_ctl", "postgres")
    monkeypatch.setenv("PATH", str(own))
    assert localpostgres.find_binaries().folder == own


def test_an_initdb_on_path_is_followed_to_its_folder(
    no_debian: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = _programs(tmp_path / "real", "initdb", "pg_ctl", "postgres")
    links = tmp_path / "links"
    links.mkdir()
    (links / "initdb").symlink_to(real / "initdb")  # only initdb linked, as a user might
    monkeypatch.setenv("PATH", str(links))
    assert localpostgres.find_binaries().folder == real


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        settings = Settings(data_dir=tmp_path / "data", postgres_port=port)
        with pytest.raises(ConfigurationError, match=f"port {port} is in use"):
            localpostgres.start(settings)
    assert not localpostgres.status(settings).running
    assert not (tmp_path / "data" / "postgres" / "cluster").exists()


def test_stop_without_a_server_touches_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    paths = localpostgres.paths_for(settings, None)
    paths.cluster.mkdir(parents=True)
    paths.pid_file.write_text("1\n/elsewhere\n0\n5433\n")  # PID 1 serves no such cluster
    assert localpostgres.stop(settings) is False
    assert paths.pid_file.exists()


def test_the_data_stays_in_the_data_directory_when_reachable() -> None:
    with reachable_folder() as folder:
        settings = Settings(data_dir=folder / "data")
        paths = localpostgres.paths_for(settings, NOBODY)
    assert paths == localpostgres.ServerPaths(folder.resolve() / "data" / "postgres")
    assert localpostgres.paths_for(settings, None) == paths


def test_an_unreachable_data_directory_moves_the_server_folder(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    settings = Settings(data_dir=private / "data")
    paths = localpostgres.paths_for(settings, NOBODY)
    assert paths.moved_from == private.resolve() / "data" / "postgres"
    assert paths.root.parent == localpostgres.FALLBACK_ROOT
    assert paths.root.name.startswith("postgres-")
    assert localpostgres.paths_for(settings, NOBODY) == paths  # the same place every time
    other = Settings(data_dir=private / "other")
    assert localpostgres.paths_for(other, NOBODY).root != paths.root


def test_the_configuration_listens_on_loopback_only() -> None:
    text = localpostgres._config(25433)
    assert "listen_addresses = '127.0.0.1'" in text
    assert "port = 25433" in text
    assert "unix_socket_directories = ''" in text


def test_the_urls_name_the_superuser_on_loopback(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, postgres_port=25433)
    current = localpostgres.status(settings)
    assert current.url == "postgresql://newsflow@127.0.0.1:25433/newsflow"
    assert current.admin_url == "postgresql://newsflow@127.0.0.1:25433/postgres"
    assert Settings(database_url=current.url).database_url == current.url


def test_exec_without_a_command_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["postgres", "exec"]) == 2
    assert "postgres exec needs a command" in capsys.readouterr().err
    assert cli.main(["postgres", "exec", "--"]) == 2


def test_a_bad_database_url_stops_the_cli_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", "mysql://newsflow:hunter2@db.example/newsflow")
    assert cli.main(["postgres", "status"]) == 2
    error = capsys.readouterr().err
    assert "database_url" in error and "expected a postgresql://" in error
    assert "hunter2" not in error and "Traceback" not in error
