"""Loading suites: every format, every error message, duplicates, streaming, hashing."""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchlab.domain import Case, Message, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites import LoadedSuite, builtin_suites, load_suite

CASES: list[dict[str, Any]] = [
    {
        "id": "reset-password",
        "input": "How do I reset my password?",
        "expected": ["reset link", "email"],
        "metadata": {"category": "account", "difficulty": "easy", "tags": ["auth", "web"]},
    },
    {
        "id": "refund-window",
        "input": "How many days do I have to ask for a refund?",
        "context": "Refunds: within 30 days of purchase.",
        "expected": 30,
        "scorers": [{"name": "numeric", "tolerance": 0}],
        "metadata": {"category": "billing", "source": "https://example.com/refunds"},
    },
    {
        "id": "7",
        "input": "Say hi",
        "expected": {"greeting": "hi"},
        "scorers": ["json", "exact"],
        "metadata": {"category": "billing", "owner": "ops"},
    },
]


def expected_cases() -> list[Case]:
    return [Case.model_validate(raw) for raw in CASES]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def message_of(exc: pytest.ExceptionInfo[SuiteError]) -> str:
    text = str(exc.value)
    assert "\n" not in text, "a suite error is one line"
    return text


def suite_error(ref: str | Path) -> str:
    with pytest.raises(SuiteError) as exc:
        load_suite(ref)
    return message_of(exc)


# -- round trips -------------------------------------------------------------------------------


def test_yaml_document_round_trips(tmp_path: Path) -> None:
    doc = {
        "name": "support-faq",
        "version": 1.2,
        "description": "FAQ",
        "system": "Be concise.",
        "template": "Q: {{ input }}",
        "scorers": ["contains", {"name": "fuzzy", "threshold": 0.7}],
        "cases": CASES,
    }
    path = tmp_path / "faq.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    suite = load_suite(path)
    assert suite.format == "yaml"
    assert suite.source == str(path)
    assert suite.header.name == "support-faq"
    assert suite.header.version == "1.2"
    assert suite.header.scorers == [
        ScorerSpec(name="contains"),
        ScorerSpec(name="fuzzy", options={"threshold": 0.7}),
    ]
    assert list(suite.iter_cases()) == expected_cases()
    assert suite.n_cases == 3
    assert suite.index() == [
        ("reset-password", "account"),
        ("refund-window", "billing"),
        ("7", "billing"),
    ]
    assert suite.hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_document_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "faq.json"
    path.write_text(json.dumps({"name": "faq", "cases": CASES}), encoding="utf-8")
    suite = load_suite(str(path))
    assert suite.format == "json"
    assert list(suite.iter_cases()) == expected_cases()
    assert suite.hash == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_top_level_list_is_just_cases_named_after_the_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"plain-list{suffix}"
    path.write_text(json.dumps(CASES), encoding="utf-8")  # JSON is valid YAML too
    suite = load_suite(path)
    assert suite.header.name == "plain-list"
    assert suite.header.scorers == []
    assert list(suite.iter_cases()) == expected_cases()


def test_yaml_header_name_defaults_to_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "nameless.yaml"
    path.write_text("cases:\n  - {id: a, input: hi}\n", encoding="utf-8")
    assert load_suite(path).header.name == "nameless"


def test_jsonl_round_trips_with_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    lines = [json.dumps(CASES[0]), "", "   ", json.dumps(CASES[1]), json.dumps(CASES[2]), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    suite = load_suite(path)
    assert suite.format == "jsonl"
    assert suite.header == SuiteHeader(name="data")
    assert suite.header.scorers == []
    assert list(suite.iter_cases()) == expected_cases()
    assert suite.hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_csv_round_trips_with_metadata_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "data.csv",
        [
            *("id", "input", "expected", "context", "scorers"),
            *("category", "difficulty", "tags", "source", "metadata.owner"),
        ],
        [
            [
                *("reset-password", "How do I reset my password?", '["reset link", "email"]'),
                *("", "", "account", "easy", "auth; web", "", ""),
            ],
            [
                *("refund-window", "How many days do I have to ask for a refund?", "30"),
                *("Refunds: within 30 days of purchase.", '[{"name": "numeric", "tolerance": 0}]'),
                *("billing", "", "", "https://example.com/refunds", ""),
            ],
            ["7", "Say hi", '{"greeting": "hi"}', "", "json, exact", "billing", "", "", "", "ops"],
        ],
    )
    suite = load_suite(path)
    assert suite.format == "csv"
    assert suite.header == SuiteHeader(name="data")
    assert list(suite.iter_cases()) == expected_cases()
    assert suite.hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_csv_cells_that_only_look_like_json_stay_text(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        ["id", "input", "expected"],
        [
            ["a", "q", "[citation needed]"],
            ["b", "q", "007"],
            ["c", "q", "-2.5e3"],
            ["d", "q", "yes"],
            ["e", "q", "line one\nline two"],
        ],
    )
    expected = [c.expected for c in load_suite(path).iter_cases()]
    assert expected == ["[citation needed]", "007", -2500.0, "yes", "line one\nline two"]


def test_csv_multiline_cells_keep_line_numbers_right(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "m.csv",
        ["id", "input"],
        [["a", "first\nsecond\nthird"], ["b", "x"], ["a", "again"]],
    )
    assert suite_error(path) == f"{path}:6: duplicate case id 'a' (first on line 2)"


def test_csv_input_may_be_a_chat(tmp_path: Path) -> None:
    chat = [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "hi"}]
    path = write_csv(
        tmp_path / "c.csv", ["id", "input"], [["a", json.dumps(chat)], ["b", "[1, 2]"]]
    )
    first, second = load_suite(path).iter_cases()
    assert first.input == [
        Message(role="system", content="Be terse."),
        Message(role="user", content="hi"),
    ]
    assert second.input == "[1, 2]"


def test_integer_ids_become_text(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "ints.jsonl", [{"id": 1, "input": "a"}, {"id": 2, "input": "b"}])
    suite = load_suite(path)
    assert [case_id for case_id, _ in suite.index()] == ["1", "2"]


def test_yaml_keeps_dates_and_yes_no_as_written(tmp_path: Path) -> None:
    path = tmp_path / "quirks.yaml"
    path.write_text(
        "cases:\n"
        "  - {id: 2024-01-01, input: When?, expected: 2024-03-31}\n"
        "  - {id: norway, input: Is it?, expected: no}\n"
        "  - {id: flag, input: Really?, expected: true}\n",
        encoding="utf-8",
    )
    assert [(c.id, c.expected) for c in load_suite(path).iter_cases()] == [
        ("2024-01-01", "2024-03-31"),
        ("norway", "no"),
        ("flag", True),
    ]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,input\nq1,héllo\n".encode())
    assert [c.input for c in load_suite(path).iter_cases()] == ["héllo"]


# -- built-ins ---------------------------------------------------------------------------------


def test_builtin_suites_lists_packaged_files() -> None:
    suites = builtin_suites()
    assert "quickstart" in suites
    assert all(path.is_file() and path.suffix == ".yaml" for path in suites.values())


@pytest.mark.parametrize("ref", ["quickstart", "builtin:quickstart"])
def test_builtin_by_name(ref: str) -> None:
    suite = load_suite(ref)
    assert suite.source == "builtin:quickstart"
    assert suite.hash == hashlib.sha256(builtin_suites()["quickstart"].read_bytes()).hexdigest()


def test_unknown_builtin_lists_the_known_ones() -> None:
    text = suite_error("quickstrat")
    assert text.startswith("unknown built-in suite 'quickstrat' (known: ")
    assert "quickstart" in text


# -- from_cases --------------------------------------------------------------------------------


def test_from_cases_builds_an_in_code_suite() -> None:
    header = SuiteHeader(name="inline", scorers=[ScorerSpec(name="exact")])
    suite = LoadedSuite.from_cases(header, [*expected_cases()[:2], CASES[2]])
    assert suite.format == "python"
    assert suite.source == "python:inline"
    assert list(suite.iter_cases()) == expected_cases()
    assert list(suite.iter_cases()) == expected_cases(), "iterable more than once"
    assert suite.index()[2] == ("7", "billing")
    again = LoadedSuite.from_cases(header, (c for c in expected_cases()))
    assert again.hash == suite.hash
    changed = LoadedSuite.from_cases(header.model_copy(update={"version": "2"}), expected_cases())
    assert changed.hash != suite.hash
    assert (
        LoadedSuite.from_cases(header, expected_cases(), source="builtin:x").source == "builtin:x"
    )


def test_from_cases_rejects_duplicates_and_empty_and_bad_mappings() -> None:
    header = SuiteHeader(name="inline")
    with pytest.raises(SuiteError) as exc:
        LoadedSuite.from_cases(header, [Case(id="a", input="x"), Case(id="a", input="y")])
    assert message_of(exc) == "python:inline: case #2: duplicate case id 'a' (first is case #1)"
    with pytest.raises(SuiteError) as exc:
        LoadedSuite.from_cases(header, [])
    assert message_of(exc) == "python:inline: empty suite (no cases)"
    with pytest.raises(SuiteError) as exc:
        LoadedSuite.from_cases(header, [{"id": "a", "inptu": "x"}])
    assert "python:inline: case 'a' (#1): " in message_of(exc)
    assert "unknown field 'inptu' (did you mean 'input'?)" in str(exc.value)


# -- errors ------------------------------------------------------------------------------------


def test_yaml_case_error_names_file_case_number_id_and_field(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(
        "name: faq\ncases:\n"
        "  - {id: reset-password, input: How?}\n"
        "  - {id: refund-window, input: How many days?, context: [not, text]}\n",
        encoding="utf-8",
    )
    assert suite_error(path) == (
        f"{path}: case 'refund-window' (#2): context: Input should be a valid string"
    )


def test_yaml_case_without_id_is_an_error_naming_its_number(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("cases:\n  - {id: a, input: x}\n  - {input: y}\n", encoding="utf-8")
    assert suite_error(path) == f"{path}: case #2: id: field required"


def test_yaml_case_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("cases:\n  - just text\n", encoding="utf-8")
    assert suite_error(path) == f"{path}: case #1: a case must be a mapping, got text"


def test_yaml_unknown_case_field_suggests_the_right_one(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("cases:\n  - {id: q1, inptu: x}\n", encoding="utf-8")
    text = suite_error(path)
    assert text.startswith(f"{path}: case 'q1' (#1): ")
    assert "unknown field 'inptu' (did you mean 'input'?)" in text
    assert "input: field required" in text


def test_yaml_bad_scorer_names_the_field_path(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("cases:\n  - {id: q1, input: x, scorers: [{tolerance: 0}]}\n", encoding="utf-8")
    assert suite_error(path) == (
        f"{path}: case 'q1' (#1): scorers.0.name: Input should be a valid string"
    )


def test_bad_input_type_is_one_readable_message(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "q", "input": 42}])
    assert suite_error(path) == (
        f"{path}:1: case 'q': input: must be text or a list of {{role, content}} messages"
    )
    path = write_jsonl(
        tmp_path / "e.jsonl", [{"id": "q", "input": [{"role": "robot", "content": "x"}]}]
    )
    text = suite_error(path)
    assert text.startswith(f"{path}:1: case 'q': input.0.role: Input should be ")
    assert "str" not in text.split(":", 3)[3].split("Input")[0]


def test_yaml_unknown_top_level_field(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("name: faq\nscorer: [exact]\ncases:\n  - {id: a, input: x}\n", encoding="utf-8")
    assert (
        suite_error(path) == f"{path}: unknown top-level field 'scorer' (did you mean 'scorers'?)"
    )


def test_yaml_bad_header_field(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("name: faq\nscorers: ['']\ncases:\n  - {id: a, input: x}\n", encoding="utf-8")
    assert suite_error(path) == (
        f"{path}: scorers.0.name: Value error, scorer name must not be empty"
    )


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\ncases:\n  - id: a\n    input: [unclosed\n", encoding="utf-8")
    text = suite_error(path)
    assert text.startswith(f"{path}:")
    assert "invalid YAML" in text


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x",\n "cases": [\n  {"id": "a",}\n]}', encoding="utf-8")
    assert suite_error(path).startswith(f"{path}:3: invalid JSON: ")


def test_jsonl_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    lines = [json.dumps({"id": f"q{i}", "input": "x"}) for i in range(15)]
    lines.insert(3, "")  # blank lines still count
    lines.insert(16, '{"id": "x", "input": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = suite_error(path)
    assert text.startswith(f"{path}:17: invalid JSON: ")


def test_jsonl_unknown_field_names_line_case_and_field(tmp_path: Path) -> None:
    rows: list[Any] = [{"id": f"q{i}", "input": "x"} for i in range(16)]
    rows.append({"id": "x", "inptu": "hello", "input": "hello"})
    path = write_jsonl(tmp_path / "data.jsonl", rows)
    assert (
        suite_error(path) == f"{path}:17: case 'x': unknown field 'inptu' (did you mean 'input'?)"
    )


def test_jsonl_line_must_be_an_object(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "data.jsonl", [{"id": "a", "input": "x"}, ["not", "a", "case"]])
    assert suite_error(path) == f"{path}:2: a case must be a mapping, got a list"


def test_jsonl_case_without_id(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "data.jsonl", [{"input": "x"}])
    assert suite_error(path) == f"{path}:1: id: field required"


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b'{"id": "a", "input": "x"}\n{"id": "b", "input": "\xff"}\n')
    assert suite_error(path).startswith(f"{path}:2: not UTF-8 text")


def test_csv_unknown_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", ["id", "inptu"], [["a", "x"]])
    assert suite_error(path) == f"{path}:1: unknown column 'inptu' (did you mean 'input'?)"
    path = write_csv(tmp_path / "data2.csv", ["id", "input", "owner"], [["a", "x", "me"]])
    assert suite_error(path) == (
        f"{path}:1: unknown column 'owner' (name metadata columns 'metadata.NAME')"
    )


def test_csv_missing_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", ["id", "expected"], [["a", "x"]])
    assert suite_error(path) == f"{path}:1: missing column 'input'"


def test_csv_row_with_too_many_cells(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", ["id", "input"], [["a", "x"], ["b", "y", "z"]])
    assert suite_error(path) == f"{path}:3: the row has 3 cells but the header has 2"


def test_csv_bad_field_names_row_case_and_field(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "data.csv", ["id", "input", "scorers"], [["a", "x", ""], ["b", "y", "[{}]"]]
    )
    assert (
        suite_error(path) == f"{path}:3: case 'b': scorers.0.name: Input should be a valid string"
    )
    path = write_csv(tmp_path / "data2.csv", ["id", "input"], [["a", "x"], ["b", ""]])
    assert suite_error(path) == f"{path}:3: case 'b': input: field required"


def test_csv_bad_scorers_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", ["scorers", "id", "input"], [["[exact", "a", "x"]])
    assert suite_error(path).startswith(f"{path}:2: case 'a': scorers: invalid JSON: ")


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl", "csv"])
def test_duplicates_are_found_in_every_format(tmp_path: Path, fmt: str) -> None:
    rows = [{"id": "q1", "input": "a"}, {"id": "q2", "input": "b"}, {"id": "q1", "input": "c"}]
    path = tmp_path / f"dup.{fmt}"
    if fmt == "jsonl":
        write_jsonl(path, rows)
    elif fmt == "csv":
        write_csv(path, ["id", "input"], [[r["id"], r["input"]] for r in rows])
    else:
        path.write_text(json.dumps({"cases": rows}), encoding="utf-8")
    expected = {
        "yaml": f"{path}: case #3: duplicate case id 'q1' (first is case #1)",
        "json": f"{path}: case #3: duplicate case id 'q1' (first is case #1)",
        "jsonl": f"{path}:3: duplicate case id 'q1' (first on line 1)",
        "csv": f"{path}:4: duplicate case id 'q1' (first on line 2)",
    }
    assert suite_error(path) == expected[fmt]


def test_integer_and_text_ids_collide(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": 3, "input": "a"}, {"id": "3", "input": "b"}])
    assert suite_error(path) == f"{path}:2: duplicate case id '3' (first on line 1)"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert suite_error(path) == f"{path}: suite file not found"


def test_directory_is_not_a_suite(tmp_path: Path) -> None:
    assert suite_error(tmp_path) == f"{tmp_path}: not a file"


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "cases.txt"
    path.write_text("hello\n", encoding="utf-8")
    text = suite_error(path)
    assert text.startswith(f"{path}: unsupported suite format '.txt' (use ")
    assert ".jsonl" in text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.yaml", ""),
        ("empty2.yaml", "name: x\n"),
        ("empty3.yaml", "name: x\ncases: []\n"),
        ("empty.json", "[]"),
        ("empty.jsonl", "\n\n"),
        ("empty.csv", ""),
        ("header-only.csv", "id,input\n"),
    ],
)
def test_empty_suite(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert suite_error(path) == f"{path}: empty suite (no cases)"


def test_cases_must_be_a_list(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("cases: {id: a}\n", encoding="utf-8")
    assert suite_error(path) == f"{path}: cases: must be a list, got a mapping"


def test_a_file_edited_after_loading_is_reported(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "a", "input": "x"}])
    suite = load_suite(path)
    write_jsonl(path, [{"id": "a", "input": "x"}, {"id": "a", "input": "y"}])
    os.utime(path, ns=(1, 1))
    with pytest.raises(SuiteError) as exc:
        suite.iter_cases()
    assert message_of(exc) == f"{path}: the file changed after it was loaded; load it again"


# -- streaming ---------------------------------------------------------------------------------

N_BIG = 20_000


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    filler = "Please answer the following question carefully and briefly. " * 4
    with path.open("w", encoding="utf-8") as fh:
        for i in range(N_BIG):
            row = {
                "id": f"case-{i:05d}",
                "input": f"{filler} What is {i} + {i}?",
                "expected": 2 * i,
                "metadata": {"category": f"cat-{i % 7}", "difficulty": "easy", "tags": ["a", "b"]},
            }
            fh.write(json.dumps(row) + "\n")
    return path


def test_large_jsonl_streams_with_flat_memory(big_jsonl: Path) -> None:
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        suite = load_suite(big_jsonl)
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        count = 0
        for case in suite.iter_cases():
            count += 1
            assert case.expected == 2 * int(case.id.removeprefix("case-"))
        streaming_peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    assert count == suite.n_cases == N_BIG
    # The index (20,000 short ids) is all that stays; the cases themselves are ~10x bigger.
    assert retained < 5_000_000, retained
    # Streaming holds about one case at a time, not the file.
    assert streaming_peak < 1_000_000, streaming_peak
    assert suite.index()[-1] == (f"case-{N_BIG - 1:05d}", f"cat-{(N_BIG - 1) % 7}")


def test_loaded_suite_holds_no_cases(big_jsonl: Path) -> None:
    suite = load_suite(big_jsonl)
    seen: set[int] = set()
    frontier: list[Any] = [suite]
    for _ in range(4):  # the suite, its attributes, their contents, one level more
        nxt: list[Any] = []
        for obj in frontier:
            if id(obj) in seen or isinstance(obj, type):
                continue
            seen.add(id(obj))
            assert not isinstance(obj, Case)
            if isinstance(obj, list) and obj and obj is not suite._index:
                assert not isinstance(obj[0], Case)
            nxt.extend(gc.get_referents(obj))
        frontier = nxt


def test_each_iteration_reads_the_source_again(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "a", "input": "x"}, {"id": "b", "input": "y"}])
    suite = load_suite(path)
    first = list(suite.iter_cases())
    second = list(suite.iter_cases())
    assert first == second
    assert first[0] is not second[0]
    # A half-consumed stream closes its file when dropped (filterwarnings=error catches leaks).
    stream = suite.iter_cases()
    next(stream)
    del stream
    gc.collect()
