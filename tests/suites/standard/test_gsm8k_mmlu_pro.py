"""GSM8K (plain and chain of thought) and MMLU-Pro end to end: the oracle scores 100%
with the reference harness's default shots, and a model's replies are graded as lm-eval
grades them (strict-match decides; flexible-extract is kept in the details)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchlab import api
from benchlab.domain import ModelProfile
from benchlab.engine.config import RunConfig
from support.servers import StubServer
from support.standard_rows import ROWS, write_dataset


def _run(ref: str, tmp_path: Path, spec: str = "oracle", env: dict[str, str] | None = None) -> Any:
    return api.run(
        RunConfig(
            suites=[ref],
            models=[ModelProfile(name="m", spec=spec)],
            db=f"sqlite:///{tmp_path}/r.db",
        ),
        env=env,
    )


@pytest.mark.parametrize(
    "ref", ["gsm8k", "gsm8k?cot=true", "gsm8k?shots=0", "mmlu-pro", "mmlu-pro?shots=0"]
)
def test_the_oracle_scores_every_case(tmp_path: Path, ref: str) -> None:
    name = ref.partition("?")[0]
    folder = write_dataset(name, tmp_path / name)
    ref = f"{name}?data={folder}" + (f"&{ref.partition('?')[2]}" if "?" in ref else "")
    attempts = list(_run(ref, tmp_path).attempts())
    assert len(attempts) == len(ROWS[name]["test"])
    assert all(a.status == "ok" and a.passed for a in attempts), [a.output for a in attempts]


def test_gsm8k_replies_are_graded_as_lm_eval_grades_them(tmp_path: Path) -> None:
    folder = write_dataset("gsm8k", tmp_path / "gsm8k")
    finals = [r["answer"].split("####")[-1].strip() for r in ROWS["gsm8k"]["test"]]
    # By question: the strict form, a flexible-only form, wrong, and text past a stop sequence.
    replies = [
        f"So #### {finals[0]}",
        f"It is {finals[1]} pens.",
        "#### 0",
        f"#### {finals[3]}\nQuestion: and then #### 1",
        f"#### {finals[4]}.",
        "I do not know.",
    ]

    def answer(payload: dict[str, Any]) -> str:
        text = payload["messages"][-1]["content"]
        asked = text.rsplit("Question: (test ", 1)[1].split(")", 1)[0]
        return replies[int(asked)]

    with StubServer(answer=answer) as server:
        env = {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "sk-test"}
        result = _run(f"gsm8k?data={folder}&shots=2", tmp_path, "openai/m", env)
    by_case = {a.case_id: a for a in result.attempts()}
    verdicts = [by_case[f"main/test/{i}"].passed for i in range(6)]
    flexible = [by_case[f"main/test/{i}"].scores[0].details["flexible_extract"] for i in range(6)]
    assert verdicts == [True, False, False, True, True, False]
    assert flexible == [True, True, False, True, True, False]
