"""LiveCodeBench from `livecodebench/code_generation_lite`'s release files, by release and date.

The dataset's files are written as it publishes them (test.jsonl .. test6.jsonl,
one problem each here, private tests compressed as most are); runs go through
the CLI with a real SQLite file. LiveCodeBench has no reference solutions, so
the suite is checked with known-correct programs fed through `replay`, and the
oracle's attempts are shown to be errors, never passes or fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab.scorers.lcb_grading import lcb_prelude
from benchlab.store import Store
from benchlab.suites import load_suite
from benchlab.suites.standard.livecodebench import SYSTEM, release_splits
from support.hub_data import write_folder
from support.runs import assert_user_error, cli

# Release file -> the problem it adds (see support.hub_data) and a program that solves it.
PROBLEMS = {
    "test.jsonl": "abc001_a",
    "test2.jsonl": "3001",
    "test3.jsonl": "abc370_b",
    "test4.jsonl": "1990A",
    "test5.jsonl": "3400",
    "test6.jsonl": "abc400_a",
}
SOLUTIONS = {
    "abc001_a": "a, b = map(int, input().split())\nprint(a + b)",
    "3001": "class Solution:\n    def addTwo(self, a: int, b: int) -> int:\n        return a + b",
    "abc370_b": "print(max(map(int, input().split())))",
    "1990A": "print(input().strip()[::-1])",
    "3400": "class Solution:\n    def sortNums(self, nums: List[int]) -> List[int]:\n"
    "        return sorted(nums)",
    "abc400_a": "n = int(input())\nprint(n * (n + 1) // 2)",
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_folder("livecodebench", tmp_path / "lcb")


def _ids(ref: str) -> list[str]:
    return [case.id for case in load_suite(ref).iter_cases()]


def test_release_tags_read_the_files_the_datasets_script_reads() -> None:
    assert release_splits("release_v1") == ["test"]
    assert release_splits("release_v3") == ["test", "test2", "test3"]
    assert release_splits("release_v6") == release_splits("release_latest")
    assert release_splits("release_v6") == ["test", "test2", "test3", "test4", "test5", "test6"]
    assert release_splits("v1") == ["test"]
    assert release_splits("v6") == ["test6"]  # only the problems v6 added
    assert release_splits("v4_v6") == ["test4", "test5", "test6"]
    for unknown in ("v7", "release_v0", "v3_v2", "v2_v2", "latest", "6"):
        assert release_splits(unknown) is None, unknown


def test_the_default_release_v6_holds_every_file_with_platform_and_difficulty(data: Path) -> None:
    suite = load_suite(f"livecodebench?data={data}")
    cases = list(suite.iter_cases())
    assert [c.id for c in cases] == list(PROBLEMS.values())
    assert [c.category for c in cases] == [
        "atcoder", "leetcode", "atcoder", "codeforces", "leetcode", "atcoder",
    ]  # fmt: skip
    assert [c.metadata["difficulty"] for c in cases] == [
        "easy", "easy", "medium", "hard", "medium", "easy",
    ]  # fmt: skip
    call = cases[1]
    assert call.expected == {
        "tests": [{"input": "1\n2", "output": "3"}, {"input": "-4\n10", "output": "6"}],
        "prelude": lcb_prelude(stdin=False),
        "fn": "addTwo",
    }
    assert cases[2].expected["tests"][1:] == [  # the compressed private tests, decoded
        {"input": "-1 -5\n", "output": "-1\n"},
        {"input": "7 7\n", "output": "7\n"},
    ]
    header = suite.header
    assert [s.name for s in header.scorers] == ["stdio_tests"]
    assert header.metadata["release"] == "release_v6"
    assert header.metadata["files"] == list(PROBLEMS)
    assert sorted(header.metadata["dataset"]["files"]) == sorted(PROBLEMS)


def test_the_prompt_is_lcb_runners_generic_chat_prompt(data: Path) -> None:
    stdin, call = list(load_suite(f"livecodebench?data={data}&release=v1_v2").iter_cases())
    for case in (stdin, call):
        assert isinstance(case.input, list)
        assert [m.role for m in case.input] == ["system", "user"]
        assert case.input[0].content == SYSTEM
    assert isinstance(stdin.input, list) and isinstance(call.input, list)
    assert stdin.input[1].content == (
        "### Question:\nRead two integers and print their sum.\n\n"
        "### Format: Read the inputs from stdin solve the problem and write the answer to "
        "stdout (do not directly test on the sample inputs). Enclose your code within "
        "delimiters as follows. Ensure that when the python program runs, it reads the "
        "inputs, runs the algorithm and writes output to STDOUT.\n"
        "```python\n# YOUR CODE HERE\n```\n\n"
        "### Answer: (use the provided format with backticks)\n\n"
    )
    assert call.input[1].content == (
        "### Question:\nReturn the sum of a and b.\n\n"
        "### Format: You will use the following starter code to write the solution to the "
        "problem and enclose your code within delimiters.\n"
        "```python\nclass Solution:\n    def addTwo(self, a: int, b: int) -> int:\n        \n```"
        "\n\n### Answer: (use the provided format with backticks)\n\n"
    )


def test_a_release_reads_only_its_files(data: Path) -> None:
    assert _ids(f"livecodebench?data={data}&release=release_v2") == ["abc001_a", "3001"]
    assert _ids(f"livecodebench?data={data}&release=v6") == ["abc400_a"]
    assert _ids(f"livecodebench?data={data}&release=v4_v6") == ["1990A", "3400", "abc400_a"]
    suite = load_suite(f"livecodebench?data={data}&release=v2_v3")
    assert suite.header.metadata["release"] == "v2_v3"
    # The provenance hashes the files read, not the release's neighbours.
    assert sorted(suite.header.metadata["dataset"]["files"]) == ["test2.jsonl", "test3.jsonl"]


def test_a_release_whose_files_are_missing_names_the_file(data: Path) -> None:
    (data / "test6.jsonl").unlink()
    assert _ids(f"livecodebench?data={data}&release=release_v5")[-1] == "3400"
    result = cli("build", "livecodebench", "--data", str(data), "-o", str(data / "out.jsonl"))
    assert_user_error(result, "no file of the test6 split of livecodebench", "test6.jsonl")


def test_since_and_until_keep_contest_days_inclusively(data: Path) -> None:
    ref = f"livecodebench?data={data}"
    # 2024-09-15T10:30 and 2025-01-10T00:00 are on the bounds' days: both kept.
    assert _ids(f"{ref}&since=2024-09-15&until=2025-01-10") == ["3001", "abc370_b", "1990A", "3400"]
    assert _ids(f"{ref}&since=2025-01-11") == ["abc400_a"]
    assert _ids(f"{ref}&until=2024-08-01") == ["abc001_a"]
    assert _ids(f"{ref}&release=v1_v3&since=2024-09-16") == ["abc370_b"]


def test_a_window_with_no_problem_is_one_line(data: Path) -> None:
    result = cli(
        "build", "livecodebench", "--data", str(data), "--since", "2025-05-01",
        "-o", str(data / "out.jsonl"),
    )  # fmt: skip
    assert_user_error(
        result,
        "no problem of release_v6 has a contest date on or after 2025-05-01",
        "2024-08-01 to 2025-04-05",
    )


def test_bad_options_are_one_line_naming_the_flag(data: Path) -> None:
    out = str(data / "out.jsonl")
    assert_user_error(
        cli("build", "livecodebench", "--data", str(data), "--release", "v7", "-o", out),
        "--release v7: no such release",
        "release_v1 .. release_v6",
        "v4_v6",
    )
    assert_user_error(
        cli("build", "livecodebench", "--data", str(data), "--since", "May 1", "-o", out),
        "--since May 1: not a date",
    )
    assert_user_error(
        cli("build", "livecodebench", "--data", str(data), "--cot", "-o", out),
        "--cot does not apply to livecodebench",
    )
    one_file = data / "test3.jsonl"
    assert_user_error(
        cli("build", "livecodebench", "--data", str(one_file), "--release", "v3", "-o", out),
        "--release v3 needs --data to be a folder",
    )


def test_a_single_file_is_read_whole(data: Path) -> None:
    suite = load_suite(f"livecodebench?data={data / 'test5.jsonl'}")
    assert [c.id for c in suite.iter_cases()] == ["3400"]
    assert suite.header.metadata["release"] == "file"
    assert suite.header.metadata["files"] == ["test5.jsonl"]


def test_known_correct_programs_pass_every_problem(data: Path, tmp_path: Path) -> None:
    replies = tmp_path / "replies.jsonl"
    replies.write_text(
        "".join(
            json.dumps({"case_id": case_id, "output": f"Here:\n```python\n{code}\n```"}) + "\n"
            for case_id, code in SOLUTIONS.items()
        )
    )
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli(
        "run", "livecodebench", "--data", str(data), "-m", f"replay/{replies}",
        "--db", db, "--json", "-q",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(done.stdout)["models"]
    assert entry["attempts"] == 6 and entry["pass_rate"] == 1.0
    with Store(db) as store:
        (run,) = store.list_runs()
        verdicts = {a.case_id: a.scores[0].passed for a in store.iter_attempts(run.id)}
    assert verdicts == dict.fromkeys(SOLUTIONS, True)


def test_the_oracle_has_no_solution_to_give_so_its_attempts_are_errors(
    data: Path, tmp_path: Path
) -> None:
    """No reference solutions, and the tests' JSON is no answer: the oracle's attempts are
    errors (nothing to say), never a model's fails, and the run warns before it starts."""
    assert (
        "no reference solutions"
        in load_suite(f"livecodebench?data={data}").header.metadata["references"]
    )
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli(
        "run", "livecodebench", "--data", str(data), "--release", "v1_v2", "-m", "oracle",
        "--db", db, "-q",
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "2 case(s) have no expected answer" in done.stderr
    with Store(db) as store:
        (run,) = store.list_runs()
        attempts = list(store.iter_attempts(run.id))
    assert sorted(a.case_id for a in attempts) == ["3001", "abc001_a"]
    assert {a.status for a in attempts} == {"error"}
    assert not any(a.scores for a in attempts)
