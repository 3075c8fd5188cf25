"""Pure domain modules import no I/O library: no Kafka, SQLite, HTTP framework or client."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3] / "services"
IO_MODULES = {
    "aiokafka",
    "aiosqlite",
    "sqlite3",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "socket",
    "subprocess",
}
PURE = [
    "core/urls.py", "core/headers.py", "core/topics.py", "core/models", "core/ndjson.py",
    "core/topology.py",
    "ingest/identity.py", "ingest/bodies.py", "ingest/articles.py", "ingest/files.py",
    "ingest/charsets.py",
    "parser/plaintext.py", "parser/header.py", "parser/byline.py", "parser/dateline.py",
    "parser/zones.py", "parser/boilerplate.py", "parser/html.py", "parser/metadata.py",
    "parser/language.py", "parser/outlets.py", "parser/parse.py", "parser/result.py",
    "core/text.py", "parser/words.py", "dedup/normalise.py",
    "store/fulltext.py", "store/search.py", "store/query.py",
]  # fmt: skip


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def files(entry: str) -> list[Path]:
    path = ROOT / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("entry", PURE)
def test_pure_module_imports_no_io(entry: str) -> None:
    for path in files(entry):
        assert path.exists(), path
        assert not imported_roots(path) & IO_MODULES, f"{path} imports I/O"
