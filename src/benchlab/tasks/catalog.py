"""The task catalog: `tasks/<id>/` folders become cases of a code suite.

A task folder holds `task.yaml` (language, difficulty, tags, build and test
commands, limits, the tests it declares and the report format its runner
writes: see tasks/reports.py), `instructions.md`, `workspace/` (the starter code the
model completes or repairs), `tests/` (copied into the workspace root at run
time and never shown to the model) and `solution/` (the reference files,
outside the workspace, that the offline `oracle` answers with). The whole
task travels in the case (`expected`), so a run stays re-scorable even when
the folder changes or is gone.

Compiled files and caches beside the files (`__pycache__`, `.pyc`: pip
compiles an installed package's .py files, the catalog's included) are not
part of a task; any other non-text file is one clear error.

Built in: `benchlab run tasks` (the catalog shipped in this package);
any other folder of tasks: `benchlab run tasks:PATH` (the suite is made in
`suites/tasks.py`, so this package, which the task scorer uses, imports no
suite loader).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from benchlab.domain import Case
from benchlab.errors import SuiteError
from benchlab.tasks.reports import DEFAULT_FORMAT

BUILTIN = Path(__file__).with_name("catalog")
LANGUAGES = {
    "python": ("python", []),
    "javascript": ("javascript", ["node"]),
    "cpp": ("cpp", ["g++"]),
    "rust": ("rust", ["rustc"]),
    "go": ("go", ["go"]),
}
ANSWER_FORMAT = (
    "Answer with the complete new content of every file you change, each in its own fenced "
    "code block whose opening line names the file, e.g.\n\n```{fence} path={example}\n...\n```\n\n"
    "or with a unified diff against the files above in one ```diff block."
)


class TaskSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: str
    difficulty: str = "medium"
    tags: list[str] = Field(default_factory=list)
    description: str = ""
    build: str | None = None
    test: str
    timeout: float = Field(default=60.0, gt=0)
    memory_mb: int = Field(default=1024, gt=0)
    processes: int = Field(default=128, gt=0)
    env: dict[str, str] = Field(default_factory=dict)
    # The tests the report must show passed: how many, or their names (names are stronger:
    # a program cannot swap them for tests of its own). `report` defaults by language.
    tests: int | list[str]
    report: Literal["unittest", "go-json", "tap", "libtest"] | None = None

    @field_validator("tests")
    @classmethod
    def _some_tests(cls, value: int | list[str]) -> int | list[str]:
        if isinstance(value, int) and value < 1:
            raise ValueError("tests must be at least 1")
        if isinstance(value, list) and (not value or len(set(value)) != len(value)):
            raise ValueError("tests must name at least one test, each once")
        return value


# Left by Python or an installer beside the files (pip compiles a package's .py files when it
# installs it): never part of a task.
_SKIPPED_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".git"}
_SKIPPED_SUFFIXES = (".pyc", ".pyo")


def _read_tree(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if (
            not path.is_file()
            or _SKIPPED_DIRS & set(rel.parts[:-1])
            or path.name.endswith(_SKIPPED_SUFFIXES)
        ):
            continue
        try:
            files[rel.as_posix()] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise SuiteError(f"{path}: not a UTF-8 text file (a task holds text only)") from None
    return files


def _fence_of(path: str, language: str) -> str:
    suffix = Path(path).suffix.lstrip(".")
    return {"py": "python", "js": "javascript", "rs": "rust", "hpp": "cpp", "h": "cpp"}.get(
        suffix, suffix or language
    )


def as_files_answer(files: dict[str, str], language: str) -> str:
    """Files in the whole-file answer format (the oracle's reference, and the prompt's listing)."""
    return "\n".join(
        f"```{_fence_of(path, language)} path={path}\n{text}```\n" for path, text in files.items()
    )


def load_task(folder: Path) -> Case:
    where = f"{folder}/task.yaml"
    if not (folder / "task.yaml").is_file():
        raise SuiteError(f"{where}: missing")
    import yaml

    try:
        spec = TaskSpec.model_validate(yaml.safe_load((folder / "task.yaml").read_text()) or {})
    except ValidationError as exc:
        why = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SuiteError(f"{where}: {why[:300]}") from None
    except yaml.YAMLError as exc:
        raise SuiteError(f"{where}: {' '.join(str(exc).split())[:300]}") from None
    if spec.language not in LANGUAGES:
        raise SuiteError(
            f"{where}: unknown language {spec.language!r} (use {', '.join(LANGUAGES)})"
        )
    report = spec.report or DEFAULT_FORMAT[spec.language]
    if report == "unittest" and "{unittest}" not in spec.test:
        raise SuiteError(
            f"{where}: report unittest needs `{{unittest}} MODULE` in the test command"
        )
    workspace = _read_tree(folder / "workspace")
    solution = _read_tree(folder / "solution")
    if not workspace:
        raise SuiteError(f"{folder}: workspace/ is empty or missing")
    instructions_path = folder / "instructions.md"
    if not instructions_path.is_file():
        raise SuiteError(f"{folder}: instructions.md is missing")
    instructions = instructions_path.read_text(encoding="utf-8").strip()
    example = next(iter(solution or workspace))
    prompt = (
        f"{instructions}\n\nThe workspace:\n\n{as_files_answer(workspace, spec.language)}\n"
        + ANSWER_FORMAT.format(fence=_fence_of(example, spec.language), example=example)
    )
    return Case(
        id=folder.name,
        input=prompt,
        expected={
            "language": spec.language,
            "workspace": workspace,
            "tests": _read_tree(folder / "tests"),
            "build": spec.build,
            "test": spec.test,
            "timeout": spec.timeout,
            "memory_mb": spec.memory_mb,
            "processes": spec.processes,
            "env": spec.env,
            "report": report,
            "declared": spec.tests,
        },
        reference=as_files_answer(solution, spec.language) if solution else None,
        metadata={
            "category": spec.language,
            "difficulty": spec.difficulty,
            "tags": spec.tags,
            "description": spec.description,
        },
    )


def missing_toolchain(language: str) -> str | None:
    """The first tool a language needs that is not installed here, if any."""
    return next((tool for tool in LANGUAGES[language][1] if shutil.which(tool) is None), None)
