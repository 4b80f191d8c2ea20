"""The shape of the package: the pipeline runs one way (no import circle), no module takes
another's private names, no module grows past 500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "worksheets"


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        out[name] = p
    return out


def imports(mods: dict[str, Path]) -> dict[str, dict[str, list[str]]]:
    """module -> {imported module: names taken from it}, for the package's own imports."""
    graph: dict[str, dict[str, list[str]]] = {m: {} for m in mods}
    for m, p in mods.items():
        here = m.split(".") if p.name == "__init__.py" else m.split(".")[:-1]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            base = ".".join(here[: len(here) - (node.level - 1)] + (
                [node.module] if node.module else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in mods:  # `from . import shapes`: the submodule itself
                    graph[m].setdefault(sub, [])
                elif base in mods and base != m:
                    graph[m].setdefault(base, []).append(alias.name)
    return graph


def test_no_import_circle() -> None:
    graph = imports(modules())
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    circles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in graph[m]:
            if state.get(n) == 1:
                circles.append([*path[path.index(n):], m, n] if n in path else [m, n])
            elif n not in state:
                visit(n, [*path, m])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [])
    assert circles == []


def test_no_module_takes_another_modules_private_names() -> None:
    taken = [f"{m} takes {name} from {other}" for m, deps in imports(modules()).items()
             for other, names in deps.items() for name in names
             if name.startswith("_") and not name.startswith("__")]
    assert taken == []


def test_no_module_over_500_lines() -> None:
    long = {m: n for m, p in modules().items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
