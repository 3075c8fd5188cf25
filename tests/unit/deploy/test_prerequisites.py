"""deploy/prerequisites.sh, run as a user who is not root on a machine whose tools are stubs.

It must change nothing there: it names what is missing and prints the one command that installs
it, and exits 1 before make goes on. (As root it installs with apt-get: CI runs that path.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[3] / "deploy" / "prerequisites.sh"
JAVA_17 = "#!/bin/sh\necho '    java.specification.version = 17' >&2\n"
JAVA_11 = "#!/bin/sh\necho '    java.specification.version = 11' >&2\n"


def _stub(bin_dir: Path, name: str, body: str = "#!/bin/sh\nexit 0\n") -> None:
    path = bin_dir / name
    path.write_text(body)
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    """A PATH with the shell tools the script uses, python3 (with its headers), a C compiler, a
    user id of 1000, and nothing else."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "sed", "head", "mkdir", "mktemp", "rm"):
        found = shutil.which(tool)
        if found is None:
            pytest.fail(f"{tool} is needed to run the script", pytrace=False)
        (bin_dir / tool).symlink_to(found)
    (bin_dir / "python3").symlink_to(sys.executable)
    _stub(bin_dir, "id", "#!/bin/sh\necho 1000\n")
    _stub(bin_dir, "cc")
    return bin_dir


def _run(bin_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The script on this stub machine, whose Debian PostgreSQL versions folder is empty unless
    a test fills it (this machine's own /usr/lib/postgresql is not looked at)."""
    environment = {
        "PATH": str(bin_dir),
        "HOME": str(bin_dir.parent),
        "NEWSFLOW_POSTGRES_VERSIONS_DIR": str(bin_dir.parent / "postgresql"),
        **env,
    }
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_nothing_missing_changes_nothing(machine: Path) -> None:
    _stub(machine, "java", JAVA_17)
    _stub(machine, "mvn")
    done = _run(machine, "run")
    assert (done.returncode, done.stderr) == (0, "")


def test_no_c_compiler_or_python_headers_name_their_packages(machine: Path) -> None:
    """The parser's compiled modules need both (make install builds them)."""
    _stub(machine, "java", JAVA_17)
    _stub(machine, "mvn")
    (machine / "cc").unlink()
    (machine / "python3").unlink()  # a Python 3.11 whose include folder has no Python.h
    _stub(machine, "python3", '#!/bin/sh\ncase "$2" in *Python.h*) exit 1;; esac\nexit 0\n')
    done = _run(machine, "run")
    assert done.returncode == 1
    assert "missing gcc: no C compiler" in done.stderr
    assert "missing python3-dev: no Python.h" in done.stderr
    assert "apt-get install -y --no-install-recommends gcc python3-dev" in done.stderr


def test_missing_tools_print_the_install_command_and_stop(machine: Path) -> None:
    done = _run(machine, "test", NEWSFLOW_PROMTOOL="/bin/true")
    assert done.returncode == 1
    assert "missing openjdk-17-jre-headless" in done.stderr
    assert "missing maven" in done.stderr
    assert "missing chromium" in done.stderr
    assert "missing postgresql: no PostgreSQL server programs" in done.stderr
    assert (
        "sudo apt-get update && sudo apt-get install -y --no-install-recommends "
        "openjdk-17-jre-headless maven chromium postgresql postgresql-contrib"
    ) in done.stderr


def test_an_old_java_counts_as_missing(machine: Path) -> None:
    _stub(machine, "java", JAVA_11)
    _stub(machine, "mvn")
    done = _run(machine, "run")
    assert done.returncode == 1
    assert "apt-get install -y --no-install-recommends openjdk-17-jre-headless" in done.stderr


def test_the_run_mode_does_not_ask_for_test_tools(machine: Path) -> None:
    _stub(machine, "java", JAVA_17)
    _stub(machine, "mvn")
    assert _run(machine, "run").returncode == 0
    assert "missing chromium" in _run(machine, "test").stderr


def test_promtool_without_go_or_root_names_the_go_install(machine: Path, tmp_path: Path) -> None:
    _stub(machine, "java", JAVA_17)
    _stub(machine, "mvn")
    _stub(machine, "chromium")
    _stub(machine, "initdb")
    done = _run(machine, "test", NEWSFLOW_CACHE_DIR=str(tmp_path / "cache"))
    assert done.returncode == 1
    assert "missing promtool" in done.stderr
    assert f"GOBIN={tmp_path / 'cache'}/bin go install github.com/prometheus/" in done.stderr


def test_a_found_promtool_is_not_installed_again(machine: Path, tmp_path: Path) -> None:
    _stub(machine, "java", JAVA_17)
    _stub(machine, "mvn")
    _stub(machine, "chromium")
    _stub(machine, "initdb")
    _stub(tmp_path / "bin", "promtool")  # on PATH
    done = _run(machine, "test", NEWSFLOW_CACHE_DIR=str(tmp_path / "cache"))
    assert (done.returncode, done.stderr) == (0, "")


def test_an_unknown_mode_is_refused(machine: Path) -> None:
    done = _run(machine, "deploy")
    assert done.returncode == 2
    assert "usage:" in done.stderr


def _test_tools_but_postgresql(machine: Path) -> None:
    for tool in ("mvn", "chromium", "promtool"):
        _stub(machine, tool)
    _stub(machine, "java", JAVA_17)


def test_the_test_mode_asks_for_postgresql_and_its_contrib(machine: Path) -> None:
    _test_tools_but_postgresql(machine)
    done = _run(machine, "test")
    assert done.returncode == 1
    assert "missing postgresql-contrib: pg_trgm" in done.stderr
    assert "apt-get install -y --no-install-recommends postgresql postgresql-contrib" in (
        done.stderr
    )
    assert "postgresql" not in _run(machine, "run").stderr


def test_initdb_in_a_debian_version_folder_counts(machine: Path) -> None:
    _test_tools_but_postgresql(machine)
    folder = machine.parent / "postgresql" / "15" / "bin"
    folder.mkdir(parents=True)
    _stub(folder, "initdb")
    done = _run(machine, "test")
    assert (done.returncode, done.stderr) == (0, "")


def test_a_not_executable_initdb_does_not_count(machine: Path) -> None:
    _test_tools_but_postgresql(machine)
    folder = machine.parent / "postgresql" / "15" / "bin"
    folder.mkdir(parents=True)
    (folder / "initdb").write_text("")
    assert "missing postgresql:" in _run(machine, "test").stderr


def test_initdb_on_path_counts(machine: Path) -> None:
    _test_tools_but_postgresql(machine)
    _stub(machine, "initdb")
    done = _run(machine, "test")
    assert (done.returncode, done.stderr) == (0, "")
