"""`pull` and the local copy, against a local Hub served over real HTTP (support.hub_server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchlab.datasets import CATALOG, DatasetError, dataset_rows, local_copy, pull
from benchlab.datasets.provenance import file_sha256
from support.hub_data import hub_files, rows_of
from support.hub_env import GATED_TOKEN, publish
from support.hub_server import FakeHub

GSM8K = CATALOG["gsm8k"]
TEST_FILE = "main/test-00000-of-00001.parquet"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with FakeHub() as server:
        publish(server)
        yield server


def test_pull_downloads_the_split_files_at_the_pinned_commit(hub: FakeHub, tmp_path: Path) -> None:
    copy = pull(GSM8K, cache_dir=tmp_path, endpoint=hub.url)
    assert copy.commit == GSM8K.revision
    files = {p.relative_to(copy.folder).as_posix() for p in copy.files()}
    assert files == {TEST_FILE, "main/train-00000-of-00001.parquet"}  # not the README
    assert copy.size == sum(len(hub_files("gsm8k")[f]) for f in files)
    # the LFS files came from the CDN after the Hub's redirect, as on huggingface.co
    assert ("GET", f"/cdn/openai/gsm8k/{TEST_FILE}") in hub.requests


def test_a_second_pull_and_a_load_send_nothing(hub: FakeHub, tmp_path: Path) -> None:
    pull(GSM8K, cache_dir=tmp_path, endpoint=hub.url)
    hub.requests.clear()
    pull(GSM8K, cache_dir=tmp_path, endpoint=hub.url)
    loaded = dataset_rows("gsm8k", cache_dir=tmp_path, endpoint=hub.url)
    assert hub.requests == []
    assert loaded.rows("test") == rows_of("gsm8k", "test")


def test_the_first_load_pulls_and_records_the_provenance(hub: FakeHub, tmp_path: Path) -> None:
    loaded = dataset_rows("mmlu", cache_dir=tmp_path, endpoint=hub.url)
    assert loaded.rows("test") == rows_of("mmlu", "test")
    assert loaded.rows("dev") == rows_of("mmlu", "dev")
    meta = loaded.provenance.as_metadata()
    assert (meta["dataset"], meta["revision"], meta["source"], meta["config"]) == (
        "cais/mmlu",
        CATALOG["mmlu"].revision,
        "hub",
        "all",
    )
    copy = local_copy(CATALOG["mmlu"], cache_dir=tmp_path)
    assert copy is not None
    assert meta["files"] == {
        p.relative_to(copy.folder).as_posix(): file_sha256(p) for p in copy.files()
    }


def test_the_same_bytes_from_data_and_from_the_hub_hash_alike(hub: FakeHub, tmp_path: Path) -> None:
    from support.hub_data import write_folder

    from_hub = dataset_rows("arc-challenge", cache_dir=tmp_path / "c", endpoint=hub.url)
    from_data = dataset_rows("arc-challenge", data=write_folder("arc-challenge", tmp_path / "d"))
    assert from_hub.provenance.sha256 == from_data.provenance.sha256
    assert from_hub.splits == from_data.splits


def test_a_branch_revision_resolves_to_its_commit(hub: FakeHub, tmp_path: Path) -> None:
    copy = pull(CATALOG["livecodebench"], cache_dir=tmp_path, endpoint=hub.url)
    assert copy.commit == hub.repos["livecodebench/code_generation_lite"].commit
    assert local_copy(CATALOG["livecodebench"], cache_dir=tmp_path) == copy


def test_an_unknown_revision_is_one_line(hub: FakeHub, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="gsm8k: revision 'v9' not found in openai/gsm8k"):
        pull(GSM8K, "v9", cache_dir=tmp_path, endpoint=hub.url)


def test_gated_without_a_token_says_which_token_and_where(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    with pytest.raises(DatasetError) as err:
        pull(CATALOG["gpqa-diamond"], cache_dir=tmp_path, endpoint=hub.url)
    assert str(err.value) == (
        "gpqa-diamond: Idavidrein/gpqa is gated: accept its terms at "
        f"{hub.url}/datasets/Idavidrein/gpqa and set HF_TOKEN to an access token of that account"
    )
    assert local_copy(CATALOG["gpqa-diamond"], cache_dir=tmp_path) is None


def test_gated_with_a_refused_token_and_with_the_right_one(hub: FakeHub, tmp_path: Path) -> None:
    hub.accounts.add("hf_terms_not_accepted")
    with pytest.raises(DatasetError, match=r"refused the token \(HF_TOKEN\).*\(HTTP 403\)"):
        pull(
            CATALOG["gpqa-diamond"],
            cache_dir=tmp_path,
            endpoint=hub.url,
            token="hf_terms_not_accepted",
        )
    with pytest.raises(DatasetError, match=r"refused the token \(HF_TOKEN\).*\(HTTP 401\)"):
        pull(CATALOG["gpqa-diamond"], cache_dir=tmp_path, endpoint=hub.url, token="hf_garbage")
    loaded = dataset_rows("gpqa-diamond", cache_dir=tmp_path, endpoint=hub.url, token=GATED_TOKEN)
    assert loaded.rows() == rows_of("gpqa-diamond", "train")


def test_an_invalid_token_on_an_open_dataset_is_one_line(hub: FakeHub, tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as err:
        pull(GSM8K, cache_dir=tmp_path, endpoint=hub.url, token="hf_expired")
    assert str(err.value) == (
        "gsm8k: the Hub refused the token (HF_TOKEN) for openai/gsm8k (HTTP 401): check the "
        f"token, and that its account accepted the terms at {hub.url}/datasets/openai/gsm8k"
    )


def test_no_local_copy_and_no_hub_names_pull_and_data(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as err:
        dataset_rows("gsm8k", cache_dir=tmp_path, endpoint="http://127.0.0.1:9")
    assert str(err.value) == (
        "gsm8k: no local copy of openai/gsm8k and the Hub (http://127.0.0.1:9) cannot be "
        "reached: run `benchlab data pull gsm8k` where the Hub is reachable, or pass --data "
        "PATH (the dataset's files)"
    )


def test_a_local_copy_needs_no_hub(hub: FakeHub, tmp_path: Path) -> None:
    pull(GSM8K, cache_dir=tmp_path, endpoint=hub.url)
    loaded = dataset_rows("gsm8k", cache_dir=tmp_path, endpoint="http://127.0.0.1:9")
    assert loaded.rows() == rows_of("gsm8k", "test")


def test_a_broken_connection_is_resumed_within_the_pull(hub: FakeHub, tmp_path: Path) -> None:
    hub.interrupt(TEST_FILE, "cut")
    copy = pull(GSM8K, cache_dir=tmp_path, endpoint=hub.url)
    gets = [r for r in hub.requests if r == ("GET", f"/cdn/openai/gsm8k/{TEST_FILE}")]
    assert len(gets) == 2  # cut half-way, then the rest (a Range request)
    assert (copy.folder / TEST_FILE).read_bytes() == hub_files("gsm8k")[TEST_FILE]


def test_an_interrupted_download_leaves_no_copy_and_a_retry_completes(
    hub: FakeHub, tmp_path: Path
) -> None:
    # cut half-way, then every resume breaks too, until huggingface_hub gives up (5 retries)
    hub.interrupt(TEST_FILE, "cut", *["empty"] * 5)
    with pytest.raises(DatasetError) as err:
        pull(GSM8K, cache_dir=tmp_path, endpoint=hub.url)
    message = str(err.value)
    assert message.startswith("gsm8k: the download of openai/gsm8k was interrupted")
    assert message.endswith("run `benchlab data pull gsm8k` again")
    assert "\n" not in message
    # nothing half-written is taken as complete: no local copy, no partial blob
    assert local_copy(GSM8K, cache_dir=tmp_path) is None
    blobs = tmp_path / "datasets--openai--gsm8k" / "blobs"
    assert not [p for p in blobs.iterdir() if p.name.endswith(".incomplete")]
    sha = hub.repos["openai/gsm8k"].sha256(TEST_FILE)
    assert not (blobs / sha).exists()
    with pytest.raises(DatasetError, match="cannot be reached"):
        dataset_rows("gsm8k", cache_dir=tmp_path, endpoint="http://127.0.0.1:9")
    hub.requests.clear()
    copy = pull(GSM8K, cache_dir=tmp_path, endpoint=hub.url)
    # the retry fetched only the file that was missing
    assert {p for _, p in hub.file_requests()} == {
        f"/datasets/openai/gsm8k/resolve/{GSM8K.revision}/{TEST_FILE}",
        f"/cdn/openai/gsm8k/{TEST_FILE}",
    }
    assert (copy.folder / TEST_FILE).read_bytes() == hub_files("gsm8k")[TEST_FILE]
