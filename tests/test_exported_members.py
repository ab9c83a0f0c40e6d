"""`benchlab.__all__` and what `import benchlab` really offers must not drift apart."""

from __future__ import annotations

import subprocess
import sys

import benchlab


def test_all_exports_resolve() -> None:
    for name in benchlab.__all__:
        assert getattr(benchlab, name) is not None, name
    import types

    public = {
        n
        for n in dir(benchlab)
        if not n.startswith("_") and not isinstance(getattr(benchlab, n), types.ModuleType)
    }
    assert public <= set(benchlab.__all__) | {"annotations", "TYPE_CHECKING", "Any"}


def test_all_is_the_lazy_exports_and_the_type_checking_imports() -> None:
    """`__all__` is spelled out for type checkers: it must name exactly what resolves lazily
    and what the TYPE_CHECKING block imports (so `mypy --strict` users see every export)."""
    import ast
    from pathlib import Path

    assert benchlab.__file__ is not None
    tree = ast.parse(Path(benchlab.__file__).read_text())
    typed = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for imported in node.body
        if isinstance(imported, ast.ImportFrom)
        for alias in imported.names
    }
    assert len(benchlab.__all__) == len(set(benchlab.__all__))
    assert set(benchlab.__all__) == {"__version__", *benchlab._EXPORTS} == {"__version__", *typed}


def test_import_is_light() -> None:
    code = (
        "import benchlab, sys; "
        "print(sorted(m for m in ('sqlalchemy', 'aiohttp', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_api_runs_a_suite(tmp_path: object) -> None:
    config = benchlab.RunConfig(
        suites=["quickstart"],
        models=benchlab.resolve_models(["oracle"]),
        db=f"sqlite:///{tmp_path}/api.db",
    )
    result = benchlab.run(config)
    assert result.status == "completed"
    assert result.summary["models"][0]["pass_rate"] == 1.0
    attempts = list(result.attempts())
    assert attempts and all(isinstance(a, benchlab.Attempt) for a in attempts)
    assert benchlab.show(result.run_id, db=config.db)["run_id"] == result.run_id
