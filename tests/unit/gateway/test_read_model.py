"""The gateway reads through the store's read API only: no database driver, no SQL of its own.

The store owns the schema and every query (:mod:`services.store.reader`,
:mod:`services.store.query`); this is the seam behind which a second backend can sit.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[3] / "services"
GATEWAY = SERVICES / "gateway"
DRIVERS = {"sqlite3", "_sqlite3", "aiosqlite"}
_CREATED = re.compile(
    r"CREATE\s+(?:VIRTUAL\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.IGNORECASE
)


SCHEMAS = sorted((SERVICES / "store").glob("*/database.py")) + sorted(
    (SERVICES / "store").glob("*/schema.py")
)


def store_tables() -> set[str]:
    """Every table and view the store's schemas create, read from each backend's migrations."""
    return {name for path in SCHEMAS for name in _CREATED.findall(path.read_text())}


def imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def sql_texts(tree: ast.AST, tables: set[str]) -> list[str]:
    """String literals (docstrings included) that read like SQL over one of ``tables``: a
    keyword in capitals right before a table name, or a lower-case ``select … from table``."""
    names = "(?:" + "|".join(sorted(tables)) + r")\b"
    sql = re.compile(
        r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+" + names + r"|(?i:\bselect\b.*\bfrom\s+)" + names,
        re.DOTALL,
    )
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and sql.search(node.value)
    ]


def gateway_modules() -> list[Path]:
    return sorted(GATEWAY.rglob("*.py"))


def test_the_schema_is_found() -> None:
    assert {"articles", "article_authors", "articles_fts", "indexed_text"} <= store_tables()


@pytest.mark.parametrize(
    ("text", "is_sql"),
    [
        ("SELECT doc FROM articles WHERE id = ?", True),
        ("select count(*) from article_authors", True),
        ("+a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match)", True),
        ("DELETE FROM claims", True),
        ("UPDATE indexed_text SET body = NULL", True),
        ("Every stored article of a story, in storage order.", False),
        ("Stored articles from a source; counts from the database, the claims of a story.", False),
    ],
)
def test_the_check_tells_sql_from_prose(text: str, is_sql: bool) -> None:
    tree = ast.parse(repr(text))
    assert bool(sql_texts(tree, store_tables())) is is_sql


def test_a_driver_import_is_seen() -> None:
    assert imported_modules(ast.parse("import aiosqlite\nfrom sqlite3 import Row")) >= DRIVERS - {
        "_sqlite3"
    }


@pytest.mark.parametrize("path", gateway_modules(), ids=lambda p: p.name)
def test_gateway_module_has_no_driver_and_no_sql(path: Path) -> None:
    tree = ast.parse(path.read_text())
    assert not imported_modules(tree) & DRIVERS, f"{path} imports a database driver"
    assert not sql_texts(tree, store_tables()), f"{path} holds SQL over the store's tables"


READ_API = {
    "services.store.backend",
    "services.store.errors",
    "services.store.reader",
    "services.store.search",
}


def store_imports(tree: ast.AST) -> set[str]:
    """The ``services.store`` modules a module imports."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("services.store"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("services.store"):
            found.add(str(node.module))
    return found


def test_a_store_import_is_seen() -> None:
    code = "import services.store.database\nfrom services.store.repository import X"
    assert store_imports(ast.parse(code)) == {
        "services.store.database",
        "services.store.repository",
    }


@pytest.mark.parametrize("path", gateway_modules(), ids=lambda p: p.name)
def test_gateway_reads_through_the_read_api_only(path: Path) -> None:
    extra = store_imports(ast.parse(path.read_text())) - READ_API
    assert not extra, f"{path} imports {sorted(extra)}: the gateway uses the store's read API only"
