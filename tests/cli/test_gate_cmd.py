"""`benchlab gate` as CI runs it: real runs in a real SQLite file, the CLI as a process.

Errored attempts (a server answering 500, a missing recorded answer) must never
be judged as a model's regression; `latest` must not pick another model's run;
the markdown and the JUnit file must say the same thing about the same gate.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from support.runs import assert_user_error, cli, make_run, priced_models, replay, suite
from support.servers import Behaviour, Ok, Status, StubServer


def _junit_cases(path: Path) -> dict[str, dict[str, str]]:
    """{element: {case name: type}} of the per-case test cases (gate checks apart)."""
    out: dict[str, dict[str, str]] = {"failure": {}, "error": {}, "skipped": {}}
    for tc in ET.parse(path).getroot().iter("testcase"):
        if (tc.get("classname") or "").endswith(".gate"):
            continue
        for element, found in out.items():
            child = tc.find(element)
            if child is not None:
                found[tc.get("name") or ""] = child.get("type") or ""
    return out


def _junit_checks(path: Path) -> dict[str, str]:
    """{check name: 'pass' | 'failure' | 'error'} of the gate's own test cases."""
    out = {}
    for tc in ET.parse(path).getroot().iter("testcase"):
        if (tc.get("classname") or "").endswith(".gate"):
            bad = [e for e in ("failure", "error") if tc.find(e) is not None]
            out[tc.get("name") or ""] = bad[0] if bad else "pass"
    return out


def test_server_errors_fail_the_gate_as_errors_not_as_a_regression(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/ci.db"
    s = suite(tmp_path, 30)
    md, junit = tmp_path / "gate.md", tmp_path / "junit.xml"
    with StubServer() as server:
        env = {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "test"}
        run = ["run", str(s), "-m", "openai/m1", "--scorer", "numeric", "--retries", "0"]
        run += ["--db", db, "--json", "-q", "--no-cache"]
        base = cli(*run, "--tag", "branch=main", env=env)
        assert base.returncode == 0, base.stderr
        third_fails: list[Behaviour] = [Ok(), Ok(), Status(500)]
        server.script(*third_fails * 10)  # a third of the requests fail
        cand = cli(*run, env=env)
        assert cand.returncode in (0, 3), cand.stderr  # 3: finished with errored attempts
        assert server.pending() == 0
    candidate = json.loads(cand.stdout)["run_id"]
    gate = ["gate", "--baseline", "latest:branch=main", "--candidate", candidate, "--db", db]
    failed = cli(*gate, "--markdown", str(md), "--junit", str(junit), "--json")
    assert failed.returncode == 1, failed.stderr
    data = json.loads(failed.stdout)
    checks = {c["name"]: c for c in data["checks"]}
    assert not checks["errors"]["passed"]
    assert re.search(
        r"^10 errored attempts in candidate \(\w+: 10\); 10 cases left out",
        checks["errors"]["detail"],
    )
    assert checks["regression"]["passed"] and "+0.0 pp" in checks["regression"]["detail"]
    (m,) = data["comparison"]["models"]
    assert m["verdict"] == "no_change" and m["n_paired"] == 20 and m["delta"] == 0.0
    assert m["errors"] == {"a": 0, "b": 10} and m["flips"]["pass_to_fail"] == []
    text = md.read_text()
    assert text.startswith("## benchlab gate: ❌ failed (errors)")
    assert "Errored attempts" in text and "- ❌ `openai/m1` errors: 10 errored attempts" in text
    assert "🔴" not in text and "HTTP 500" in text  # the first message of the kind
    cases = _junit_cases(junit)
    assert cases["failure"] == {} and len(cases["error"]) == 10
    assert set(cases["error"].values()) == {"attempt-error"}
    assert _junit_checks(junit) == {"errors": "error", "regression": "pass"}
    allowed = cli(*gate, "--allow-errors")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "ok   openai/m1 errors: 10 errored attempts" in allowed.stdout
    assert "accepted by --allow-errors" in allowed.stdout


def _profile(tmp_path: Path, file: str, name: str, failing: list[int], n: int = 20) -> Path:
    spec = replay(tmp_path / f"{file}.jsonl", n, failing=failing)
    return priced_models(tmp_path / f"{file}.json", {name: (spec, 1.0)})


def test_latest_is_a_run_of_the_candidates_model(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/ci.db"
    s = suite(tmp_path, 20)
    mini, big = _profile(tmp_path, "mini", "mini", [0]), _profile(tmp_path, "big", "big", [])
    main = {"branch": "main"}
    mini_main = make_run(db, s, "mini", models_file=mini, tags=main).run_id
    big_main = make_run(db, s, "big", models_file=big, tags=main).run_id  # newer, another model
    cand = make_run(db, s, "mini", models_file=mini, tags={"branch": "pr"}).run_id
    found = cli("gate", "--baseline", "latest:branch=main", "--candidate", cand, "--db", db)
    assert found.returncode == 0, found.stdout + found.stderr
    assert f"against baseline {mini_main}" in found.stdout
    other = _profile(tmp_path, "other", "other", [])
    lonely = make_run(db, s, "other", models_file=other, tags={"branch": "pr"}).run_id
    missing = cli("gate", "--baseline", "latest:branch=main", "--candidate", lonely, "--db", db)
    assert_user_error(
        missing,
        "no completed run of model other on suite s tagged branch=main",
        f"the newest was {big_main} (models: big)",
    )


def _drop(spec: str, missing: set[str]) -> str:
    """A replay model with the answers of `missing` cases removed: those attempts error."""
    path = Path(spec.removeprefix("replay/"))
    rows = [
        line for line in path.read_text().splitlines() if json.loads(line)["case_id"] not in missing
    ]
    path.write_text("\n".join(rows) + "\n")
    return spec


def test_markdown_and_junit_agree_on_the_same_gate(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/ci.db"
    s = suite(tmp_path, 30)
    base_spec = replay(tmp_path / "base.jsonl", 30, failing=[0, 1, 2])
    cand_spec = _drop(replay(tmp_path / "cand.jsonl", 30, failing=[0, 1, 5, 6]), {"c9", "c10"})
    base = priced_models(tmp_path / "base.json", {"m": (base_spec, 1.0)})
    cand = priced_models(tmp_path / "cand.json", {"m": (cand_spec, 1.0)})
    a = make_run(db, s, "m", models_file=base, tags={"branch": "main"}).run_id
    b = make_run(db, s, "m", models_file=cand).run_id
    md, junit = tmp_path / "gate.md", tmp_path / "junit.xml"
    files = ["--markdown", str(md), "--junit", str(junit)]
    strict = cli("gate", "--baseline", a, "--candidate", b, "--db", db, *files)
    text = md.read_text()
    cases = _junit_cases(junit)
    flipped = re.search(r"^pass → fail: (.*)$", text, re.M)
    assert flipped is not None
    assert set(cases["failure"]) == set(re.findall(r"`([^`]+)`", flipped.group(1))) == {"c5", "c6"}
    errored = re.search(r"^errored: (.*)$", text, re.M)
    assert errored is not None
    assert set(cases["error"]) == set(re.findall(r"`([^`]+)`", errored.group(1))) == {"c9", "c10"}
    counts = re.search(
        r"^- `m`: (\d+) pass · (\d+) pass → fail · (\d+) failing in both runs · "
        r"(\d+) errored \(left out\) · (\d+) not compared$",
        text,
        re.M,
    )
    assert counts is not None
    passing, worse, known, err, left = map(int, counts.groups())
    assert (passing, worse, known, err, left) == (24, 2, 2, 2, 0)
    root = ET.parse(junit).getroot()
    assert int(root.get("errors") or 0) == err + 1  # and the failed errors check
    assert int(root.get("failures") or 0) == worse and int(root.get("skipped") or 0) == known
    assert set(cases["skipped"].values()) == {"known-failure"}  # c0, c1: failing in both runs
    assert _checks_agree(text, junit) == {"errors": "fail", "regression": "pass"}
    assert strict.returncode == 1, strict.stdout + strict.stderr
    allowed = cli("gate", "--baseline", a, "--candidate", b, "--db", db, "--allow-errors", *files)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr  # 2 flips: not significant
    assert set(_junit_cases(junit)["failure"]) == {"c5", "c6"}
    assert _checks_agree(md.read_text(), junit) == {"errors": "pass", "regression": "pass"}
    assert int(ET.parse(junit).getroot().get("tests") or 0) == 30 + 2  # cases and checks


def _checks_agree(markdown: str, junit: Path) -> dict[str, str]:
    """The gate checks as the markdown marks them, asserted equal to the JUnit's verdicts."""
    marked = {
        name.replace(" ", "_"): "pass" if mark == "✅" else "fail"
        for mark, name in re.findall(r"^- (✅|❌) `m` ([\w ]+):", markdown, re.M)
    }
    in_junit = {k: "pass" if v == "pass" else "fail" for k, v in _junit_checks(junit).items()}
    assert marked == in_junit
    return marked
