"""Comparing real runs (replay models with chosen failures) case by case."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchlab import api
from benchlab.analysis.stats.multiple import holm
from benchlab.analysis.stats.paired import mcnemar_exact
from benchlab.errors import ConfigError, NotFound
from support.runs import make_run, replay, suite

CONTRACT = {"model", "n_paired", "a", "b", "delta", "ci95", "p_value", "flips", "verdict"}


def test_flips_only_in_one_run_and_the_contract(tmp_path: Path, db_url: str) -> None:
    full = suite(tmp_path / "full", 40)
    short = suite(tmp_path / "short", 36)  # same suite name, four cases fewer
    a = make_run(db_url, full, replay(tmp_path / "a.jsonl", 40, failing=[0, 1, 2]))
    b = make_run(db_url, short, replay(tmp_path / "b.jsonl", 36, failing=[2, 5, 6, 7, 8]))
    data = api.compare(a.run_id, b.run_id, db=db_url)
    (m,) = data["models"]
    assert set(m) >= CONTRACT
    assert m["model_a"] == a.summary["models"][0]["model"]  # one model each: paired anyway
    assert m["n_paired"] == 36
    assert m["only_in_a"] == ["c36", "c37", "c38", "c39"] and m["only_in_b"] == []
    assert m["flips"] == {"pass_to_fail": ["c5", "c6", "c7", "c8"], "fail_to_pass": ["c0", "c1"]}
    assert m["a"] == pytest.approx(33 / 36) and m["b"] == pytest.approx(31 / 36)
    assert m["delta"] == pytest.approx(-2 / 36)
    assert m["test"] == "mcnemar-exact" and m["p_value"] == pytest.approx(mcnemar_exact(4, 2))
    assert m["verdict"] == "no_change" and m["p_value_adjusted"] == m["p_value"]
    lo, hi = m["ci95"]
    assert lo < m["delta"] < hi and m["ci_method"] == "paired-bootstrap"
    assert m["mde"] is not None and m["mde"] > abs(m["delta"])
    assert set(m["by_category"]) == {"cat0", "cat1"}
    cat = m["by_category"]["cat0"]
    assert {"p_value", "p_value_adjusted", "verdict", "ci95", "cost_usd"} <= set(cat)
    assert m["cost_usd"]["a"] == 0.0 and m["latency_ms"]["a"]["p50"] is not None
    assert data["p_adjust"] == {"models": "holm", "categories": "benjamini-hochberg"}
    assert "numeric" in m["scores"]
    assert api.compare(a.run_id, b.run_id, db=db_url) == data  # seeded: reproducible


def test_clear_regression_and_a_a(tmp_path: Path, db_url: str) -> None:
    s = suite(tmp_path, 40)
    good = replay(tmp_path / "good.jsonl", 40, failing=[0])
    base = make_run(db_url, s, good)
    same = make_run(db_url, s, good)
    worse = make_run(db_url, s, replay(tmp_path / "bad.jsonl", 40, failing=range(0, 40, 3)))
    (reg,) = api.compare(base.run_id, worse.run_id, db=db_url)["models"]
    assert reg["verdict"] == "regression" and reg["p_value"] < 0.001
    assert reg["ci95"][1] < 0 and len(reg["flips"]["pass_to_fail"]) == 13
    (aa,) = api.compare(base.run_id, same.run_id, db=db_url)["models"]
    assert aa["verdict"] == "no_change" and aa["delta"] == 0.0 and aa["p_value"] == 1.0
    lo, hi = aa["ci95"]
    assert lo < 0 < hi and aa["ci_method"] == "wilson-bound"  # no flip: a bound, not [0, 0]


def test_several_samples_use_sign_flip_and_case_bootstrap(tmp_path: Path, db_url: str) -> None:
    s = suite(tmp_path, 30)
    a = make_run(db_url, s, replay(tmp_path / "a.jsonl", 30, samples=3), samples=3)
    b_spec = replay(tmp_path / "b.jsonl", 30, failing=range(12), samples=3, fail_samples=2)
    b = make_run(db_url, s, b_spec, samples=3)
    (m,) = api.compare(a.run_id, b.run_id, db=db_url)["models"]
    assert m["test"] == "sign-flip" and m["verdict"] == "regression"
    assert m["delta"] == pytest.approx(-12 * 2 / 3 / 30)
    shown = b.summary["models"][0]
    assert shown["ci_method"] == "bootstrap" and shown["ci95"][0] < shown["pass_rate"]
    assert shown["by_category"]["cat0"]["ci_method"] == "bootstrap"


def test_models_are_holm_adjusted_and_cross_model(tmp_path: Path, db_url: str) -> None:
    s = suite(tmp_path, 40)
    good = replay(tmp_path / "good.jsonl", 40)
    bad = replay(tmp_path / "bad.jsonl", 40, failing=range(8))
    a = make_run(db_url, s, good, bad)
    b = make_run(db_url, s, bad, good)  # both models, the other way round is not a swap
    data = api.compare(a.run_id, b.run_id, db=db_url)
    p_values = [m["p_value"] for m in data["models"]]
    assert [m["p_value_adjusted"] for m in data["models"]] == holm(p_values)
    assert all(m["verdict"] == "no_change" for m in data["models"])
    (swap,) = api.compare(a.run_id, a.run_id, db=db_url, model_a=good, model_b=bad)["models"]
    assert swap["model"] == f"{good} -> {bad}" and swap["delta"] == pytest.approx(-0.2)
    assert swap["verdict"] == "regression"
    only = api.compare(a.run_id, b.run_id, db=db_url, model=good)["models"]
    assert [m["model"] for m in only] == [good]


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"model_a": "x"}, "--model-a and --model-b"),
        ({"model": "nosuch"}, "--model nosuch"),
        ({"model_a": "nosuch", "model_b": "nosuch"}, "--model-a nosuch"),
        ({"alpha": 1.5}, "--alpha"),
    ],
)
def test_bad_choices_are_user_errors(
    tmp_path: Path, db_url: str, kwargs: dict[str, object], needle: str
) -> None:
    s = suite(tmp_path, 5)
    run = make_run(db_url, s, replay(tmp_path / "r.jsonl", 5))
    with pytest.raises(ConfigError, match=needle):
        api.compare(run.run_id, run.run_id, db=db_url, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="nosuchrun"):
        api.compare(run.run_id, "nosuchrun", db=db_url)


def test_runs_sharing_no_model_need_a_choice(tmp_path: Path, db_url: str) -> None:
    s = suite(tmp_path, 5)
    one = make_run(db_url, s, replay(tmp_path / "x.jsonl", 5), replay(tmp_path / "y.jsonl", 5))
    other = make_run(db_url, s, "oracle")
    with pytest.raises(ConfigError, match="share no model"):
        api.compare(one.run_id, other.run_id, db=db_url)


def test_continuous_scores_get_bootstrap_intervals(tmp_path: Path, db_url: str) -> None:
    s = suite(tmp_path, 20)
    answers = tmp_path / "fuzzy.jsonl"
    answers.write_text(
        "".join(f'{{"case_id": "c{i}", "output": "{i}{"x" * (i % 4)}"}}\n' for i in range(20))
    )
    run = make_run(db_url, s, f"replay/{answers}", scorer="fuzzy")
    scores = run.summary["models"][0]["scores"]["fuzzy"]
    assert scores["ci_method"] == "bootstrap" and scores["n"] == 20
    lo, hi = scores["ci95"]
    assert 0.0 <= lo < scores["mean"] < hi <= 1.0


def test_a_case_with_one_errored_sample_is_left_out_not_half_failed(
    tmp_path: Path, db_url: str
) -> None:
    s = suite(tmp_path, 12)
    a = make_run(db_url, s, replay(tmp_path / "a.jsonl", 12, samples=3), samples=3)
    b_file = tmp_path / "b.jsonl"
    b_spec = replay(b_file, 12, samples=3)
    rows = b_file.read_text().splitlines()
    b_file.write_text("\n".join(rows[1:]) + "\n")  # c0 sample 0 has no answer: an error
    b = make_run(db_url, s, b_spec, samples=3)
    (m,) = api.compare(a.run_id, b.run_id, db=db_url)["models"]
    assert m["errors"] == {"a": 0, "b": 1} and m["errored"]["b"]["cases"] == ["c0"]
    assert m["errored"]["b"]["attempts"] == 1 and m["n_paired"] == 11
    assert m["delta"] == 0.0 and m["flips"]["pass_to_fail"] == [] and m["verdict"] == "no_change"
