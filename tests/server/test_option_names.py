"""Errors from code the API shares with the CLI name the API's own fields and parameters
(`judge_model`, `models`, `pass`, `model`), never a CLI flag; the CLI's side is
tests/cli/test_option_names.py."""

from __future__ import annotations

import re

import pytest

from server.conftest import WriteEnv
from support.lab import ADMIN_KEY, auth

FLAG = re.compile(r"--[a-z]")


def _refused(env: WriteEnv, body: dict[str, object]) -> str:
    answer = env.client.post("/api/runs", json=body, headers=auth(ADMIN_KEY))
    assert answer.status_code == 400, answer.text
    error: str = answer.json()["error"]
    assert not FLAG.search(error), error
    return error


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            {"suites": ["rent-sycophancy"], "models": ["echo"]},
            "needs a judge model: give it `judge_model:` in the suite or pass judge_model",
        ),
        (
            {"suites": ["rent-sycophancy"], "models": ["echo"], "judge_model": "nosuch/x"},
            "judge_model: model 'nosuch/x': unknown provider 'nosuch'",
        ),
        (
            {"suites": ["quickstart"], "models": ["nosuch/x"]},
            "models: model 'nosuch/x': unknown provider 'nosuch'",
        ),
    ],
)
def test_a_refused_launch_names_the_request_field(
    write_env: WriteEnv, body: dict[str, object], said: str
) -> None:
    assert said in _refused(write_env, body)


def test_a_bad_pass_or_model_names_the_parameter(write_env: WriteEnv) -> None:
    c, (a, b) = write_env.client, write_env.seed.runs
    for value, said in (("", "pass ''"), ("x", "pass 'x'"), ("9", "pass 9: run has no such")):
        answer = c.get(f"/api/runs/{a}", params={"pass": value})
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert error.startswith(said) and not FLAG.search(error), error
        if not value:
            continue  # the page's form sends an empty field for "the latest": not an error
        page = c.get(f"/runs/{a}", params={"pass": value})
        assert page.status_code == 400 and said.replace("'", "&#39;") in page.text
        assert "--pass" not in page.text
    compared = c.get("/compare", params={"a": a, "b": b, "model": "nosuch"})
    assert compared.status_code == 400 and "model nosuch: run" in compared.text
    assert "--model" not in compared.text
