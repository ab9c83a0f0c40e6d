"""Running a GitHub Actions workflow's steps here, as a runner would, against offline models.

A job's steps run in order in one folder, each `run:` under `bash -eo pipefail` with the
workflow's, the job's and the step's `env`, `$GITHUB_ENV` and `$GITHUB_OUTPUT` read back
between steps, and `if:` conditions evaluated (`success()` by default, `always()`, `==`/`!=`
comparisons joined by `&&`, `hashFiles`). The `${{ }}` expressions a runner fills in come
from the test's `Context` (event, ref, secrets, variables, inputs). Steps that talk to
GitHub are simulated where their effect matters (the Actions cache: a folder kept by the
test) and skipped otherwise (checkout, setup-python, upload-artifact). Commands that would
change this machine (`sudo apt-get`, `python -m pip install`) and those that talk to GitHub
or the internet (`gh`, `curl`) run as shims that record their arguments; everything else,
`benchlab` above all, is the real thing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SHIMMED = ("sudo", "apt-get", "gh", "curl")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    if True in data:  # YAML 1.1 reads a bare `on` as true
        data["on"] = data.pop(True)
    return data


@dataclass
class Context:
    """What GitHub would fill in for one workflow run."""

    event: str  # pull_request, push, schedule, workflow_dispatch
    ref_name: str = "main"
    head_ref: str = ""
    pr_number: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    vars: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    run_id: str = "1"

    def github(self, name: str) -> str:
        values = {
            "event_name": self.event,
            "ref_name": self.ref_name,
            "ref": f"refs/heads/{self.ref_name}",
            "head_ref": self.head_ref,
            "token": "gh-token",
            "run_id": self.run_id,
            "event.pull_request.number": self.pr_number,
        }
        return values[name]


@dataclass
class StepResult:
    name: str
    outcome: str  # success, failure, skipped
    stdout: str = ""
    stderr: str = ""
    returncode: int | None = None


@dataclass
class JobResult:
    steps: list[StepResult]
    shim_log: list[str]

    def __getitem__(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    @property
    def failed(self) -> bool:
        return any(s.outcome == "failure" for s in self.steps)


class Runner:
    """Runs one job of a workflow in `workdir`; `cache_dir` plays the Actions cache."""

    def __init__(self, workflow: dict[str, Any], workdir: Path, cache_dir: Path) -> None:
        self.workflow = workflow
        self.workdir = workdir
        self.cache_dir = cache_dir
        self.bin = workdir.parent / f"{workdir.name}-shims"
        self._write_shims()

    def _write_shims(self) -> None:
        self.bin.mkdir(parents=True, exist_ok=True)
        log = self.bin / "calls.log"
        for name in SHIMMED:
            body = f'#!/bin/sh\necho "{name} $*" >> "{log}"\n'
            if name == "sudo":
                body += 'exec "$@"\n'
            elif name == "curl":
                body += "exit 7\n"  # no internet in tests: a download must not be needed
            (self.bin / name).write_text(body)
            (self.bin / name).chmod(0o755)
        real = sys.executable
        python = (
            "#!/bin/sh\n"
            f'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "pip $* (cwd $PWD)" >> "{log}"; '
            "exit 0; fi\n"
            f'exec "{real}" "$@"\n'
        )
        (self.bin / "python").write_text(python)
        (self.bin / "python").chmod(0o755)
        (self.bin / "benchlab").write_text(f'#!/bin/sh\nexec "{real}" -m benchlab "$@"\n')
        (self.bin / "benchlab").chmod(0o755)

    def shim_log(self) -> list[str]:
        log = self.bin / "calls.log"
        return log.read_text().splitlines() if log.exists() else []

    # --- expressions -------------------------------------------------------------------------
    def _value(self, expr: str, ctx: Context, env: dict[str, str], outputs: dict[str, Any]) -> str:
        """One operand: a literal, a context lookup, or `a || b`."""
        expr = expr.strip()
        if "||" in expr:
            for part in expr.split("||"):
                value = self._value(part, ctx, env, outputs)
                if value:
                    return value
            return ""
        if expr.startswith("'") and expr.endswith("'"):
            return expr[1:-1]
        head, _, rest = expr.partition(".")
        if head == "secrets":
            return ctx.secrets.get(rest, "")
        if head == "vars":
            return ctx.vars.get(rest, "")
        if head == "inputs":
            return ctx.inputs.get(rest, "")
        if head == "env":
            return env.get(rest, "")
        if head == "github":
            return ctx.github(rest)
        if head == "steps":
            step_id, _, output = rest.partition(".outputs.")
            return str(outputs.get(step_id, {}).get(output, ""))
        found = re.fullmatch(r"hashFiles\('([^']+)'\)", expr)
        if found:
            return "hash" if (self.workdir / found.group(1)).exists() else ""
        raise AssertionError(f"expression not understood by the test runner: {expr!r}")

    def fill(self, text: str, ctx: Context, env: dict[str, str], outputs: dict[str, Any]) -> str:
        return re.sub(
            r"\$\{\{(.*?)\}\}", lambda m: self._value(m.group(1), ctx, env, outputs), str(text)
        )

    def condition(
        self, expr: str | None, ctx: Context, env: dict[str, str], outputs: dict[str, Any], ok: bool
    ) -> bool:
        if expr is None:
            return ok
        expr = str(expr).strip()
        if expr.startswith("${{"):
            expr = expr[3:-2]
        always = False
        result = True
        for atom in expr.split("&&"):
            atom = atom.strip()
            if atom == "always()":
                always = True
                continue
            found = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", atom)
            assert found, f"condition not understood by the test runner: {atom!r}"
            left = self._value(found.group(1), ctx, env, outputs)
            right = self._value(found.group(3), ctx, env, outputs)
            result = result and ((left == right) == (found.group(2) == "=="))
        return result and (always or ok)

    # --- running -----------------------------------------------------------------------------
    def run_job(
        self, job: str, ctx: Context, *, extra_env: dict[str, str] | None = None
    ) -> JobResult:
        spec = self.workflow["jobs"][job]
        outputs: dict[str, dict[str, str]] = {}
        github_env = self.workdir / ".github_env"
        github_env.write_text("")
        results: list[StepResult] = []
        ok = True
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.endswith(("_API_KEY", "_BASE_URL", "_ADMIN_KEY"))
            and not k.startswith("BENCHLAB_")
        }
        base["PATH"] = f"{self.bin}{os.pathsep}{base.get('PATH', '')}"
        base.update({"GITHUB_SHA": "0" * 40, "GITHUB_ENV": str(github_env)})
        for index, step in enumerate(spec["steps"]):
            name = step.get("id") or step.get("name") or step["uses"]
            env = dict(base)
            for line in github_env.read_text().splitlines():
                key, sep, value = line.partition("=")
                if sep:
                    env[key] = value
            for scope in (self.workflow.get("env", {}), spec.get("env", {}), step.get("env", {})):
                for key, value in scope.items():
                    env[key] = self.fill(str(value), ctx, env, outputs)
            env.update(extra_env or {})  # what the test substitutes: offline models, the server
            if not self.condition(step.get("if"), ctx, env, outputs, ok):
                results.append(StepResult(name, "skipped"))
                continue
            if "uses" in step:
                self._uses(step, ctx, env, outputs)
                results.append(StepResult(name, "success"))
                continue
            command = self.fill(step["run"], ctx, env, outputs)
            output_file = self.workdir / f".github_output_{index}"
            output_file.write_text("")
            env["GITHUB_OUTPUT"] = str(output_file)
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
                cwd=self.workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            outputs[name] = dict(
                line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
            )
            outcome = "success" if done.returncode == 0 else "failure"
            ok = ok and outcome == "success"
            results.append(StepResult(name, outcome, done.stdout, done.stderr, done.returncode))
        return JobResult(results, self.shim_log())

    def _uses(
        self, step: dict[str, Any], ctx: Context, env: dict[str, str], outputs: dict[str, Any]
    ) -> None:
        action = str(step["uses"]).split("@")[0]
        options = {k: self.fill(str(v), ctx, env, outputs) for k, v in step.get("with", {}).items()}
        if action in ("actions/checkout", "actions/setup-python", "actions/upload-artifact"):
            return
        if action in ("actions/cache/restore", "actions/cache"):
            kept = self.cache_dir / options["path"]
            if kept.exists():
                shutil.copytree(kept, self.workdir / options["path"], dirs_exist_ok=True)
            return
        if action == "actions/cache/save":
            shutil.copytree(
                self.workdir / options["path"], self.cache_dir / options["path"], dirs_exist_ok=True
            )
            return
        raise AssertionError(f"action not known to the test runner: {action}")
