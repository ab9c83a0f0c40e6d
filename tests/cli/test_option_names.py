"""Errors from code the CLI shares with the API name the CLI's flags (`--judge-model`,
`--model`, `--pass`); the API's side is tests/server/test_option_names.py."""

from __future__ import annotations

import json
from pathlib import Path

from support.runs import assert_user_error, cli


def test_a_judging_suite_without_a_judge_names_the_flag(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    result = cli("run", "rent-sycophancy", "-m", "echo", "--db", db)
    assert_user_error(result, "needs a judge model", "pass --judge-model")
    bad_judge = cli("run", "rent-sycophancy", "-m", "echo", "--judge-model", "nosuch/x", "--db", db)
    assert_user_error(bad_judge, "--judge-model: model 'nosuch/x': unknown provider 'nosuch'")


def test_an_unknown_model_names_the_flag(tmp_path: Path) -> None:
    result = cli("run", "quickstart", "-m", "nosuch/x", "--db", f"sqlite:///{tmp_path}/runs.db")
    assert_user_error(result, "--model: model 'nosuch/x': unknown provider 'nosuch'")


def test_an_empty_pass_names_the_flag(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    run = json.loads(cli("run", "quickstart", "-m", "oracle", "--db", db, "--json").stdout)
    assert_user_error(cli("show", run["run_id"], "--pass", "", "--db", db), "--pass ''")
    result = cli("compare", run["run_id"], run["run_id"], "--model", "nosuch", "--db", db)
    assert_user_error(result, "--model nosuch: run")
