"""Our standard suites send lm-eval's prompts: same text, same shots, same chat turns.

lm-evaluation-harness builds each task from its own YAML on the same rows
(written locally, see support.standard_rows); every context it would send
must equal ours, for plain text (what a completions endpoint scores in
loglikelihood mode), one chat message, and few-shot as multi-turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchlab.domain import Case
from benchlab.suites import load_suite
from support.lm_eval_tasks import lm_eval_requests
from support.standard_rows import ROWS, split_path, write_dataset

pytestmark = pytest.mark.filterwarnings("ignore")  # lm-eval and datasets warn freely


def _files(name: str, folder: Path, splits: list[str]) -> dict[str, str]:
    return {split: str(folder / split_path(name, split)) for split in splits}


def _messages(case: Case) -> list[dict[str, str]]:
    if isinstance(case.input, str):
        return [{"role": "user", "content": case.input}]
    return [{"role": m.role, "content": m.content} for m in case.input]


def _text(case: Case) -> str:
    return "".join(m["content"] for m in _messages(case))


def _cases(ref: str) -> list[Case]:
    return list(load_suite(ref).iter_cases())


@pytest.mark.parametrize("shots", [0, 1, 5])
def test_gsm8k_text_and_stop_sequences_match(tmp_path: Path, shots: int) -> None:
    folder = write_dataset("gsm8k", tmp_path / "gsm8k")
    theirs = lm_eval_requests(
        "gsm8k/gsm8k.yaml", _files("gsm8k", folder, ["test", "train"]), num_fewshot=shots
    )
    suite = load_suite(f"gsm8k?data={folder}&shots={shots}")
    ours = list(suite.iter_cases())
    assert [_text(c) for c in ours] == [context for context, _ in theirs]
    assert suite.header.params is not None
    assert suite.header.params.stop == theirs[0][1]["until"]


@pytest.mark.parametrize("multiturn", [False, True])
def test_gsm8k_chat_turns_match(tmp_path: Path, multiturn: bool) -> None:
    folder = write_dataset("gsm8k", tmp_path / "gsm8k")
    theirs = lm_eval_requests(
        "gsm8k/gsm8k.yaml",
        _files("gsm8k", folder, ["test", "train"]),
        num_fewshot=3,
        chat=True,
        multiturn=multiturn,
    )
    flag = "&fewshot_as_multiturn=true" if multiturn else ""
    ours = _cases(f"gsm8k?data={folder}&shots=3{flag}")
    assert [_messages(c) for c in ours] == [context for context, _ in theirs]
    if multiturn:
        assert [m["role"] for m in _messages(ours[0])] == ["user", "assistant"] * 3 + ["user"]


def test_gsm8k_chain_of_thought_matches(tmp_path: Path) -> None:
    folder = write_dataset("gsm8k", tmp_path / "gsm8k")
    theirs = lm_eval_requests("gsm8k/gsm8k-cot.yaml", _files("gsm8k", folder, ["test"]))
    suite = load_suite(f"gsm8k?data={folder}&cot=true")
    assert [_text(c) for c in suite.iter_cases()] == [context for context, _ in theirs]
    assert suite.header.params is not None
    assert suite.header.params.stop == theirs[0][1]["until"]


def _subject_files(folder: Path, name: str, key: str, value: str) -> dict[str, str]:
    """Per-subject files, as lm-eval reads one config per MMLU subject / filters MMLU-Pro."""
    import json

    files = {}
    for split, rows in ROWS[name].items():
        path = folder / f"{value}-{split}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows if r[key] == value))
        files[split] = str(path)
    return files


@pytest.mark.parametrize("shots", [0, 2, 5])
@pytest.mark.parametrize("chat", [False, True])
def test_mmlu_generative_prompts_match(tmp_path: Path, shots: int, chat: bool) -> None:
    folder = write_dataset("mmlu", tmp_path / "mmlu")
    ours = _cases(f"mmlu?data={folder}&shots={shots}")
    theirs: list[Any] = []
    for subject in ("college_biology", "high_school_physics"):
        files = _subject_files(tmp_path, "mmlu", "subject", subject)
        theirs += lm_eval_requests(
            f"mmlu/generative/mmlu_{subject}.yaml",
            files,
            num_fewshot=shots,
            chat=chat,
            data_format="json",
        )
    got = [_messages(c) if chat else _text(c) for c in ours]
    assert got == [context for context, _ in theirs]
    assert load_suite(f"mmlu?data={folder}").header.params.stop == theirs[0][1]["until"]  # type: ignore[union-attr]


def _ll_requests(cases: list[Case]) -> list[tuple[str, str]]:
    out = []
    for case in cases:
        ll = case.metadata["loglikelihood"]
        out += [(ll["context"], continuation) for continuation in ll["continuations"]]
    return out


@pytest.mark.parametrize("shots", [0, 3])
def test_mmlu_loglikelihood_requests_match(tmp_path: Path, shots: int) -> None:
    folder = write_dataset("mmlu", tmp_path / "mmlu")
    ours = _cases(f"mmlu?data={folder}&shots={shots}&mode=loglikelihood")
    theirs: list[Any] = []
    for subject in ("college_biology", "high_school_physics"):
        files = _subject_files(tmp_path, "mmlu", "subject", subject)
        theirs += lm_eval_requests(
            f"mmlu/default/mmlu_{subject}.yaml", files, num_fewshot=shots, data_format="json"
        )
    assert _ll_requests(ours) == theirs
    assert [c.expected for c in ours] == [{"gold": r["answer"]} for r in ROWS["mmlu"]["test"]]


@pytest.mark.parametrize(
    ("name", "task", "splits", "shots"),
    [
        ("arc-challenge", "arc/arc_challenge.yaml", ["test", "train", "validation"], 0),
        ("arc-challenge", "arc/arc_challenge.yaml", ["test", "train", "validation"], 2),
        ("hellaswag", "hellaswag/hellaswag.yaml", ["validation", "train"], 0),
        ("hellaswag", "hellaswag/hellaswag.yaml", ["validation", "train"], 2),
        ("truthfulqa-mc1", "truthfulqa/truthfulqa_mc1.yaml", ["validation"], 0),
        ("truthfulqa-mc2", "truthfulqa/truthfulqa_mc2.yaml", ["validation"], 0),
    ],
)
def test_loglikelihood_requests_match(
    tmp_path: Path, name: str, task: str, splits: list[str], shots: int
) -> None:
    folder = write_dataset(name, tmp_path / name)
    theirs = lm_eval_requests(task, _files(name, folder, splits), num_fewshot=shots)
    ours = _cases(f"{name}?data={folder}&mode=loglikelihood" + (f"&shots={shots}" if shots else ""))
    assert _ll_requests(ours) == theirs


@pytest.mark.parametrize("shots", [0, 5])
@pytest.mark.parametrize("chat", [False, True])
def test_mmlu_pro_prompts_match(tmp_path: Path, shots: int, chat: bool) -> None:
    folder = write_dataset("mmlu-pro", tmp_path / "mmlu-pro")
    ours = _cases(f"mmlu-pro?data={folder}&shots={shots}")
    theirs: list[Any] = []
    for category in ("biology", "computer science"):
        files = _files("mmlu-pro", folder, ["test", "validation"])
        task = f"mmlu_pro/mmlu_pro_{category.replace(' ', '_')}.yaml"
        theirs += lm_eval_requests(task, files, num_fewshot=shots, chat=chat)
    got = [_messages(c) if chat else _text(c) for c in ours]
    assert got == [context for context, _ in theirs]
