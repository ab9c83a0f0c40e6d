"""The import graph of src/benchlab: no cycle, and no import "upward" between layers.

Every module is parsed with `ast` (nothing is imported), and every `import`
counts: module level, inside functions (the lazy imports that keep start-up
cheap are still dependencies), and under `if TYPE_CHECKING:` for the layer
rule. Only the cycle rule skips TYPE_CHECKING imports: they never run, and a
type named in both directions (a Store and the helpers it hands itself to)
is not a load-order hazard.

`ALLOWED` is the architecture (docs: ../shared/DESIGN.md, "Shape of the
code"): the layer on the left may import the layers on the right, nothing
else. Data flows suite -> engine -> provider -> scorer -> store ->
report/server; the imports point from the parts that orchestrate to the
parts they use, so the engine imports suites, providers, scorers and the
store, and none of those imports the engine; nothing below the CLI and the
server imports them; the store is reached only through `store/`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import benchlab

SRC = Path(benchlab.__file__).parent

# The foundation: the concepts, our exceptions, and how rates and money read.
_BASE = {"domain", "errors", "format"}

# layer -> the layers its modules may import (besides their own).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "domain": {"errors"},
    "format": set(),
    # SQLAlchemy tables, typed records, queries, migrations, artifacts.
    "store": _BASE,
    # Running untrusted code knows nothing of models, scorers or runs.
    "sandbox": _BASE,
    # A provider may read recorded answers from the store (replay/RUN_ID).
    "providers": _BASE | {"store"},
    # The task catalog's workspaces, answers and test reports, graded by a scorer.
    "tasks": _BASE | {"sandbox"},
    # Scorers grade (case, answer); a judge asks a provider; code runs in the sandbox.
    "scorers": _BASE | {"providers", "sandbox", "tasks"},
    # The standard benchmarks' datasets (catalog, `data pull`, local copies, `--data` files):
    # rows and their provenance, below the suites that render cases from them.
    "datasets": _BASE,
    # Production samples (log_sample, imports into the store's `samples` table): below the
    # API, the server and the CLI; nothing of the run machinery.
    "samples": _BASE | {"store"},
    # A built-in suite may use its grader's helpers (LiveCodeBench's prelude), and reads the
    # standard datasets' rows.
    "suites": _BASE | {"scorers", "tasks", "datasets"},
    # The run loop: suites x models, asked through providers, scored, stored.
    "engine": _BASE | {"store", "sandbox", "providers", "tasks", "scorers", "suites", "datasets"},
    # Summaries, comparisons and reports read the store, never the engine. Inside it,
    # `analysis.stats` (intervals, bootstrap, paired tests, power, pass@k, agreement) takes
    # plain numbers and `analysis.render` (markdown, HTML, SVG, JUnit) takes built documents:
    # neither reads the store (test_statistics_and_renderers_import_nothing_of_the_store).
    "analysis": _BASE | {"store", "suites", "datasets"},
    # Human labels: stored, compared with the scorers' verdicts.
    "labeling": _BASE | {"store", "scorers", "analysis"},
    # The Python API (`benchlab.api`), the library the CLI and the server share.
    "api": _BASE
    | {"store", "sandbox", "providers", "tasks", "scorers", "suites", "engine", "analysis"}
    | {"labeling", "datasets", "samples"},
    # The web server: never imported by the library, only by `benchlab serve`.
    "server": _BASE
    | {"store", "sandbox", "providers", "tasks", "scorers", "suites", "engine", "analysis"}
    | {"labeling", "api", "datasets", "samples"},
    # The command line sits on top of everything.
    "cli": _BASE
    | {"store", "sandbox", "providers", "tasks", "scorers", "suites", "engine", "analysis"}
    | {"labeling", "api", "server", "datasets", "samples"},
    # `benchlab/__init__.py`: the public names, re-exported lazily (strings at run time).
    "facade": _BASE
    | {"store", "sandbox", "providers", "tasks", "scorers", "suites", "engine", "analysis"}
    | {"api", "datasets", "samples"},
    "main": {"cli"},
}

# The modules at the package root, by the layer they belong to; everything else lives in
# the package of its layer (`benchlab.<layer>...`).
ROOT_MODULES: dict[str, str] = {
    "benchlab": "facade",
    "benchlab.__main__": "main",
    "benchlab.domain": "domain",
    "benchlab.errors": "errors",
}

# Imports that break the rules and need a move too big for the change that
# found them. Each is "importer -> imported" (module names). This set must only
# shrink: the test fails when a listed import is gone, so remove the line then.
# Empty today: keep it so (fix by moving the code where it belongs, e.g.
# `task_suite` moved from tasks/catalog.py to suites/tasks.py).
KNOWN_VIOLATIONS: set[str] = set()

# The database libraries, which only store/ may import ("the store is reached
# only through store/").
STORE_LIBRARIES = ("sqlalchemy", "alembic")
# Modules outside store/ that still import them, by the same must-only-shrink rule.
# Empty: keep it so.
KNOWN_STORE_BYPASSES: set[str] = set()


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    type_only: bool

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported}"


def _folders(path: Path) -> list[Path]:
    """The folders from SRC down to the one holding `path`."""
    return [
        SRC,
        *[
            SRC / Path(*path.relative_to(SRC).parts[:n])
            for n in range(1, len(path.relative_to(SRC).parts))
        ],
    ]


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(SRC.rglob("*.py")):
        if any(not (folder / "__init__.py").exists() for folder in _folders(path)):
            continue  # data shipped in the package (task workspaces), not a module
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module `name` lives in: itself, or the nearest package that defines it."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, type_only: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every node under `node`, with whether it sits under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for inner in child.body:
                yield inner, True
                yield from _walk(inner, True)
            for inner in child.orelse:
                yield inner, type_only
                yield from _walk(inner, type_only)
            continue
        yield child, type_only
        yield from _walk(child, type_only)


def _imports_of(module: str, path: Path) -> Iterator[Import]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node, type_only in _walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            if base == "benchlab" and all(a.name == "__version__" for a in node.names):
                continue  # a constant of the root package, which imports nothing at run time
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            if target.split(".")[0] != "benchlab":
                continue
            resolved = _resolve(target)
            if resolved is not None and resolved != module:
                yield Import(module, resolved, node.lineno, type_only)


IMPORTS = [imp for module, path in MODULES.items() for imp in _imports_of(module, path)]


def layer_of(module: str) -> str:
    if module in ROOT_MODULES:
        return ROOT_MODULES[module]
    return module.split(".")[1]


def test_every_module_has_a_known_layer() -> None:
    unknown = sorted({m for m in MODULES if layer_of(m) not in ALLOWED})
    assert not unknown, f"modules outside every layer (add the layer to ALLOWED): {unknown}"


def test_the_layers_themselves_form_no_cycle() -> None:
    done: set[str] = set()

    def visit(layer: str, path: tuple[str, ...]) -> None:
        assert layer not in path, f"ALLOWED has a cycle: {' -> '.join([*path, layer])}"
        if layer in done:
            return
        for lower in ALLOWED[layer]:
            visit(lower, (*path, layer))
        done.add(layer)

    for layer in ALLOWED:
        visit(layer, ())


def _violations() -> dict[str, Import]:
    found: dict[str, Import] = {}
    for imp in IMPORTS:
        src, dst = layer_of(imp.importer), layer_of(imp.imported)
        if src != dst and dst not in ALLOWED[src]:
            found.setdefault(str(imp), imp)
    return found


def test_no_module_imports_a_layer_above_it() -> None:
    found = _violations()
    new = sorted(
        f"{imp.importer} (line {imp.line}) imports {imp.imported}: "
        f"layer {layer_of(imp.importer)} may import only {sorted(ALLOWED[layer_of(imp.importer)])}"
        for key, imp in found.items()
        if key not in KNOWN_VIOLATIONS
    )
    assert not new, "\n".join(new)


def test_known_violations_are_still_there() -> None:
    """The list must stay true: once an import is fixed, its line goes too."""
    gone = sorted(KNOWN_VIOLATIONS - set(_violations()))
    assert not gone, f"fixed, so remove from KNOWN_VIOLATIONS: {gone}"


def test_the_root_package_imports_nothing_at_run_time() -> None:
    """`from benchlab import __version__` is allowed everywhere because of this."""
    runtime = [str(imp) for imp in IMPORTS if imp.importer == "benchlab" and not imp.type_only]
    assert not runtime


def _store_bypasses() -> set[str]:
    found: set[str] = set()
    for module, path in MODULES.items():
        if layer_of(module) == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            if any(name.split(".")[0] in STORE_LIBRARIES for name in names):
                found.add(module)
    return found


def test_only_the_store_talks_to_the_database() -> None:
    new = sorted(_store_bypasses() - KNOWN_STORE_BYPASSES)
    assert not new, f"modules importing {STORE_LIBRARIES} outside store/: {new}"


def test_known_store_bypasses_are_still_there() -> None:
    gone = sorted(KNOWN_STORE_BYPASSES - _store_bypasses())
    assert not gone, f"fixed, so remove from KNOWN_STORE_BYPASSES: {gone}"


def _database_imports(module: str) -> list[str]:
    """What `module` imports of the store's layer or of the database libraries."""
    found = [
        str(imp) for imp in IMPORTS if imp.importer == module and layer_of(imp.imported) == "store"
    ]
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
        else:
            continue
        found += [f"{module} -> {n}" for n in names if n.split(".")[0] in STORE_LIBRARIES]
    return found


def test_statistics_and_renderers_import_nothing_of_the_store() -> None:
    """Statistics take numbers and renderers take built documents: neither reads a run."""
    pure = [
        m for m in MODULES if m.startswith(("benchlab.analysis.stats", "benchlab.analysis.render"))
    ]
    assert "benchlab.analysis.stats.bootstrap" in pure and "benchlab.analysis.render.html" in pure
    found = [line for module in pure for line in _database_imports(module)]
    assert not found, found


def test_statistics_import_only_statistics() -> None:
    """`analysis.stats` stands alone (our errors aside): a formula is tested without a run,
    and the summaries build on it, never the other way round."""
    found = sorted(
        str(imp)
        for imp in IMPORTS
        if imp.importer.startswith("benchlab.analysis.stats")
        and not imp.imported.startswith("benchlab.analysis.stats")
        and imp.imported != "benchlab.errors"
    )
    assert not found, found
    assert any(imp.importer == "benchlab.analysis.stats.power" for imp in IMPORTS)


def test_the_database_check_sees_the_store_and_sqlalchemy() -> None:
    """The check above would pass vacuously if it missed either kind of import."""
    assert "benchlab.analysis.summary -> benchlab.store" in _database_imports(
        "benchlab.analysis.summary"
    )
    assert "benchlab.store.outcomes -> sqlalchemy" in _database_imports("benchlab.store.outcomes")


def _cycle() -> list[str] | None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in IMPORTS:
        if not imp.type_only:
            graph[imp.importer].add(imp.imported)
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for nxt in sorted(graph[module]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)) is not None:
            return found
    return None


def test_the_package_root_holds_only_the_entry_points_and_the_foundation() -> None:
    """Every other module lives in the package of its layer, where a newcomer looks for it."""
    assert sorted(path.name for path in SRC.glob("*.py")) == sorted(
        f"{module.rpartition('.')[2] if module != 'benchlab' else '__init__'}.py"
        for module in ROOT_MODULES
    )


def test_no_import_cycle() -> None:
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_walk_sees_function_level_and_type_only_imports() -> None:
    """The checks above would pass vacuously if the walk missed the lazy imports."""
    seen = {(str(imp), imp.type_only) for imp in IMPORTS}
    # function-level: the CLI builds the progress bar only when a run starts
    assert ("benchlab.cli.app -> benchlab.cli.display.progress", False) in seen
    # TYPE_CHECKING: the facade names the API for type checkers only
    assert ("benchlab -> benchlab.api", True) in seen
