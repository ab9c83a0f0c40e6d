"""More rows of the standard datasets than `hub_data` ships, in the same published schemas.

Enough rows for the reference harnesses' default shots (5 GSM8K train
questions, 5 MMLU dev questions per subject, ...) and for several subjects
or categories, made up by us and written where the Hub puts each split, as
parquet (with the dataset's Arrow schema) or as JSONL with the same fields.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from benchlab.datasets import CATALOG
from support.hub_data import SAMPLES, parquet_bytes

__all__ = ["ROWS", "write_dataset"]

Rows = dict[str, list[dict[str, Any]]]


def _mmlu() -> Rows:
    subjects = ["college_biology", "high_school_physics"]

    def row(subject: str, i: int, split: str) -> dict[str, Any]:
        return {
            "question": f"  {split} question {i} about {subject.replace('_', ' ')}? ",
            "subject": subject,
            "choices": [f"{subject} option {k} of {i}" for k in range(4)],
            "answer": (i + len(subject)) % 4,
        }

    return {
        "test": [row(s, i, "test") for s in subjects for i in range(3)],
        "dev": [row(s, i, "dev") for s in subjects for i in range(5)],
    }


def _mmlu_pro() -> Rows:
    categories = ["biology", "computer science"]
    letters = "ABCDEFGHIJ"

    def row(category: str, i: int, split: str, qid: int) -> dict[str, Any]:
        n = 10 if i % 2 == 0 else 4
        gold = (i * 3 + len(category)) % n
        cot = (
            f"A: Let's think step by step. We weigh each of the {n} options for {category}. "
            f"The answer is ({letters[gold]})."
            if split == "validation"
            else ""
        )
        return {
            "question_id": qid,
            "question": f"{split} question {i} in {category}?",
            "options": [f" option {k} " for k in range(n)],
            "answer": letters[gold],
            "answer_index": gold,
            "cot_content": cot,
            "category": category,
            "src": f"ori_mmlu-{category}",
        }

    test = [row(c, i, "test", 100 + 10 * j + i) for j, c in enumerate(categories) for i in range(3)]
    val = [
        row(c, i, "validation", 900 + 10 * j + i)
        for j, c in enumerate(categories)
        for i in range(5)
    ]
    return {"test": test, "validation": val}


def _gsm8k() -> Rows:
    def row(i: int, split: str) -> dict[str, Any]:
        a, b = 3 + i, 7 * i + 1
        total = a * b
        text = f"{total:,}" if total >= 1000 else str(total)
        return {
            "question": f"({split} {i}) A crate holds {a} boxes of {b} pens. How many pens?",
            "answer": f"{a} boxes of {b} pens is {a}*{b}=<<{a}*{b}={total}>>{total} pens."
            f"\n#### {text}",
        }

    return {
        "test": [row(i, "test") for i in range(6)],
        "train": [row(i, "train") for i in range(40, 50)],
    }


def _arc() -> Rows:
    def row(i: int, split: str) -> dict[str, Any]:
        numeric = i % 3 == 2  # some ARC questions label their options 1-4
        labels = ["1", "2", "3", "4"] if numeric else ["A", "B", "C", "D", "E"][: 4 + (i % 2)]
        return {
            "id": f"Mercury_{split}_{1000 + i}",
            "question": f"{split} science question {i}?",
            "choices": {"text": [f"answer {k}" for k in range(len(labels))], "label": labels},
            "answerKey": labels[i % len(labels)],
        }

    return {split: [row(i, split) for i in range(6)] for split in ("test", "train", "validation")}


def _hellaswag() -> Rows:
    def row(i: int, split: str) -> dict[str, Any]:
        wiki = i % 2 == 1
        return {
            "ind": 100 + i,
            "activity_label": "Baking cookies" if wiki else "Roof shingle removal",
            "ctx_a": f"[header] How to bake {i} cookies [title] Preheat the oven."
            if wiki
            else f"A man {i} is on a roof.",
            "ctx_b": "then" if wiki else "he",
            "ctx": "",
            "endings": [f" ending {k} [step] of {i}  here" for k in range(4)],
            "source_id": ("wikihow~" if wiki else "activitynet~") + f"v_{i}",
            "split": split,
            "split_type": "indomain",
            "label": str(i % 4),
        }

    return {
        "validation": [row(i, "validation") for i in range(5)],
        "train": [row(i, "train") for i in range(6)],
    }


def _truthfulqa() -> Rows:
    def row(i: int) -> dict[str, Any]:
        n = 3 + i % 3
        return {
            "question": f"Is claim {i} true?",
            "mc1_targets": {
                "choices": [f"mc1 answer {k}" for k in range(n)],
                "labels": [1] + [0] * (n - 1),
            },
            "mc2_targets": {
                "choices": [f"mc2 answer {k}" for k in range(n + 1)],
                "labels": [1] * (1 + i % 2) + [0] * (n - i % 2),
            },
        }

    return {"validation": [row(i) for i in range(5)]}


def _gpqa() -> Rows:
    def row(i: int) -> dict[str, Any]:
        return {
            "Record ID": f"rec{i:03d}",
            "Question": f"Graduate question {i}?",
            "Correct Answer": f"right {i}",
            "Incorrect Answer 1": f"wrong a{i}",
            "Incorrect Answer 2": f"wrong b{i}",
            "Incorrect Answer 3": f"wrong c{i}",
            "High-level domain": ["Physics", "Chemistry", "Biology"][i % 3],
            "Subdomain": "x",
        }

    return {"train": [row(i) for i in range(6)]}


ROWS: dict[str, Rows] = {
    "mmlu": _mmlu(),
    "mmlu-pro": _mmlu_pro(),
    "gsm8k": _gsm8k(),
    "arc-challenge": _arc(),
    "hellaswag": _hellaswag(),
    "truthfulqa-mc1": _truthfulqa(),
    "truthfulqa-mc2": _truthfulqa(),
    "gpqa-diamond": _gpqa(),
}


def split_path(name: str, split: str) -> str:
    pattern = CATALOG[name].pattern(split)
    if pattern.endswith("-*.parquet"):
        return pattern.replace("-*.parquet", "-00000-of-00001.parquet")
    return pattern.replace("*", "")


def write_dataset(name: str, folder: Path, *, jsonl: bool = False) -> Path:
    """`ROWS[name]` at the Hub's paths in `folder` (parquet, or JSONL with the same fields)."""
    for split, rows in ROWS[name].items():
        path = split_path(name, split)
        schema: pa.Schema | None = SAMPLES[name][split][1]
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.endswith(".csv"):
            import csv

            with target.open("w", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        elif jsonl or schema is None:
            target = target.with_suffix(".jsonl") if target.suffix == ".parquet" else target
            target.write_text("".join(json.dumps(r) + "\n" for r in rows))
        else:
            target.write_bytes(parquet_bytes(rows, schema))
    return folder
