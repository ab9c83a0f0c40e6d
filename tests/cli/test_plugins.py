"""Third-party scorers and providers, installed as a package with entry points, run by name.

The plugin is a real distribution on `sys.path` (a module and a `.dist-info`
with `entry_points.txt`), found by `importlib.metadata` in a `benchlab run`
subprocess exactly as an installed package would be.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from support.runs import assert_user_error, cli

PLUGIN = """
from pathlib import Path

from benchlab.domain import Case
from benchlab.providers.base import Completion, GenerateRequest
from benchlab.providers.families import Opening, family
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult

Path(__file__).with_name("imported.marker").write_text("yes")


class ShoutProvider:
    family = "shout"

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    async def generate(self, request: GenerateRequest) -> Completion:
        text = str(request.messages[-1]["content"]).upper()
        return Completion(text=text, finish_reason="stop", input_tokens=2, output_tokens=2)

    async def aclose(self) -> None:
        pass


@family("shout", "a plugin: shouts the prompt back", free=True)
def shout(opening: Opening) -> ShoutProvider:
    return ShoutProvider(opening.endpoint)


class EndsWith:
    def __init__(self, name: str) -> None:
        self.name = name

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        ok = answer.output.rstrip().endswith(str(case.expected))
        return ScoreResult(value=float(ok), passed=ok)


def ends_with() -> EndsWith:
    return EndsWith("ends_with")
"""

ENTRY_POINTS = """\
[benchlab.providers]
shout = benchlab_demo_plugin:shout

[benchlab.scorers]
ends_with = benchlab_demo_plugin:ends_with
broken = benchlab_no_such_module:factory
"""


def _install_plugin(site: Path) -> dict[str, str]:
    """A plugin distribution in `site`; the environment that puts it on the path."""
    package = site / "benchlab_demo_plugin"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(PLUGIN)
    dist = site / "benchlab_demo_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: benchlab-demo-plugin\nVersion: 0.1\n"
    )
    (dist / "entry_points.txt").write_text(ENTRY_POINTS)
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path}


def _suite(path: Path) -> Path:
    cases = [("c0", "answer 0", "0"), ("c1", "answer 1", "1"), ("c2", "answer 2", "9")]
    path.write_text(
        "".join(json.dumps({"id": i, "input": q, "expected": e}) + "\n" for i, q, e in cases)
    )
    return path


def test_a_plugin_scorer_and_provider_run_by_name(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path / "site")
    suite = _suite(tmp_path / "s.jsonl")
    db = f"sqlite:///{tmp_path / 'b.db'}"
    marker = tmp_path / "site" / "benchlab_demo_plugin" / "imported.marker"

    # Installed but not named: a built-in run never imports the plugin's module.
    plain = cli("run", str(suite), "-m", "oracle", "--scorer", "exact", "--db", db, env=env)
    assert plain.returncode == 0, plain.stderr
    assert not marker.exists()

    result = cli(
        "run", str(suite), "-m", "shout/loud", "--scorer", "ends_with", "--db", db, "--json",
        env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (model,) = json.loads(result.stdout)["models"]
    assert model["model"] == "shout/loud"
    assert model["attempts"] == 3 and model["errors"] == 0
    assert model["pass_rate"] == 2 / 3  # "ANSWER 2" does not end with "9"
    assert model["cost_usd"] == 0  # declared free by its family
    assert marker.exists()

    listed = json.loads(cli("models", "--json", env=env).stdout)
    shout = next(p for p in listed["providers"] if p["provider"] == "shout")
    assert shout["description"] == "a plugin: shouts the prompt back"


def test_a_broken_plugin_is_one_clear_line(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path / "site")
    suite = _suite(tmp_path / "s.jsonl")
    db = f"sqlite:///{tmp_path / 'b.db'}"
    result = cli("run", str(suite), "-m", "oracle", "--scorer", "broken", "--db", db, env=env)
    assert_user_error(result, "scorer 'broken'", "benchlab_no_such_module", "benchlab.scorers")
    unknown = cli("run", str(suite), "-m", "nosuch/x", "--db", db, env=env)
    assert_user_error(unknown, "unknown provider 'nosuch'", "shout")
