"""The four shipped packages form layers: imports point down, never up, and never in a cycle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LAYERS = ("schemas", "converters", "stream_app", "floodcast")
"""Bottom first: a package may import only itself and the packages before it."""


def _modules() -> dict[str, Path]:
    modules = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _module_level_imports(path: Path) -> Iterator[str]:
    """Modules imported when ``path`` is imported: top-level statements, not function bodies,
    not ``if TYPE_CHECKING:`` blocks."""

    def walk(statements: list[ast.stmt]) -> Iterator[str]:
        for node in statements:
            if isinstance(node, ast.Import):
                yield from (alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.module
                yield from (f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If):
                if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                    yield from walk(node.body)
                yield from walk(node.orelse)
            elif isinstance(node, ast.Try):
                yield from walk(node.body)

    yield from walk(ast.parse(path.read_text()).body)


def _edges() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {t for t in _module_level_imports(path) if t in modules and t != name}
        for name, path in modules.items()
    }


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_no_upward_imports() -> None:
    """No module imports a module of a higher layer at import time."""
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in _edges().items()
        for target in targets
        if _layer(target) > _layer(source)
    )
    assert upward == []


def test_no_import_cycles() -> None:
    """The module-level import graph of the shipped packages is acyclic."""
    edges = _edges()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            # a package face imports its own submodules: that is not a cycle through the face
            if target.startswith(node + "."):
                continue
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize("layer", LAYERS)
def test_every_package_has_one_documented_root_error(layer: str) -> None:
    """Each package's ``exceptions`` module defines exactly one class deriving from Exception
    directly, documented."""
    tree = ast.parse((ROOT / layer / "exceptions.py").read_text())
    roots = [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and [ast.unparse(base) for base in node.bases] == ["Exception"]
    ]
    assert len(roots) == 1
    assert ast.get_docstring(roots[0])
