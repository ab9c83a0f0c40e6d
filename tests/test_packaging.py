"""A regular install works: build the wheel, install it in a fresh venv, run the oracle from it.

The bug this guards: `pip install .` (not `-e`) compiles the catalog's Python
files, and the task loader read the `.pyc` files as workspace text.

Kept offline and quick by choice: the wheel is built with the dev venv's
setuptools where it is recent enough (`--no-build-isolation`, no download of
a build backend; else pip's usual isolated build); the
fresh venv has no pip and no site-packages of its own beyond the wheel
(`--without-pip`); pip from the dev venv installs the wheel into it
(`--python`, `--no-deps`, `--no-index`, compiling as a user's install
does), and its dependencies come from the dev venv's site-packages through
a plain path in a `.pth` file, which adds that folder to `sys.path` without
running the `.pth` files in it: the dev venv's editable benchlab is not
reachable, so `benchlab` is the installed wheel (asserted).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from benchlab.tasks.catalog import LANGUAGES, missing_toolchain

ROOT = Path(__file__).resolve().parent.parent


def _setuptools_major() -> int:
    try:
        return int(importlib.metadata.version("setuptools").split(".")[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return 0


def _run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> str:
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (argv, done.returncode, done.stdout[-2000:], done.stderr[-3000:])
    return done.stdout


@pytest.mark.slow
def test_the_installed_wheel_runs_the_oracle(tmp_path: Path) -> None:
    missing = {lang: tool for lang in LANGUAGES if (tool := missing_toolchain(lang))}
    if missing:
        pytest.skip(f"not installed here, so the tasks cannot all pass: {missing}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "BENCHLAB_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # for the build; the install still compiles, as pip does

    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    # A source tree where Python ran beside the catalog: its caches must stay out of the wheel.
    catalog = source / "src" / "benchlab" / "tasks" / "catalog"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(catalog)], check=True)
    assert list(catalog.rglob("*.pyc"))
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheel_argv = [*pip, "wheel", str(source), "--no-deps", "-w", str(dist)]
    if _setuptools_major() >= 77:  # as pyproject's build-system asks: no download needed
        wheel_argv.append("--no-build-isolation")
    _run(wheel_argv, tmp_path, env, 600)
    (wheel,) = dist.glob("benchlab-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "benchlab/tasks/catalog/py-fix-median/task.yaml" in names
    assert [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))] == []

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            tmp_path,
            env,
            60,
        ).strip()
    )
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dev-deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    install = [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)]
    _run(install, tmp_path, env, 600)
    installed = site / "benchlab" / "tasks" / "catalog"
    assert list(installed.rglob("*.pyc")), "pip compiled the catalog, as for any user"
    where = _run(
        [str(python), "-c", "import benchlab; print(benchlab.__file__)"], tmp_path, env, 60
    )
    assert Path(where.strip()).is_relative_to(site)

    benchlab = str(venv / "bin" / "benchlab")
    db = str(tmp_path / "lab.db")
    tasks = json.loads(
        _run(
            [benchlab, "run", "tasks", "-m", "oracle", "--json", "-q", "--db", db],
            tmp_path,
            env,
            900,
        )
    )
    (oracle,) = tasks["models"]
    assert oracle["pass_rate"] == 1.0 and oracle["attempts"] == len(list(installed.iterdir()))
    humaneval = json.loads(
        _run(
            [
                benchlab,
                "run",
                "humaneval",
                "-m",
                "oracle",
                "--limit",
                "5",
                "--json",
                "-q",
                "--db",
                db,
            ],
            tmp_path,
            env,
            600,
        )
    )
    (oracle,) = humaneval["models"]
    assert oracle["pass_rate"] == 1.0 and oracle["attempts"] == 5
