"""The gate's decision on real runs, its baseline lookup, and the markdown and JUnit it leaves."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from benchlab import api
from benchlab.analysis.render.gate_output import gate_junit, gate_markdown
from benchlab.errors import ConfigError, NotFound
from support.runs import make_run, priced_models, replay, suite


def profile(tmp_path: Path, name: str, n: int, failing: list[int]) -> Path:
    """A models file whose model `m` answers from a replay file failing `failing`."""
    spec = replay(tmp_path / f"{name}.jsonl", n, failing=failing)
    return priced_models(tmp_path / f"{name}.json", {"m": (spec, 1.0)})


@pytest.fixture
def runs(tmp_path: Path, db_url: str) -> dict[str, str]:
    s = suite(tmp_path, 40)
    # one model `m` throughout: the candidate's answers got worse, the model name did not change
    good = profile(tmp_path, "good", 40, [0, 1])
    bad = profile(tmp_path, "bad", 40, [0, 1, *range(2, 40, 4)])
    return {
        "old_main": make_run(db_url, s, "m", models_file=good, tags={"branch": "main"}).run_id,
        "main": make_run(db_url, s, "m", models_file=good, tags={"branch": "main"}).run_id,
        "same": make_run(db_url, s, "m", models_file=good, tags={"branch": "pr"}).run_id,
        "worse": make_run(db_url, s, "m", models_file=bad, tags={"branch": "pr"}).run_id,
    }


def test_a_a_passes_and_clear_regression_fails(runs: dict[str, str], db_url: str) -> None:
    ok = api.gate("latest:branch=main", runs["same"], db=db_url)
    assert ok.passed and ok.comparison.run_a.id == runs["main"]  # the newest main run
    assert [c.name for c in ok.checks] == ["regression"]
    failed = api.gate("latest:branch=main", runs["worse"], db=db_url)
    assert not failed.passed
    (check,) = failed.checks
    assert check.name == "regression" and not check.passed and "Holm" in check.detail
    data = failed.as_dict()
    assert data["passed"] is False and data["comparison"]["models"][0]["verdict"] == "regression"


def test_max_drop_tolerates_an_agreed_drop(runs: dict[str, str], db_url: str) -> None:
    lenient = api.gate(runs["main"], runs["worse"], db=db_url, max_drop=0.3)
    assert lenient.passed and "within --max-drop" in lenient.checks[0].detail


def test_thresholds(runs: dict[str, str], db_url: str) -> None:
    result = api.gate(runs["main"], runs["same"], db=db_url, min_pass_rate=0.99)
    rate = next(c for c in result.checks if c.name == "min_pass_rate")
    assert not result.passed and not rate.passed and "95.0% < 99.0%" in rate.detail
    assert api.gate(runs["main"], runs["same"], db=db_url, min_pass_rate=0.9).passed


def test_cost_increase(tmp_path: Path, db_url: str) -> None:
    s = suite(tmp_path, 20)
    spec = replay(tmp_path / "r.jsonl", 20)
    cheap = priced_models(tmp_path / "cheap.json", {"m": (spec, 1.0)})
    dear = priced_models(tmp_path / "dear.json", {"m": (spec, 1.5)})
    a = make_run(db_url, s, "m", models_file=cheap).run_id
    b = make_run(db_url, s, "m", models_file=dear, cache=False).run_id
    result = api.gate(a, b, db=db_url, max_cost_increase=0.2)
    cost = next(c for c in result.checks if c.name == "max_cost_increase")
    assert not cost.passed and "+50.0%" in cost.detail
    assert api.gate(a, b, db=db_url, max_cost_increase=0.6).passed


def test_bad_baselines_are_user_errors(runs: dict[str, str], db_url: str) -> None:
    with pytest.raises(NotFound, match="--baseline latest:branch=nope"):
        api.gate("latest:branch=nope", runs["worse"], db=db_url)
    with pytest.raises(NotFound, match="--baseline: no run 'nosuch'"):
        api.gate("nosuch", runs["worse"], db=db_url)
    with pytest.raises(NotFound, match="--candidate"):
        api.gate("latest", "nosuch", db=db_url)
    with pytest.raises(ConfigError, match="--baseline latest:oops"):
        api.gate("latest:oops", runs["worse"], db=db_url)
    with pytest.raises(ConfigError, match="--max-drop"):
        api.gate("latest", runs["worse"], db=db_url, max_drop=2.0)
    with pytest.raises(ConfigError, match="candidate run itself"):
        api.gate(runs["worse"], runs["worse"], db=db_url)


def test_markdown_is_a_pr_comment(runs: dict[str, str], db_url: str) -> None:
    result = api.gate("latest:branch=main", runs["worse"], db=db_url)
    text = gate_markdown(result, "https://bench.example/")
    assert text.startswith("## benchlab gate: ❌ failed")
    assert "| model | cases | baseline | candidate | Δ | 95% CI | p (adj.) | verdict |" in text
    assert "🔴 regression" in text and "pass → fail" in text
    assert f"https://bench.example/runs/{runs['worse']}" in text
    assert f"https://bench.example/compare?a={runs['main']}&b={runs['worse']}" in text
    assert f"https://bench.example/runs/{runs['worse']}?case=c10" in text
    plain = gate_markdown(api.gate("latest:branch=main", runs["same"], db=db_url))
    assert plain.startswith("## benchlab gate: ✅ passed") and "http" not in plain
    assert "⚪ no change" in plain


def test_junit_has_a_test_per_case_and_model(runs: dict[str, str], db_url: str) -> None:
    result = api.gate("latest:branch=main", runs["worse"], db=db_url)
    root = ET.fromstring(gate_junit(result))
    (suite_el,) = root.findall("testsuite")
    cases = suite_el.findall("testcase")
    assert len(cases) == 40 + 1  # every case, plus the gate's regression check
    failures = {
        tc.get("name"): tc.find("failure") for tc in cases if tc.find("failure") is not None
    }
    assert failures["c2"] is not None and failures["c2"].get("type") == "regression"
    # failing in the baseline too: not this change's failure, an expected one (as pytest's xfail)
    assert "c0" not in failures
    (known,) = [tc.find("skipped") for tc in cases if tc.get("name") == "c0"]
    assert known is not None and known.get("type") == "known-failure"
    assert (
        known.get("message") or ""
    ) == "failed; failed in the baseline: a known failure, no worse"
    assert failures["regression"] is not None  # the gate check itself
    assert root.get("tests") == "41" and root.get("failures") == str(len(failures))
    assert suite_el.get("failures") == root.get("failures")


def test_a_candidate_that_only_errored_is_untested_never_a_regression(
    tmp_path: Path, db_url: str
) -> None:
    s = suite(tmp_path, 20)
    base = make_run(db_url, s, "m", models_file=profile(tmp_path, "good", 20, [])).run_id
    nothing = tmp_path / "nothing.jsonl"
    nothing.write_text('{"case_id": "not-in-the-suite", "output": "0"}\n')  # every case errors
    broken = priced_models(tmp_path / "broken.json", {"m": (f"replay/{nothing}", 1.0)})
    cand = make_run(db_url, s, "m", models_file=broken).run_id
    (m,) = api.compare(base, cand, db=db_url)["models"]
    assert m["verdict"] == "untested" and m["n_paired"] == 0 and m["delta"] is None
    assert m["errors"] == {"a": 0, "b": 20} and m["errored"]["b"]["attempts"] == 20
    for allow in (False, True):
        result = api.gate(base, cand, db=db_url, allow_errors=allow)
        checks = {c.name: c for c in result.checks}
        assert not result.passed and "regression" not in checks
        assert checks["errors"].passed is allow and "20 errored attempts in candidate" in (
            checks["errors"].detail
        )
        assert not checks["paired_cases"].passed
        assert "none of the 20 cases in common was judged" in checks["paired_cases"].detail
    text = gate_markdown(result)
    assert "⚫ untested" in text and "🔴" not in text and "20 errored (left out)" in text
