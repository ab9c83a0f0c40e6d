"""Importing thousands of generated production lines per format into a real store, twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab.errors import UserError
from benchlab.samples.importer import import_files
from benchlab.store import Store
from benchlab.store.samples import count_samples, iter_samples
from support.production_samples import (
    Generated,
    write_csv,
    write_openai,
    write_otlp,
    write_ours,
)

N = 2500


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generated]:
    folder = tmp_path_factory.mktemp("production")
    return {
        "jsonl": write_ours(folder / "app-2026-11.jsonl", N),
        "csv": write_csv(folder / "feedback-export.csv", N),
        "openai": write_openai(folder / "gateway.log.jsonl", N),
        "otlp": write_otlp(folder / "traces.json", N),
    }


def test_every_format_imports_its_samples_and_reports_its_bad_lines(
    db_url: str, files: dict[str, Generated]
) -> None:
    reported: list[tuple[str, int, str]] = []
    with Store(db_url) as store:
        results = import_files(
            store,
            [g.path for g in files.values()],
            on_bad=lambda path, line, reason: reported.append((path.name, line, reason)),
        )
        assert [r.format for r in results] == list(files)
        for result, made in zip(results, files.values(), strict=True):
            assert result.read == made.good, result
            assert result.imported == made.good - made.duplicates, result
            assert result.duplicates == made.duplicates
            assert result.bad == len(made.bad_lines)
            assert result.bad_lines == made.bad_lines
            assert result.skipped == made.skipped
            assert result.fallback_decoded == made.latin1_lines
            assert [line for name, line, _ in reported if name == made.path.name] == made.bad_lines
        total = sum(g.good - g.duplicates for g in files.values())
        assert count_samples(store) == total

        again = import_files(store, [g.path for g in files.values()])
        assert [r.imported for r in again] == [0, 0, 0, 0]
        assert [r.duplicates for r in again] == [g.good for g in files.values()]
        assert count_samples(store) == total

        rows = list(iter_samples(store))
    by_format: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_format.setdefault(str(row["source_format"]), []).append(row)
    # chat inputs stay chat messages, and Latin-1 text arrives as the characters it meant
    chats = [r for r in by_format["jsonl"] if str(r["input"]).startswith("[")]
    assert len(chats) == files["jsonl"].chat_inputs > N // 4
    assert any("Café ouvert" in str(r["output"]) for r in by_format["jsonl"])
    assert any("Müller: façade" in str(r["output"]) for r in by_format["csv"])
    assert any("Grüße aus Köln" in str(r["output"]) for r in by_format["openai"])
    otlp = by_format["otlp"]
    assert all(r["input_tokens"] is not None and r["output_tokens"] for r in otlp)
    assert {json.loads(str(r["metadata"]))["service_name"] for r in otlp} == {"support-api"}
    assert all(r["timestamp"] is not None for r in rows)


def test_a_missing_file_stops_the_import_before_anything_is_stored(
    db_url: str, tmp_path: Path
) -> None:
    made = write_ours(tmp_path / "ok.jsonl", 10)
    with Store(db_url) as store:
        with pytest.raises(UserError, match=r"nope\.jsonl: no such file"):
            import_files(store, [made.path, tmp_path / "nope.jsonl"])
        assert count_samples(store) == 0


def test_a_file_of_no_known_format_is_refused(db_url: str, tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("dear diary\n" * 5)
    with Store(db_url) as store, pytest.raises(UserError, match=r"notes\.txt: unknown format"):
        import_files(store, [odd])
