"""An installed newsflow runs its tools from any directory: ``pip install <repository>`` into a
fresh virtual environment outside the repository, then ``newsflow schemas --check`` and
``newsflow kafka start|status|stop`` from an unrelated directory.

The package itself is built and installed for real (a wheel, not an editable install), so the
files the tools need (``deploy/kafka/``, ``schemas/``) come from its package data. To stay fast
and offline for the dependencies, the fresh environment reuses those of the running one: a
``.pth`` line adds this interpreter's site-packages after the fresh one's (a plain path line, so
the ``.pth`` files there, the editable install of the checkout among them, are not run) and pip
finds every requirement already satisfied. The broker runs on its own free ports and data
directory, and reuses the jar cache (``NEWSFLOW_CACHE_DIR``), so Maven does not run again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.core.settings import Settings
from tests.support.ports import free_port

REPOSITORY = Path(__file__).resolve().parents[3]
INSTALL_TIMEOUT_S = 240.0
COMMAND_TIMEOUT_S = 150.0


@dataclass(frozen=True, slots=True)
class Installed:
    """A fresh virtual environment with newsflow installed, and where to run it from."""

    venv: Path
    elsewhere: Path
    env: dict[str, str]

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def package(self) -> Path:
        site = self.run_python("import sysconfig; print(sysconfig.get_paths()['purelib'])")
        return Path(site.stdout.strip()) / "services"

    def newsflow(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run([str(self.venv / "bin" / "newsflow"), *args])

    def run_python(self, code: str) -> subprocess.CompletedProcess[str]:
        return self.run([str(self.python), "-c", code])

    def run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv,
            cwd=self.elsewhere,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )


def clean_environment(tmp: Path) -> dict[str, str]:
    """This process's environment without newsflow's settings or a path into the checkout;
    a broker of its own (free ports, a data directory under ``tmp``) and the shared jar cache."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("NEWSFLOW_")
        and name not in {"KAFKA_BOOTSTRAP_SERVERS", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    port = free_port()
    controller = free_port()
    while controller == port:
        controller = free_port()
    return env | {
        "NEWSFLOW_KAFKA_PORT": str(port),
        "NEWSFLOW_KAFKA_CONTROLLER_PORT": str(controller),
        "NEWSFLOW_DATA_DIR": str(tmp / "data"),
        "NEWSFLOW_CACHE_DIR": str(Settings().cache_dir.resolve()),
        "NEWSFLOW_LOG_FORMAT": "json",
    }


def install(venv: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    fresh = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(fresh) / "newsflow-dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", "--disable-pip-version-check", str(REPOSITORY)],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    tmp = tmp_path_factory.mktemp("wheel")
    install(tmp / "venv")
    (tmp / "elsewhere").mkdir()
    yield Installed(tmp / "venv", tmp / "elsewhere", clean_environment(tmp))


def test_the_installed_package_is_imported_not_the_checkout(installed: Installed) -> None:
    found = installed.run_python("import services.tools.cli as cli; print(cli.__file__)")
    assert found.returncode == 0, found.stderr
    module = Path(found.stdout.strip())
    assert module == installed.package / "tools" / "cli.py"
    assert REPOSITORY not in module.parents
    assert (installed.package / "tools" / "kafka" / "pom.xml").is_file()
    assert (installed.package / "tools" / "schemas" / "asyncapi.json").is_file()


def test_schemas_check_compares_the_models_with_the_shipped_schemas(installed: Installed) -> None:
    checked = installed.newsflow("schemas", "--check")
    assert (checked.returncode, checked.stderr) == (0, "")
    shipped = installed.package / "tools" / "schemas" / "articles.raw.v1.json"
    original = shipped.read_bytes()
    shipped.write_bytes(original.replace(b'"title"', b'"titel"', 1))
    try:
        stale = installed.newsflow("schemas", "--check")
    finally:
        shipped.write_bytes(original)
    assert stale.returncode == 1
    assert "articles.raw.v1.json is stale" in stale.stderr


def test_schemas_are_never_written_into_an_installed_package(installed: Installed) -> None:
    written = installed.newsflow("schemas")
    assert written.returncode == 2
    assert "installed package" in written.stderr
    assert installed.newsflow("schemas", "--check").returncode == 0


def test_kafka_start_status_stop_from_another_directory(installed: Installed) -> None:
    bootstrap = f"127.0.0.1:{installed.env['NEWSFLOW_KAFKA_PORT']}"
    try:
        started = installed.newsflow("kafka", "start")
        assert started.returncode == 0, started.stdout + started.stderr
        assert "kafka: started in" in started.stdout and bootstrap in started.stdout
        status = installed.newsflow("kafka", "status")
        assert status.returncode == 0
        assert status.stdout.startswith("kafka: running, pid ")
        pid = int(status.stdout.split("pid ")[1].split(" ")[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        log4j = installed.package / "tools" / "kafka" / "log4j2.yaml"
        assert f"-Dlog4j2.configurationFile={log4j}" in cmdline
        assert (
            str(Path(installed.env["NEWSFLOW_DATA_DIR"]) / "kafka" / "server.properties") in cmdline
        )
    finally:
        stopped = installed.newsflow("kafka", "stop")
    assert (stopped.returncode, stopped.stdout) == (0, "kafka: stopped\n")
    after = installed.newsflow("kafka", "status")
    assert after.returncode == 3
    assert after.stdout == f"kafka: not running ({bootstrap})\n"
