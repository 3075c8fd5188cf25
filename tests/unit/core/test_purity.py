"""Every module of ``services`` is pure (imports no Kafka, SQLite, HTTP framework or client,
socket, subprocess or file locks) unless it is listed here as one that does I/O: a new module is pure until
someone lists it, and a listed one must really do I/O, itself or through another listed one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3] / "services"
IO_LIBRARIES = frozenset(
    {
        "aiokafka",
        "aiosqlite",
        "asyncpg",
        "sqlite3",
        "fastapi",
        "starlette",
        "uvicorn",
        "httpx",
        "socket",
        "subprocess",
        "fcntl",
    }
)
# The modules that do I/O or wire it, relative to services/. Everything else is pure.
IO_MODULES = frozenset(
    {
        # shared: the Kafka wrappers and their errors, the runner and its policy, the service
        # entry point, the HTTP health and metrics pieces, logging (configures aiokafka's logs)
        "core/kafka.py",
        "core/kafkaerrors.py",  # added by the topology work: translates aiokafka's errors
        "core/runner.py",
        "core/policy.py",
        "core/handlers.py",
        "core/service.py",
        "core/health.py",
        "core/httpmetrics.py",
        "core/logs.py",
        # the lease (a lock file), the process's announcements and what its health endpoint
        # and announcements read
        "core/lease.py",
        # asyncpg behind newsflow's errors, and the lease on a database server
        "core/pgclient.py",
        "core/pglease.py",
        "core/presence.py",
        "core/stageprocess.py",
        # ingest: its HTTP app, routes and middleware, the publisher, the push client
        "ingest/__main__.py",
        "ingest/app.py",
        "ingest/routes.py",
        "ingest/auth.py",
        "ingest/lingering.py",
        "ingest/publisher.py",
        "ingest/push.py",
        # parser: the entry point and the handler
        "parser/__main__.py",
        "parser/handler.py",
        # dedup: the entry point, the handler, the engine over the state store, the state's two
        # backends and the factory choosing one
        "dedup/__main__.py",
        "dedup/handler.py",
        "dedup/engine.py",
        "dedup/statebackends.py",
        "dedup/sqlitestate.py",
        "dedup/pgstate.py",
        # store: the entry point, the handler, the backend factories, each backend's database,
        # errors, repository and reader
        "store/__main__.py",
        "store/handler.py",
        "store/backend.py",
        "store/tail.py",
        "store/sqlite/database.py",
        "store/sqlite/errors.py",
        "store/sqlite/repository.py",
        "store/sqlite/reader.py",
        "store/postgres/database.py",
        "store/postgres/repository.py",
        "store/postgres/reader.py",
        # gateway: the HTTP app and routes, the pollers, probes and followers of the pipeline
        "gateway/__main__.py",
        "gateway/app.py",
        "gateway/routes.py",
        "gateway/state.py",
        "gateway/database.py",
        "gateway/stream.py",
        "gateway/follower.py",
        "gateway/roster.py",
        "gateway/offsets.py",
        "gateway/poller.py",
        "gateway/probes.py",
        "gateway/supervisor.py",
        "gateway/console.py",
        # tools: the CLI, the launcher, the local broker, the process harness, the DLQ broker side
        "tools/cli.py",
        "tools/launcher.py",
        "tools/localkafka.py",
        "tools/localpostgres.py",
        "tools/pgaccount.py",
        "tools/pgdatabase.py",
        "tools/processes.py",
        "tools/dlq/broker.py",
        "tools/dlq/command.py",
    }
)


def module_name(relative: str) -> str:
    parts = ["services", *Path(relative).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports (``from a import b`` counts as ``a`` and ``a.b``),
    anywhere in the file, relative imports resolved."""
    package = module_name(path.relative_to(ROOT).as_posix()).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def io_libraries(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imports(path)} & IO_LIBRARIES


MODULES = sorted(path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*.py"))
PURE = [module for module in MODULES if module not in IO_MODULES]
IO_NAMES = {module_name(module) for module in IO_MODULES}


def test_the_modules_are_found() -> None:
    known = {"parser/parse.py", "dedup/fingerprint.py", "store/search.py"}
    assert known | {"tools/dlq/entries.py", "tools/dlq/render.py"} <= set(PURE)
    assert len(MODULES) > 100


@pytest.mark.parametrize("module", PURE)
def test_a_module_not_listed_is_pure(module: str) -> None:
    path = ROOT / module
    assert not io_libraries(path), f"{module} imports I/O: {sorted(io_libraries(path))}"


# core/kafkaerrors.py is listed ahead of the change that adds it: only the present are checked.
@pytest.mark.parametrize("module", sorted(set(IO_MODULES) & set(MODULES)))
def test_a_listed_module_does_io(module: str) -> None:
    path = ROOT / module
    assert io_libraries(path) or imports(path) & IO_NAMES, f"{module} does no I/O: unlist it"
