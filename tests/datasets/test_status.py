"""`catalog_status`: what `data list` shows, read from the cache alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchlab.datasets import CATALOG, DatasetError, catalog_status, pull
from support.hub_env import publish
from support.hub_server import FakeHub


def test_one_row_per_suite_and_only_complete_copies_count(tmp_path: Path) -> None:
    with FakeHub() as hub:
        publish(hub, "ifeval", "gsm8k")
        copy = pull(CATALOG["ifeval"], cache_dir=tmp_path, endpoint=hub.url)
        hub.interrupt("main/test-00000-of-00001.parquet", "cut", *["empty"] * 5)
        with pytest.raises(DatasetError, match="interrupted"):
            pull(CATALOG["gsm8k"], cache_dir=tmp_path, endpoint=hub.url)
        hub.requests.clear()
        rows = {row["name"]: row for row in catalog_status(tmp_path)}
        assert hub.requests == []
    assert list(rows) == list(CATALOG)
    assert rows["ifeval"]["present"] is True
    assert rows["ifeval"]["revision"] == CATALOG["ifeval"].revision == copy.commit
    assert rows["ifeval"]["size"] == copy.size > 0
    assert rows["ifeval"]["path"] == str(copy.folder)
    # gsm8k's train file arrived, its test file did not: not a copy
    assert (rows["gsm8k"]["present"], rows["gsm8k"]["size"], rows["gsm8k"]["path"]) == (
        False,
        0,
        None,
    )
    assert rows["gpqa-diamond"]["gated"] is True
