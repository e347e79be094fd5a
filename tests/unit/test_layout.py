"""The package's layers: imports flow one way (counting imports inside functions), and only audiences.py names an audience."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

from briefings.audiences import PRESETS

PACKAGE = ROOT / "briefings"

# Each module's layer, lowest first: a module may import only modules of its own layer or below.
LAYERS: list[tuple[str, ...]] = [
    ("briefings", "briefings.problems", "briefings.audiences", "briefings.package_data", "briefings.today", "briefings.phones",
     "briefings.languages", "briefings.words"),
    ("briefings.model", "briefings.schema", "briefings.pictures"),
    ("briefings.load",),
    ("briefings.resolve",),
    ("briefings.translate",),  # PO catalogs (Babel): the entries of a resolved briefing, and the content of one language
    ("briefings.render",),  # renderers: the model and the registry of formats, never the resolver or the checks
    ("briefings.check",),
    ("briefings.build",),
    ("briefings.cli", "briefings.serve", "briefings.__main__"),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """Every package module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefings"):
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known)
    return found


def layer(name: str) -> int:
    best = -1
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and (best < 0 or len(prefix) > len(LAYERS[best][0])):
                best = rank
    assert best >= 0 or name == "briefings", f"{name} is in no layer: add it to LAYERS"
    return best


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(path, set(found)) - {name} for name, path in found.items()}


def test_every_import_goes_down_or_sideways() -> None:
    upward = [f"{name} imports {target}" for name, targets in graph().items() for target in sorted(targets)
              if target != "briefings" and layer(target) > layer(name)]
    assert not upward, upward


def test_no_import_cycles() -> None:
    edges = graph()
    cycles, state = [], dict.fromkeys(edges, 0)

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state[target] == 1:
                cycles.append(trail[trail.index(target):] + [target])
            elif state[target] == 0:
                visit(target, trail + [target])
        state[node] = 2

    for node in sorted(edges):
        if state[node] == 0:
            visit(node, [node])
    assert not cycles, [" -> ".join(c) for c in cycles]


def test_the_top_layer_is_imported_by_nothing_in_the_package() -> None:
    top = set(LAYERS[-1])
    importers = [f"{name} imports {target}" for name, targets in graph().items() for target in targets & top if name not in top]
    assert not importers, importers


def test_checks_and_renderers_do_not_import_the_resolver() -> None:
    wrong = [f"{name} imports {target}" for name, targets in graph().items() for target in targets
             if target == "briefings.resolve" and name.startswith(("briefings.render", "briefings.check.readability",
                                                                    "briefings.check.editorial", "briefings.check.language"))]
    assert not wrong, wrong


def test_only_the_audiences_module_names_an_audience() -> None:
    named = []
    for name, path in modules().items():
        if name == "briefings.audiences":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in PRESETS:
                named.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not named, named


def test_the_layer_test_can_fail(tmp_path: Path) -> None:
    """The import reader sees an import inside a function."""
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from briefings.cli import main\n", encoding="utf-8")
    assert imports(source, {"briefings.cli"}) == {"briefings.cli"}
