"""The suite folder (`serve --suite-dir`) offers the files that load as suites, and only
those: a models file, a file of answers and a suite with a mistake in it are not offered,
and a page view does not load the folder's files again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from support.lab import auth, make_app
from support.live_server import LiveServer

GOOD = {"id": "one", "input": "Say hi", "expected": "hi", "scorers": ["contains"]}


def _offered(url: str) -> set[str]:
    items = httpx.get(f"{url}/api/suites", timeout=30).json()["items"]
    return {s["name"] for s in items}


def test_only_files_that_load_as_suites_are_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "suites"
    folder.mkdir()
    (folder / "mine.jsonl").write_text(json.dumps(GOOD) + "\n")
    (folder / "models.yaml").write_text("models:\n  - {name: fast, spec: oracle}\n")
    (folder / "answers.jsonl").write_text('{"case_id": "a", "output": "1"}\n')
    broken = folder / "later.jsonl"
    broken.write_text('{"id": "one", "input": \n')
    loads: list[Path] = []
    from benchlab.suites import load_suite

    def counted(ref: str | Path) -> object:
        loads.append(Path(ref))
        return load_suite(ref)

    monkeypatch.setattr("benchlab.suites.load_suite", counted)
    with LiveServer(make_app(f"sqlite:///{tmp_path}/x.db", suite_dir=folder)) as live:
        offered = _offered(live.url)
        assert "mine" in offered and "quickstart" in offered
        assert not offered & {"models", "answers", "later"}
        assert 'value="models"' not in httpx.get(f"{live.url}/launch", timeout=30).text
        refused = httpx.post(
            f"{live.url}/api/runs",
            json={"suites": ["models"], "models": ["oracle"]},
            headers=auth(),
        )
        assert refused.status_code == 400 and "not launchable here" in refused.text
        looked_at = len(loads)
        assert looked_at >= 4
        for _ in range(3):  # views of an unchanged folder load nothing again
            _offered(live.url)
            httpx.get(f"{live.url}/suites", timeout=30)
        assert len(loads) == looked_at

        broken.write_text(json.dumps({**GOOD, "id": "two"}) + "\n")  # the mistake fixed
        os.utime(broken, ns=(broken.stat().st_mtime_ns + 10**9,) * 2)
        assert "later" in _offered(live.url)
        assert loads[looked_at:] == [broken]  # only the changed file is loaded again


def test_a_file_that_breaks_the_loader_is_left_out_not_a_500(tmp_path: Path) -> None:
    """Nesting past Python's recursion limit raised RecursionError out of the listing:
    /api/suites and /suites answered 500 while the file was there."""
    folder = tmp_path / "suites"
    folder.mkdir()
    (folder / "mine.jsonl").write_text(json.dumps(GOOD) + "\n")
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    with LiveServer(make_app(f"sqlite:///{tmp_path}/x.db", suite_dir=folder)) as live:
        offered = _offered(live.url)
        assert "mine" in offered and "deep" not in offered
        assert httpx.get(f"{live.url}/suites", timeout=30).status_code == 200
