"""`benchlab run NAME` as a user runs it: the data pulled from the Hub on first use, then
read from the local copy with no network; the run records the Hub revision it read."""

from __future__ import annotations

import json
from pathlib import Path

from benchlab.datasets import CATALOG
from support.hub_env import GATED_TOKEN, hf_env, publish
from support.hub_server import FakeHub
from support.runs import assert_user_error, cli


def test_first_use_pulls_then_the_local_copy_serves_offline(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    with FakeHub() as hub:
        publish(hub, "arc-challenge")
        env = hf_env(tmp_path / "hf", hub.url)
        first = cli("run", "arc-challenge", "-m", "oracle", "--db", db, "--json", "-q", env=env)
        assert first.returncode == 0, first.stderr
        pulled = len(hub.requests)
        assert pulled > 0
    offline = hf_env(tmp_path / "hf", None, HF_HUB_OFFLINE="1")  # the Hub is gone now
    again = cli("run", "arc-challenge", "-m", "oracle", "--db", db, "--json", "-q", env=offline)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["models"][0]["pass_rate"] == 1.0
    header = _suite_header(db, summary["run_id"])
    metadata = header["metadata"]
    assert isinstance(metadata, dict)
    dataset = metadata["dataset"]
    assert dataset["revision"] == CATALOG["arc-challenge"].revision
    assert dataset["source"] == "hub" and dataset["dataset"] == "allenai/ai2_arc"


def _suite_header(db: str, run_id: str) -> dict[str, object]:
    shown = cli("export", run_id, "--format", "json", "--db", db)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    suites = document["suites"]
    header: dict[str, object] = suites[0]["header"]
    return header


def test_no_data_and_no_network_is_one_line_naming_both_ways(tmp_path: Path) -> None:
    env = hf_env(tmp_path / "hf", None)  # online, but nobody answers
    result = cli("run", "gsm8k", "-m", "oracle", "--db", str(tmp_path / "r.db"), env=env)
    assert_user_error(result, "benchlab data pull gsm8k", "--data")


def test_a_gated_dataset_without_a_token_says_which_and_where(tmp_path: Path) -> None:
    with FakeHub() as hub:
        publish(hub, "gpqa-diamond")
        env = hf_env(tmp_path / "hf", hub.url)
        result = cli("run", "gpqa-diamond", "-m", "oracle", "--db", str(tmp_path / "r.db"), env=env)
        assert_user_error(result, "HF_TOKEN", "/datasets/Idavidrein/gpqa")
        env["HF_TOKEN"] = GATED_TOKEN
        ok = cli("run", "gpqa-diamond", "-m", "oracle", "--db", str(tmp_path / "r.db"), env=env)
        assert ok.returncode == 0, ok.stderr
