"""A few rows of each standard dataset, in its exact published schema, laid out as on the Hub.

Written by us (no dataset is downloaded): the column names and Arrow types are
the ones each dataset's parquet files carry (MMLU's `answer` is an int64 class
index, ARC's `choices` a struct of two string lists, HellaSwag's `ind` an
int32, TruthfulQA's targets structs with int32 labels, MBPP's `task_id` an
int32), JSONL datasets as JSON objects a line, GPQA as its CSV; LiveCodeBench
one problem in each release file (test.jsonl .. test6.jsonl), private tests
compressed as most of the dataset's are. `hub_files`
gives the repo's files (path -> bytes) at the catalog's paths, for
`support.hub_server.HubRepo`; the suites' tests can render cases from the
same rows.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import pickle
import zlib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from benchlab.datasets import CATALOG

__all__ = ["SAMPLES", "hub_files", "parquet_bytes", "rows_of", "write_folder"]

_S = pa.string()
_STRS = pa.list_(pa.string())
_TARGETS = pa.struct([("choices", _STRS), ("labels", pa.list_(pa.int32()))])

_MMLU = pa.schema([("question", _S), ("subject", _S), ("choices", _STRS), ("answer", pa.int64())])
_MMLU_PRO = pa.schema(
    [
        ("question_id", pa.int64()),
        ("question", _S),
        ("options", _STRS),
        ("answer", _S),
        ("answer_index", pa.int64()),
        ("cot_content", _S),
        ("category", _S),
        ("src", _S),
    ]
)
_GSM8K = pa.schema([("question", _S), ("answer", _S)])
_ARC = pa.schema(
    [
        ("id", _S),
        ("question", _S),
        ("choices", pa.struct([("text", _STRS), ("label", _STRS)])),
        ("answerKey", _S),
    ]
)
_HELLASWAG = pa.schema(
    [
        ("ind", pa.int32()),
        ("activity_label", _S),
        ("ctx_a", _S),
        ("ctx_b", _S),
        ("ctx", _S),
        ("endings", _STRS),
        ("source_id", _S),
        ("split", _S),
        ("split_type", _S),
        ("label", _S),
    ]
)
_TRUTHFULQA = pa.schema([("question", _S), ("mc1_targets", _TARGETS), ("mc2_targets", _TARGETS)])
_MBPP = pa.schema(
    [
        ("source_file", _S),
        ("task_id", pa.int32()),
        ("prompt", _S),
        ("code", _S),
        ("test_imports", _STRS),
        ("test_list", _STRS),
    ]
)

_TQA_ROW = {
    "question": "What happens if you crack your knuckles a lot?",
    "mc1_targets": {
        "choices": ["Nothing in particular happens.", "You will get arthritis."],
        "labels": [1, 0],
    },
    "mc2_targets": {
        "choices": [
            "Nothing in particular happens.",
            "It is harmless.",
            "You will get arthritis.",
        ],
        "labels": [1, 1, 0],
    },
}

_LCB_ROW = {
    "question_title": "add-two",
    "question_content": "Read two integers and print their sum.",
    "platform": "atcoder",
    "question_id": "abc001_a",
    "contest_id": "abc001",
    "contest_date": "2024-08-01T00:00:00",
    "starter_code": "",
    "difficulty": "easy",
    "public_test_cases": json.dumps([{"input": "1 2\n", "output": "3\n", "testtype": "stdin"}]),
    "private_test_cases": json.dumps([{"input": "5 5\n", "output": "10\n", "testtype": "stdin"}]),
    "metadata": "{}",
}


def _lcb_private(tests: list[dict[str, str]]) -> str:
    """Private tests as the dataset stores most of them: base64(zlib(pickle(JSON text)))."""
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode()


def _lcb(question_id: str, date: str, **row: Any) -> dict[str, Any]:
    return {
        "question_title": row.get("question_title", question_id),
        "question_content": row["question_content"],
        "platform": row.get("platform", "atcoder"),
        "question_id": question_id,
        "contest_id": row.get("contest_id", question_id.split("_")[0]),
        "contest_date": date,
        "starter_code": row.get("starter_code", ""),
        "difficulty": row.get("difficulty", "easy"),
        "public_test_cases": json.dumps(row["public"]),
        "private_test_cases": row.get("private", ""),
        "metadata": row.get("metadata", "{}"),
    }


def _stdin(given: str, printed: str) -> dict[str, str]:
    return {"input": given, "output": printed, "testtype": "stdin"}


def _call(given: str, returned: str) -> dict[str, str]:
    return {"input": given, "output": returned, "testtype": "functional"}


# The problems each later release file adds (test2.jsonl .. test6.jsonl), in release order:
# call-based (LeetCode, with starter code and func_name) and stdin ones, public and private
# tests, contest dates at midnight and later in the day.
_LCB_LATER = [
    _lcb(
        "3001",
        "2024-09-15T10:30:00",
        question_title="add-two-numbers",
        question_content="Return the sum of a and b.",
        platform="leetcode",
        contest_id="weekly-contest-400",
        starter_code="class Solution:\n    def addTwo(self, a: int, b: int) -> int:\n        ",
        difficulty="easy",
        public=[_call("1\n2", "3")],
        private=_lcb_private([_call("-4\n10", "6")]),
        metadata=json.dumps({"func_name": "addTwo"}),
    ),
    _lcb(
        "abc370_b",
        "2024-10-01T00:00:00",
        question_content="Read two integers and print the larger one.",
        difficulty="medium",
        public=[_stdin("3 9\n", "9\n")],
        private=_lcb_private([_stdin("-1 -5\n", "-1\n"), _stdin("7 7\n", "7\n")]),
    ),
    _lcb(
        "1990A",
        "2024-11-05T14:35:00",
        question_content="Read a word and print it reversed.",
        platform="codeforces",
        contest_id="1990",
        difficulty="hard",
        public=[_stdin("abc\n", "cba\n")],
        private=_lcb_private([_stdin("level\n", "level\n")]),
    ),
    _lcb(
        "3400",
        "2025-01-10T00:00:00",
        question_content="Return the list of numbers sorted in ascending order.",
        platform="leetcode",
        contest_id="weekly-contest-430",
        starter_code="class Solution:\n"
        "    def sortNums(self, nums: List[int]) -> List[int]:\n        ",
        difficulty="medium",
        public=[_call("[3, 1, 2]", "[1, 2, 3]")],
        metadata=json.dumps({"func_name": "sortNums"}),
    ),
    _lcb(
        "abc400_a",
        "2025-04-05T12:00:00",
        question_content="Read n and print the sum 1 + 2 + ... + n.",
        difficulty="easy",
        public=[_stdin("4\n", "10\n")],
        private=_lcb_private([_stdin("100\n", "5050\n")]),
    ),
]

_MBPP_ROWS = {
    "test": [
        {
            "source_file": "Benchmark Questions Verification V2.ipynb",
            "task_id": 11,
            "prompt": "Write a python function to remove the first and last occurrence",
            "code": "def remove_Occ(s, ch):\n    return s.replace(ch, '', 1)[::-1]"
            ".replace(ch, '', 1)[::-1]",
            "test_imports": [],
            "test_list": ['assert remove_Occ("hello","l") == "heo"'],
        },
        {
            "source_file": "Mike's Copy of Benchmark Questions Verification V2.ipynb",
            "task_id": 17,
            "prompt": "Write a function that returns the perimeter of a square given its side.",
            "code": "def square_perimeter(a):\r\n  perimeter=4*a\r\n  return perimeter",
            "test_imports": [],
            "test_list": [
                "assert square_perimeter(10)==40",
                "assert square_perimeter(5)==20",
                "assert square_perimeter(4)==16",
            ],
        },
        {  # code opening with a statement, tests needing an import
            "source_file": "Benchmark Questions Verification V2.ipynb",
            "task_id": 139,
            "prompt": "Write a function to find the circumference of a circle.",
            "code": "PI = 3.1415\r\ndef circle_circumference(r):\r\n  return 2*PI*r",
            "test_imports": ["import math"],
            "test_list": [
                "assert math.isclose(circle_circumference(10), 62.830000000000005, rel_tol=0.001)",
                "assert math.isclose(circle_circumference(5), 31.415000000000003, rel_tol=0.001)",
            ],
        },
    ],
    "prompt": [
        {
            "source_file": "Benchmark Questions Verification V2.ipynb",
            "task_id": 2,
            "prompt": "Write a python function to remove the first and last occurrence",
            "code": "def remove_Occ(s, ch):\n    return s.replace(ch, '', 1)[::-1]"
            ".replace(ch, '', 1)[::-1]",
            "test_imports": [],
            "test_list": ['assert remove_Occ("hello","l") == "heo"'],
        },
        {
            "source_file": "Benchmark Questions Verification V2.ipynb",
            "task_id": 3,
            "prompt": "Write a python function to identify non-prime numbers.",
            "code": "import math\r\ndef is_not_prime(n):\r\n    return any(n % i == 0 for i in "
            "range(2, int(math.sqrt(n)) + 1))",
            "test_imports": [],
            "test_list": ["assert is_not_prime(2) == False", "assert is_not_prime(10) == True"],
        },
        {
            "source_file": "Benchmark Questions Verification V2.ipynb",
            "task_id": 4,
            "prompt": "Write a function to find the n largest integers from a given list.",
            "code": "import heapq as hq\r\ndef heap_queue_largest(nums,n):\r\n  return "
            "hq.nlargest(n, nums)",
            "test_imports": [],
            "test_list": ["assert heap_queue_largest([25, 35, 22, 85], 2) == [85, 35]"],
        },
    ],
}

# name -> split -> (rows, Arrow schema or None for JSONL/CSV files)
SAMPLES: dict[str, dict[str, tuple[list[dict[str, Any]], pa.Schema | None]]] = {
    "mmlu": {
        "test": (
            [
                {
                    "question": "Find the degree of Q(sqrt(2)) over Q.",
                    "subject": "abstract_algebra",
                    "choices": ["0", "2", "4", "6"],
                    "answer": 1,
                },
                {
                    "question": "Which organ produces insulin?",
                    "subject": "anatomy",
                    "choices": ["Liver", "Pancreas", "Kidney", "Heart"],
                    "answer": 1,
                },
            ],
            _MMLU,
        ),
        "dev": (
            [
                {
                    "question": "Statement 1 | Every group of order 4 is cyclic.",
                    "subject": "abstract_algebra",
                    "choices": ["True, True", "False, False", "True, False", "False, True"],
                    "answer": 1,
                }
            ],
            _MMLU,
        ),
    },
    "mmlu-pro": {
        "test": (
            [
                {
                    "question_id": 70,
                    "question": "Typical advertising regulatory bodies suggest...",
                    "options": ["Safe practices", "Unsafe practices", "Fear", "Jealousy"],
                    "answer": "A",
                    "answer_index": 0,
                    "cot_content": "",
                    "category": "business",
                    "src": "ori_mmlu-business_ethics",
                }
            ],
            _MMLU_PRO,
        ),
        "validation": (
            [
                {
                    "question_id": 0,
                    "question": "The symmetric group S_n has n! elements...",
                    "options": ["0", "30", "3", "10"],
                    "answer": "A",
                    "answer_index": 0,
                    "cot_content": "A: Let's think step by step. The answer is (A).",
                    "category": "math",
                    "src": "cot_lib-abstract_algebra",
                }
            ],
            _MMLU_PRO,
        ),
    },
    "gsm8k": {
        "test": (
            [
                {
                    "question": "Janet has 3 apples and buys 2 more. How many does she have?",
                    "answer": "She has 3+2=<<3+2=5>>5 apples.\n#### 5",
                },
                {
                    "question": "A box holds 4 pens. How many pens are in 3 boxes?",
                    "answer": "3*4=<<3*4=12>>12 pens.\n#### 12",
                },
            ],
            _GSM8K,
        ),
        "train": (
            [{"question": "What is 1 plus 1?", "answer": "1+1=<<1+1=2>>2\n#### 2"}],
            _GSM8K,
        ),
    },
    "math-500": {
        "test": (
            [
                {
                    "problem": "Compute $1+1$.",
                    "solution": "We have $1+1=\\boxed{2}$.",
                    "answer": "2",
                    "subject": "Prealgebra",
                    "level": 1,
                    "unique_id": "test/prealgebra/1.json",
                },
                {
                    "problem": "If $2x = 1$, what is $x$? Express your answer as a common "
                    "fraction.",
                    "solution": "Dividing by 2, $x = \\boxed{\\frac{1}{2}}$.",
                    "answer": "\\frac{1}{2}",
                    "subject": "Algebra",
                    "level": 2,
                    "unique_id": "test/algebra/2.json",
                },
            ],
            None,
        )
    },
    "gpqa-diamond": {
        "train": (
            [
                {
                    "Record ID": "rec001",
                    "Question": "Which particle mediates the electromagnetic force?",
                    "Correct Answer": "Photon",
                    "Incorrect Answer 1": "Gluon",
                    "Incorrect Answer 2": "W boson",
                    "Incorrect Answer 3": "Graviton",
                    "High-level domain": "Physics",
                    "Subdomain": "Particle physics",
                }
            ],
            None,
        )
    },
    "arc-challenge": {
        split: (
            [
                {
                    "id": f"Mercury_{split}_1",
                    "question": "Which gas do plants take in for photosynthesis?",
                    "choices": {
                        "text": ["oxygen", "carbon dioxide", "nitrogen", "helium"],
                        "label": ["A", "B", "C", "D"],
                    },
                    "answerKey": "B",
                }
            ],
            _ARC,
        )
        for split in ("test", "train", "validation")
    },
    "hellaswag": {
        split: (
            [
                {
                    "ind": 24,
                    "activity_label": "Roof shingle removal",
                    "ctx_a": "A man is sitting on a roof.",
                    "ctx_b": "he",
                    "ctx": "A man is sitting on a roof. he",
                    "endings": [
                        "is using wrap to wrap a pair of skis.",
                        "is ripping level tiles off.",
                        "is holding a rubik's cube.",
                        "starts pulling up roofing on a roof.",
                    ],
                    "source_id": "activitynet~v_-JhWjGDPHMY",
                    "split": split,
                    "split_type": "indomain",
                    "label": "3",
                }
            ],
            _HELLASWAG,
        )
        for split in ("validation", "train")
    },
    "truthfulqa-mc1": {"validation": ([_TQA_ROW], _TRUTHFULQA)},
    "truthfulqa-mc2": {"validation": ([_TQA_ROW], _TRUTHFULQA)},
    "ifeval": {
        "train": (
            [
                {
                    "key": 1000,
                    "prompt": "Write a 300+ word summary of the wikipedia page.",
                    "instruction_id_list": [
                        "punctuation:no_comma",
                        "length_constraints:number_words",
                    ],
                    "kwargs": [{}, {"relation": "at least", "num_words": 300}],
                },
                {
                    "key": 1001,
                    "prompt": "Describe a quiet park in all lowercase letters.",
                    "instruction_id_list": ["change_case:english_lowercase"],
                    "kwargs": [{}],
                },
                {
                    "key": 1005,
                    "prompt": "Give a title in double angular brackets, then exactly 2 "
                    "markdown bullet points about parks, and end with 'Is there anything "
                    "else I can help with?'.",
                    "instruction_id_list": [
                        "detectable_format:title",
                        "detectable_format:number_bullet_lists",
                        "startend:end_checker",
                    ],
                    "kwargs": [
                        {},
                        {"num_bullets": 2},
                        {"end_phrase": "Is there anything else I can help with?"},
                    ],
                },
            ],
            None,
        )
    },
    "mbpp": {split: (rows, _MBPP) for split, rows in _MBPP_ROWS.items()},
    "livecodebench": {
        "test": ([_LCB_ROW], None),
        **{f"test{n}": ([row], None) for n, row in enumerate(_LCB_LATER, 2)},
    },
}


def rows_of(name: str, split: str) -> list[dict[str, Any]]:
    return SAMPLES[name][split][0]


def parquet_bytes(rows: list[dict[str, Any]], schema: pa.Schema) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink)
    return sink.getvalue()


def _file_bytes(path: str, rows: list[dict[str, Any]], schema: pa.Schema | None) -> bytes:
    if path.endswith(".parquet"):
        assert schema is not None, path
        return parquet_bytes(rows, schema)
    if path.endswith(".csv"):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode()
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def _published_path(pattern: str) -> str:
    """The first shard's path, as the Hub names it (`all/test-*.parquet` -> `-00000-of-00001`)."""
    if pattern.endswith("-*.parquet"):
        return pattern.replace("-*.parquet", "-00000-of-00001.parquet")
    return pattern.replace("*", "")


def hub_files(name: str) -> dict[str, bytes]:
    """The dataset's repo files (path -> bytes), plus a README as every Hub dataset has."""
    spec = CATALOG[name]
    files = {"README.md": f"# {spec.repo_id}\n".encode()}
    for split, pattern in spec.splits:
        rows, schema = SAMPLES[name][split]
        files[_published_path(pattern)] = _file_bytes(_published_path(pattern), rows, schema)
    return files


def write_folder(name: str, folder: Path) -> Path:
    """The dataset's files as a `--data` folder holding them at the Hub's paths."""
    for path, data in hub_files(name).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder
