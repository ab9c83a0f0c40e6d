"""`benchlab data pull|list` as a user runs them: real processes, HF_* variables, a local Hub."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchlab.datasets import CATALOG, local_copy
from support.hub_data import rows_of
from support.hub_env import GATED_TOKEN, hf_env, publish
from support.hub_server import FakeHub
from support.runs import assert_user_error, cli

GSM8K = CATALOG["gsm8k"]
TEST_FILE = "main/test-00000-of-00001.parquet"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with FakeHub() as server:
        publish(server)
        yield server


def test_pull_then_list_then_a_cached_pull_that_asks_for_no_file(
    hub: FakeHub, tmp_path: Path
) -> None:
    env = hf_env(tmp_path, hub.url)
    first = cli("data", "pull", "gsm8k", "--json", env=env)
    assert first.returncode == 0, first.stderr
    pulled = json.loads(first.stdout)
    assert pulled["revision"] == GSM8K.revision
    assert pulled["files"] == [
        "main/test-00000-of-00001.parquet",
        "main/train-00000-of-00001.parquet",
    ]
    assert Path(pulled["path"]).is_relative_to(tmp_path / "hub")  # HF_HUB_CACHE honoured
    hub.requests.clear()
    again = cli("data", "pull", "gsm8k", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"gsm8k: openai/gsm8k@{GSM8K.revision}, 2 files, ")
    assert hub.requests == []
    listed = cli("data", "list", "--json", env=env)
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert rows["gsm8k"]["present"] is True
    assert rows["gsm8k"]["size"] == pulled["size"] > 0
    assert rows["mmlu"]["present"] is False
    assert rows["mmlu"]["revision"] == CATALOG["mmlu"].revision
    assert hub.requests == []  # listing reads the cache only
    table = cli("data", "list", env={**env, "COLUMNS": "200"})
    line = next(ln for ln in table.stdout.splitlines() if "gsm8k" in ln)
    assert "yes" in line and GSM8K.revision in line


def _load(env: dict[str, str], name: str) -> subprocess.CompletedProcess[str]:
    """What a suite does: `dataset_rows(name)` in a process of its own."""
    code = (
        "import json, sys\n"
        "from benchlab.datasets import dataset_rows\n"
        "from benchlab.errors import UserError\n"
        "try:\n"
        f"    r = dataset_rows({name!r})\n"
        "except UserError as e:\n"
        "    sys.exit(f'error: {e}')\n"
        "print(json.dumps({'rows': r.rows(), 'provenance': r.provenance.as_metadata()}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_offline_the_local_copy_is_used_and_without_one_one_line(
    hub: FakeHub, tmp_path: Path
) -> None:
    env = hf_env(tmp_path, hub.url)
    assert cli("data", "pull", "gsm8k", env=env).returncode == 0
    hub.requests.clear()
    offline = {**env, "HF_HUB_OFFLINE": "1"}
    loaded = _load(offline, "gsm8k")
    assert loaded.returncode == 0, loaded.stderr
    document = json.loads(loaded.stdout)
    assert document["rows"] == rows_of("gsm8k", "test")
    assert document["provenance"]["revision"] == GSM8K.revision
    assert cli("data", "pull", "livecodebench", env=env).returncode == 0  # pinned to a branch
    hub.requests.clear()
    branch = cli("data", "pull", "livecodebench", env=offline)
    assert branch.returncode == 0, branch.stderr
    assert "livecodebench/code_generation_lite@" in branch.stdout
    missing = cli("data", "pull", "mmlu", env=offline)
    assert_user_error(missing, "benchlab data pull mmlu", "--data", "HF_HUB_OFFLINE")
    assert hub.requests == []


def test_no_hub_and_no_copy_is_one_line_exit_2(tmp_path: Path) -> None:
    result = cli("data", "pull", "gsm8k", env=hf_env(tmp_path))  # nobody listens there
    assert_user_error(result, "no local copy of openai/gsm8k", "benchlab data pull gsm8k", "--data")


def test_gated_needs_hf_token_and_the_hub_checks_it(hub: FakeHub, tmp_path: Path) -> None:
    env = hf_env(tmp_path, hub.url)
    without = cli("data", "pull", "gpqa-diamond", env=env)
    assert_user_error(
        without, "HF_TOKEN", "accept its terms at", f"{hub.url}/datasets/Idavidrein/gpqa"
    )
    hub.accounts.add("hf_terms_not_accepted")
    refused = cli("data", "pull", "gpqa-diamond", env={**env, "HF_TOKEN": "hf_terms_not_accepted"})
    assert_user_error(refused, "refused the token (HF_TOKEN)", "HTTP 403")
    invalid = cli("data", "pull", "gpqa-diamond", env={**env, "HF_TOKEN": "hf_garbage"})
    assert_user_error(invalid, "refused the token (HF_TOKEN)", "HTTP 401")
    right = cli("data", "pull", "gpqa-diamond", env={**env, "HF_TOKEN": GATED_TOKEN})
    assert right.returncode == 0, right.stderr
    assert "gpqa-diamond: Idavidrein/gpqa@" in right.stdout


def test_an_unknown_name_lists_the_known_ones(tmp_path: Path) -> None:
    result = cli("data", "pull", "gsm9k", env=hf_env(tmp_path))
    assert_user_error(result, "unknown dataset 'gsm9k'", "gsm8k", "livecodebench")


def test_a_pull_killed_mid_file_is_not_taken_as_a_copy(hub: FakeHub, tmp_path: Path) -> None:
    env = hf_env(tmp_path, hub.url)
    hub.interrupt(TEST_FILE, "stall")
    process = subprocess.Popen(
        [sys.executable, "-m", "benchlab", "data", "pull", "gsm8k"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert hub.stalled.wait(60), "the download never started"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    hub.release()
    blobs = tmp_path / "hub" / "datasets--openai--gsm8k" / "blobs"
    # the half file is there, under a name no reader takes for the file
    assert [p.name for p in blobs.iterdir() if p.name.endswith(".incomplete")]
    assert not (blobs / hub.repos["openai/gsm8k"].sha256(TEST_FILE)).exists()
    assert local_copy(GSM8K, cache_dir=tmp_path / "hub") is None
    listed = json.loads(cli("data", "list", "--json", env=env).stdout)
    assert next(r for r in listed if r["name"] == "gsm8k")["present"] is False
    offline = cli("data", "pull", "gsm8k", env={**env, "HF_HUB_OFFLINE": "1"})
    assert_user_error(offline, "no local copy of openai/gsm8k")
    again = cli("data", "pull", "gsm8k", env=env)
    assert again.returncode == 0, again.stderr
    assert local_copy(GSM8K, cache_dir=tmp_path / "hub") is not None


@pytest.mark.parametrize("args", [["--help"], ["data", "--help"]])
def test_help_does_not_import_the_hub_client_nor_pyarrow(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "benchlab", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "benchlab.cli" in imported
    assert not {m for m in imported if m.split(".")[0] in ("huggingface_hub", "pyarrow")}
