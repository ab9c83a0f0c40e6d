"""The standard datasets: one table, the single source of truth for where each suite's data lives.

Each entry names the Hub dataset, the config, the files of each split as the
Hub publishes them (glob patterns, so a re-sharded split still matches), the
default revision it is pinned to, whether the Hub gates it, and the fields
(with their types) that the suite reads, which is what `--data` files are
checked against. Revisions are the commits the reference harnesses pin
(inspect_evals' `*_DATASET_REVISION` constants for MMLU, MMLU-Pro, GSM8K,
ARC, HellaSwag, TruthfulQA, IFEval and MBPP; the commit other harnesses pin
for MATH-500), so a result names the exact bytes; `main` where no pin is
known (GPQA, which inspect_evals reads from a CSV elsewhere, and
LiveCodeBench, whose releases are files: each file is a split here,
`test` .. `test6`, and release_v6 reads test.jsonl .. test6.jsonl).
`--revision` overrides the pin, and the provenance records the commit read.

Several suites may share one dataset (TruthfulQA MC1 and MC2): the files are
the same, so they are pulled and cached once.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from benchlab.datasets.errors import DatasetError

__all__ = ["CATALOG", "DatasetSpec", "dataset_spec", "hub_url"]

HUB = "https://huggingface.co"

# The field kinds a `--data` file is checked against (values as Python reads them).
STR, INT, LIST, DICT = "str", "int", "list", "dict"


@dataclass(frozen=True)
class DatasetSpec:
    """Where one suite's data lives on the Hub, and the fields its rows carry."""

    name: str
    repo_id: str
    config: str | None
    # split -> glob of its files inside the dataset repo; the first split is the one scored.
    splits: tuple[tuple[str, str], ...]
    revision: str
    gated: bool
    fields: tuple[tuple[str, str], ...]

    @property
    def patterns(self) -> list[str]:
        return [pattern for _, pattern in self.splits]

    @property
    def split_names(self) -> list[str]:
        return [split for split, _ in self.splits]

    @property
    def main_split(self) -> str:
        return self.splits[0][0]

    def pattern(self, split: str) -> str:
        for name, pattern in self.splits:
            if name == split:
                return pattern
        raise DatasetError(
            f"{self.name}: no split {split!r} (it has {', '.join(self.split_names)})"
        )


def _spec(
    name: str,
    repo_id: str,
    config: str | None,
    splits: dict[str, str],
    revision: str,
    fields: dict[str, str],
    gated: bool = False,
) -> DatasetSpec:
    return DatasetSpec(
        name=name,
        repo_id=repo_id,
        config=config,
        splits=tuple(splits.items()),
        revision=revision,
        gated=gated,
        fields=tuple(fields.items()),
    )


_TRUTHFULQA = {"question": STR, "mc1_targets": DICT, "mc2_targets": DICT}

_SPECS = [
    _spec(
        "mmlu",
        "cais/mmlu",
        "all",
        {"test": "all/test-*.parquet", "dev": "all/dev-*.parquet"},
        "c30699e8356da336a370243923dbaf21066bb9fe",
        {"question": STR, "subject": STR, "choices": LIST, "answer": INT},
    ),
    _spec(
        "mmlu-pro",
        "TIGER-Lab/MMLU-Pro",
        "default",
        {"test": "data/test-*.parquet", "validation": "data/validation-*.parquet"},
        "527feea0afed1de15a8c115abf7be4c912123315",
        {
            "question_id": INT,
            "question": STR,
            "options": LIST,
            "answer": STR,
            "answer_index": INT,
            "cot_content": STR,
            "category": STR,
            "src": STR,
        },
    ),
    _spec(
        "gsm8k",
        "openai/gsm8k",
        "main",
        {"test": "main/test-*.parquet", "train": "main/train-*.parquet"},
        "cc7b047b6e5bb11b4f1af84efc572db110a51b3c",
        {"question": STR, "answer": STR},
    ),
    _spec(
        "math-500",
        "HuggingFaceH4/MATH-500",
        "default",
        {"test": "test.jsonl"},
        "6e4ed1a2a79af7d8630a6b768ec859cb5af4d3be",
        {
            "problem": STR,
            "solution": STR,
            "answer": STR,
            "subject": STR,
            "level": INT,
            "unique_id": STR,
        },
    ),
    _spec(
        "gpqa-diamond",
        "Idavidrein/gpqa",
        "gpqa_diamond",
        {"train": "gpqa_diamond.csv"},
        "main",
        {
            "Question": STR,
            "Correct Answer": STR,
            "Incorrect Answer 1": STR,
            "Incorrect Answer 2": STR,
            "Incorrect Answer 3": STR,
        },
        gated=True,
    ),
    _spec(
        "arc-challenge",
        "allenai/ai2_arc",
        "ARC-Challenge",
        {
            "test": "ARC-Challenge/test-*.parquet",
            "train": "ARC-Challenge/train-*.parquet",
            "validation": "ARC-Challenge/validation-*.parquet",
        },
        "210d026faf9955653af8916fad021475a3f00453",
        {"id": STR, "question": STR, "choices": DICT, "answerKey": STR},
    ),
    _spec(
        "hellaswag",
        "Rowan/hellaswag",
        "default",
        {"validation": "data/validation-*.parquet", "train": "data/train-*.parquet"},
        "218ec52e09a7e7462a5400043bb9a69a41d06b76",
        {
            "ind": INT,
            "activity_label": STR,
            "ctx_a": STR,
            "ctx_b": STR,
            "ctx": STR,
            "endings": LIST,
            "source_id": STR,
            "split": STR,
            "split_type": STR,
            "label": STR,
        },
    ),
    _spec(
        "truthfulqa-mc1",
        "truthfulqa/truthful_qa",
        "multiple_choice",
        {"validation": "multiple_choice/validation-*.parquet"},
        "741b8276f2d1982aa3d5b832d3ee81ed3b896490",
        _TRUTHFULQA,
    ),
    _spec(
        "truthfulqa-mc2",
        "truthfulqa/truthful_qa",
        "multiple_choice",
        {"validation": "multiple_choice/validation-*.parquet"},
        "741b8276f2d1982aa3d5b832d3ee81ed3b896490",
        _TRUTHFULQA,
    ),
    _spec(
        "ifeval",
        "google/IFEval",
        "default",
        {"train": "ifeval_input_data.jsonl"},
        "966cd89545d6b6acfd7638bc708b98261ca58e84",
        {"key": INT, "prompt": STR, "instruction_id_list": LIST, "kwargs": LIST},
    ),
    _spec(
        "mbpp",
        "google-research-datasets/mbpp",
        "sanitized",
        {"test": "sanitized/test-*.parquet", "prompt": "sanitized/prompt-*.parquet"},
        "4bb6404fdc6cacfda99d4ac4205087b89d32030c",
        {
            "source_file": STR,
            "task_id": INT,
            "prompt": STR,
            "code": STR,
            "test_imports": LIST,
            "test_list": LIST,
        },
    ),
    _spec(
        "livecodebench",
        "livecodebench/code_generation_lite",
        "release_v6",
        # One split per release file: a release reads its files, and no others.
        {"test": "test.jsonl", **{f"test{n}": f"test{n}.jsonl" for n in range(2, 7)}},
        "main",
        {
            "question_title": STR,
            "question_content": STR,
            "platform": STR,
            "question_id": STR,
            "contest_id": STR,
            "contest_date": STR,
            "starter_code": STR,
            "difficulty": STR,
            "public_test_cases": STR,
            "private_test_cases": STR,
            "metadata": STR,
        },
    ),
]

CATALOG = MappingProxyType({spec.name: spec for spec in _SPECS})


def dataset_spec(name: str) -> DatasetSpec:
    """The catalog entry of `name`, or one line that lists the names there are."""
    try:
        return CATALOG[name]
    except KeyError:
        raise DatasetError(f"unknown dataset {name!r}; known: {', '.join(CATALOG)}") from None


def hub_url(spec: DatasetSpec, endpoint: str | None = None) -> str:
    """The dataset's page, where a gated dataset's terms are accepted."""
    return f"{(endpoint or HUB).rstrip('/')}/datasets/{spec.repo_id}"
