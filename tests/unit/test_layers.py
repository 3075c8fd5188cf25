"""The import graph of ``services/``: ``core`` at the bottom, the services on it, the tools on top.

A module depends on another when it imports it anywhere (inside functions too: a deferred import
is still a dependency); ``from package import name`` depends on ``package.name`` when that is a
module, else on ``package``. A package is a directory directly under ``services/`` (``core``,
``parser``, …, ``tools``). The rules:

* no cycle between packages;
* ``core`` imports no other package (the root ``services`` with its version is not a package);
* no service package imports ``tools``;
* no cycle between modules, counting the imports that run; an import made only for the type
  checker (under ``if TYPE_CHECKING:``) counts for the two rules above but not for this one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "services"
BOTTOM = "core"
TOP = "tools"

Graph = Mapping[str, frozenset[str]]


@dataclass
class ImportGraph:
    """Module → the modules it imports: every import, and those that run."""

    every: dict[str, frozenset[str]] = field(default_factory=dict)
    runtime: dict[str, frozenset[str]] = field(default_factory=dict)


def module_names(root: Path) -> dict[str, Path]:
    """Every module under ``root`` by dotted name (a package by its ``__init__.py``)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_nodes(tree: ast.AST, typing_only: bool = False) -> Iterator[tuple[ast.stmt, bool]]:
    """Each import statement, and whether it sits in an ``if TYPE_CHECKING:`` block."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, typing_only
        elif isinstance(node, ast.If) and is_type_checking(node):
            for statement in node.body:
                yield from import_nodes(ast.Module([statement], []), True)
            for statement in node.orelse:
                yield from import_nodes(ast.Module([statement], []), typing_only)
        else:
            yield from import_nodes(node, typing_only)


def imported_names(node: ast.stmt, package: str, known: Mapping[str, Path]) -> list[str]:
    if not isinstance(node, ast.ImportFrom):
        return [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
    base = node.module or ""
    if node.level:
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names
    ]


def nearest_module(name: str, known: Mapping[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path) -> ImportGraph:
    known = module_names(root)
    graph = ImportGraph()
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        every: set[str] = set()
        runtime: set[str] = set()
        for node, typing_only in import_nodes(ast.parse(path.read_text())):
            for imported in imported_names(node, package, known):
                target = nearest_module(imported, known)
                if target is None or target == name:
                    continue
                every.add(target)
                if not typing_only:
                    runtime.add(target)
        graph.every[name] = frozenset(every)
        graph.runtime[name] = frozenset(runtime)
    return graph


def package_of(module: str) -> str | None:
    """``services.core.kafka`` → ``core``; the root ``services`` belongs to no package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def package_graph(graph: Graph) -> dict[str, frozenset[str]]:
    edges: dict[str, set[str]] = {}
    for module, targets in graph.items():
        source = package_of(module)
        if source is None:
            continue
        edges.setdefault(source, set())
        for target in targets:
            if (package := package_of(target)) not in {None, source}:
                edges[source].add(str(package))
    return {name: frozenset(targets) for name, targets in edges.items()}


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, frozenset()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                found.append(sorted([node, *component]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def layer_violations(graph: Graph) -> list[str]:
    """``core`` importing another package, or a service importing the tools."""
    found = []
    for module, targets in sorted(graph.items()):
        source = package_of(module)
        for target in sorted(targets):
            package = package_of(target)
            if package is None or package == source:
                continue
            if source == BOTTOM or (package == TOP and source != TOP):
                found.append(f"{module} imports {target}")
    return found


# The project's own graph.

GRAPH = import_graph(SERVICES)


def test_the_graph_sees_every_package_and_its_imports() -> None:
    packages = package_graph(GRAPH.every)
    assert {"core", "ingest", "parser", "dedup", "store", "gateway", "tools"} <= set(packages)
    assert "services.core.settings" in GRAPH.runtime["services.tools.cli"]
    assert "services.ingest.push" in GRAPH.every["services.tools.cli"]  # a deferred import


def test_no_cycle_between_packages() -> None:
    assert cycles(package_graph(GRAPH.every)) == []


def test_core_imports_no_service_and_no_service_imports_the_tools() -> None:
    assert layer_violations(GRAPH.every) == []


def test_no_cycle_between_modules() -> None:
    assert cycles(GRAPH.runtime) == []


# The checker on tiny synthetic graphs: each rule can fail.


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "services"


def test_cycles_finds_each_strongly_connected_component() -> None:
    graph = {
        "a": frozenset({"b"}),
        "b": frozenset({"c"}),
        "c": frozenset({"a", "d"}),
        "d": frozenset({"e"}),
        "e": frozenset({"d"}),
        "f": frozenset({"a"}),
    }
    assert cycles(graph) == [["a", "b", "c"], ["d", "e"]]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_a_module_cycle_through_relative_and_deferred_imports_is_found(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "services/__init__.py": "",
            "services/core/__init__.py": "",
            "services/core/a.py": "from . import b\n",
            "services/core/b.py": "def f() -> None:\n    from services.core.a import x\n",
            "services/core/c.py": "from services.core import a\n",
        },
    )
    graph = import_graph(root)
    assert graph.runtime["services.core.a"] == {"services.core.b"}
    assert graph.runtime["services.core.c"] == {"services.core.a"}
    assert cycles(graph.runtime) == [["services.core.a", "services.core.b"]]


def test_a_type_checking_import_counts_for_layers_but_not_module_cycles(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "services/__init__.py": "",
            "services/core/__init__.py": "",
            "services/core/a.py": "from services.core.b import B\n",
            "services/core/b.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from services.core.a import A\n"
                "    from services.parser.parse import P\n"
            ),
            "services/parser/__init__.py": "",
            "services/parser/parse.py": "",
        },
    )
    graph = import_graph(root)
    assert cycles(graph.runtime) == []
    assert cycles(graph.every) == [["services.core.a", "services.core.b"]]
    assert layer_violations(graph.every) == ["services.core.b imports services.parser.parse"]


@pytest.mark.parametrize(
    ("source", "target", "violation"),
    [
        ("services.core.cli", "services.parser.parse", True),
        ("services.core.cli", "services.tools.cli", True),
        ("services.parser.app", "services.tools.launcher", True),
        ("services.core.health", "services", False),
        ("services.core.health", "services.core.kafka", False),
        ("services.gateway.app", "services.store.reads", False),
        ("services.tools.cli", "services.parser.parse", False),
    ],
)
def test_layer_rules(source: str, target: str, violation: bool) -> None:
    found = layer_violations({source: frozenset({target})})
    assert found == ([f"{source} imports {target}"] if violation else [])


def test_a_package_cycle_is_found() -> None:
    graph = {
        "services.gateway.app": frozenset({"services.store.reads"}),
        "services.store.tail": frozenset({"services.gateway.console", "services"}),
        "services": frozenset(),
    }
    assert package_graph(graph) == {"gateway": {"store"}, "store": {"gateway"}}
    assert cycles(package_graph(graph)) == [["gateway", "store"]]
