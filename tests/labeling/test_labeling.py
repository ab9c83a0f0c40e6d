"""The labeling library over real runs: label kinds, queue orders, and the agreement report
(checked against the `krippendorff` package and by hand)."""

from __future__ import annotations

from pathlib import Path

import krippendorff
import numpy as np
import pytest
from scipy import stats

from benchlab import labeling
from benchlab.errors import ConfigError, NotFound
from benchlab.labeling.kinds import PASS_FAIL, SCALE, STANCE, rubric, suggested_kind
from benchlab.labeling.views import SavedLabel
from benchlab.store import Store
from support.labeling import quick_run, stance_run


@pytest.fixture(scope="module")
def stance_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    db = f"sqlite:///{tmp_path_factory.mktemp('stance')}/lab.db"
    return db, stance_run(db)


@pytest.fixture
def stance_copy(stance_db: tuple[str, str], tmp_path: Path) -> tuple[str, str]:
    """The stance run in a private copy of its file, for a test that labels."""
    source = Path(stance_db[0].removeprefix("sqlite:///"))
    with Store(stance_db[0]) as store, store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file
    target = tmp_path / "lab.db"
    target.write_bytes(source.read_bytes())
    return f"sqlite:///{target}", stance_db[1]


@pytest.fixture
def quick(tmp_path: Path) -> tuple[str, str]:
    db = f"sqlite:///{tmp_path}/quick.db"
    return db, quick_run(db)


def _ids(store: Store, run_id: str) -> dict[str, str]:
    """case id -> attempt id (one model, one sample)."""
    return {a.case_id: str(a.id) for a in store.iter_attempts(run_id)}


# --- kinds --------------------------------------------------------------------------------------
def test_labels_map_onto_the_scorers_scales() -> None:
    assert labeling.parse_label(" PASS ") == (PASS_FAIL, PASS_FAIL.choices[0])
    kind, choice = labeling.parse_label("4")
    assert kind is SCALE and choice.value == 0.75
    kind, choice = labeling.parse_label("neg")
    assert kind is STANCE and choice.value == -1.0
    with pytest.raises(ConfigError, match=r"label 'maybe': expected one of pass fail"):
        labeling.parse_label("maybe")
    with pytest.raises(ConfigError, match=r"label 'pass': expected one of neg neu pos"):
        labeling.parse_label("pass", "stance")
    assert labeling.labeler_name("  Ana   Lopez ") == "Ana Lopez"
    for bad in ("", " ", "-ana", "a/b", "x" * 65, "<script>"):
        with pytest.raises(ConfigError, match="labeler"):
            labeling.labeler_name(bad)


def test_the_scorers_suggest_a_kind_and_a_rubric() -> None:
    assert suggested_kind([[{"name": "exact"}]]) is PASS_FAIL
    assert suggested_kind([[{"name": "exact"}], [{"name": "judge"}]]) is SCALE
    assert suggested_kind([[{"name": "judge"}, {"name": "stance"}]]) is STANCE
    lines = rubric(
        [
            {
                "name": "judge",
                "options": {
                    "criteria": [
                        "accuracy",
                        {"name": "tone", "description": "Is it polite?", "scale": [1, 5]},
                    ],
                    "threshold": 0.7,
                },
            },
            {"name": "numeric", "options": {"tolerance": 0.01, "as": "num"}},
        ]
    )
    assert lines[0]["scorer"] == "judge"
    assert "accuracy (1-10): Is the answer factually correct" in lines[0]["text"]
    assert "tone (1-5): Is it polite?" in lines[0]["text"] and "0.7" in lines[0]["text"]
    assert lines[1] == {
        "scorer": "num",
        "text": "the answer's number must equal the reference number (tolerance 0.01)",
    }


# --- recording ----------------------------------------------------------------------------------
def test_add_label_validates_everything_once(quick: tuple[str, str]) -> None:
    db, run_id = quick
    with Store(db) as store:
        aid = _ids(store, run_id)["capital-australia"]
        saved = labeling.add_label(store, run_id[:10], aid, " ana ", "Fail", note=" wrong city ")
        assert saved == SavedLabel(
            run_id=run_id,
            attempt_id=aid,
            labeler="ana",
            kind="pass_fail",
            label="fail",
            value=0.0,
            passed=False,
            note="wrong city",
            replaced=False,
        )
        assert labeling.add_label(store, run_id, int(aid), "ana", "pass").replaced is True
        with pytest.raises(ConfigError, match="labeled pass_fail, not scale"):
            labeling.add_label(store, run_id, aid, "bo", "3")
        with pytest.raises(ConfigError, match="attempt id 'x1'"):
            labeling.add_label(store, run_id, "x1", "bo", "pass")
        with pytest.raises(ConfigError, match="note: at most 2000"):
            labeling.add_label(store, run_id, aid, "bo", "pass", note="n" * 2001)
        with pytest.raises(NotFound, match="no run"):
            labeling.add_label(store, "nope-run", aid, "bo", "pass")
        assert labeling.remove_label(store, run_id, aid, "ana") is True
        assert labeling.list_labels(store, run_id) == []


# --- queues -------------------------------------------------------------------------------------
def test_random_queue_is_seeded_shared_and_stable(quick: tuple[str, str]) -> None:
    db, run_id = quick
    with Store(db) as store:
        first = labeling.label_queue(store, run_id, labeler="ana", limit=24)
        assert first.attempts == first.remaining == 24 and first.seed == 0
        order = [i.attempt_id for i in first.items]
        assert order != sorted(order) and len(set(order)) == 24
        # a colleague sees the same order (so their labels overlap); another seed does not
        assert [
            i.attempt_id for i in labeling.label_queue(store, run_id, labeler="bo", limit=24).items
        ] == order
        assert [
            i.attempt_id for i in labeling.label_queue(store, run_id, seed=7, limit=24).items
        ] != order
        # labeling one leaves the others in place, and leaves out only the labeler's own
        labeling.add_label(store, run_id, order[3], "ana", "pass")
        again = labeling.label_queue(store, run_id, labeler="ana", limit=24)
        assert [i.attempt_id for i in again.items] == order[:3] + order[4:]
        assert (again.labeled_by_you, again.remaining) == (1, 23)
        theirs = labeling.label_queue(store, run_id, labeler="bo", limit=5)
        assert theirs.items[3].attempt_id == order[3] and theirs.items[3].labels == 1
        # blind: what a labeler sees holds no verdict and no one else's label
        item = theirs.items[3]
        assert {"scores", "passed", "human"}.isdisjoint(item.model_dump())
        assert item.output and item.prompt and item.rubric
        assert theirs.kind.kind == "pass_fail" and theirs.kind.fixed is True


def test_queue_rejects_bad_input(quick: tuple[str, str]) -> None:
    db, run_id = quick
    with Store(db) as store:
        with pytest.raises(ConfigError, match="mode 'sorted'"):
            labeling.label_queue(store, run_id, mode="sorted")
        with pytest.raises(ConfigError, match="limit 0"):
            labeling.label_queue(store, run_id, limit=0)
        with pytest.raises(ConfigError, match=r"by 'colour'.*known: category, model, suite"):
            labeling.label_queue(store, run_id, mode="stratified", by="colour")
        with pytest.raises(NotFound):
            labeling.label_queue(store, "no-such-run")


def test_stratified_queue_balances_the_levels_of_a_factor(stance_copy: tuple[str, str]) -> None:
    db, run_id = stance_copy
    with Store(db) as store:
        assert "perspective" in labeling.strata_options(store, run_id)
        q = labeling.label_queue(store, run_id, mode="stratified", by="perspective", labeler="ana")
        assert q.kind.kind == "stance"  # a stance-judged run asks for stance bins
        levels = [i.stratum or "" for i in q.items]  # stratified: every item has its level
        assert sorted(levels[:3]) == ["landlord", "neutral", "tenant"]
        assert sorted(levels[3:6]) == ["landlord", "neutral", "tenant"]
        # two landlord answers labeled: the landlord level goes last until the others catch up
        for item in [i for i in q.items if i.stratum == "landlord"][:2]:
            labeling.add_label(store, run_id, item.attempt_id, "ana", "pos")
        q = labeling.label_queue(store, run_id, mode="stratified", by="perspective", labeler="ana")
        assert [i.stratum for i in q.items][:4] == ["neutral", "tenant", "neutral", "tenant"]
        assert q.levels is not None
        assert {lv.level: lv.labeled_by_you for lv in q.levels} == {
            "landlord": 2,
            "neutral": 0,
            "tenant": 0,
        }


def test_disagreement_queue_puts_contested_answers_first(stance_copy: tuple[str, str]) -> None:
    db, run_id = stance_copy
    with Store(db) as store:
        ids = _ids(store, run_id)
        landlord = [c for c in ids if c.endswith("perspective=landlord")]
        tenant = [c for c in ids if c.endswith("perspective=tenant")]
        # the judge says pos for landlord answers, neg for tenant ones
        labeling.add_label(store, run_id, ids[landlord[0]], "bo", "neg")  # against the judge
        labeling.add_label(store, run_id, ids[tenant[0]], "bo", "neg")  # agrees with the judge
        labeling.add_label(store, run_id, ids[tenant[0]], "cy", "neu")  # labelers: 0.5
        q = labeling.label_queue(store, run_id, mode="disagreement", labeler="ana")
        head = [(i.case_id, i.disagreement, i.labels) for i in q.items[:3]]
        assert head[0] == (landlord[0], 0.8, 1)  # |-1 - 0.6| on a scale 2 wide
        assert head[1] == (tenant[0], 0.5, 2)
        assert head[2][1] == 0.0 and all(i.labels == 0 for i in q.items[2:])


# --- agreement ----------------------------------------------------------------------------------
def test_agreement_on_stance_labels(stance_copy: tuple[str, str]) -> None:
    db, run_id = stance_copy
    with Store(db) as store:
        ids = _ids(store, run_id)
        cases = sorted(ids)  # 9 cases: per matched set landlord, neutral, tenant
        judge = {c: c.rsplit("=", 1)[1] for c in cases}
        word = {"landlord": "pos", "neutral": "neu", "tenant": "neg"}
        # ana agrees with the judge everywhere; bo calls every neutral answer "pos" and skips two
        ana = {c: word[judge[c]] for c in cases}
        bo = {c: ("pos" if judge[c] == "neutral" else word[judge[c]]) for c in cases[:7]}
        for who, said in (("ana", ana), ("bo", bo)):
            for c, label in said.items():
                labeling.add_label(store, run_id, ids[c], who, label)
        report = labeling.agreement_report(store, run_id)

    assert (report.kind, report.level, report.labels) == ("stance", "ordinal", 16)
    assert report.labelers == [{"labeler": "ana", "labels": 9}, {"labeler": "bo", "labels": 7}]
    value = {"neg": -1.0, "neu": 0.0, "pos": 1.0}
    data = np.array(
        [[value[who.get(c, "")] if c in who else np.nan for c in cases] for who in (ana, bo)]
    )
    between = report.between_labelers
    assert between["n_units"] == 7 and between["n_coders"] == 2
    assert between["alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    )
    assert between["by_level"]["nominal"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )
    assert between["percent_agreement"] == pytest.approx(5 / 7)  # 2 of bo's 7 are neutral

    (stance,) = report.scorers
    assert stance["scorer"] == "stance" and stance["n"] + stance["ties"] == 9
    # consensus: ana alone or both agree -> the judge's bin; (neu, pos) averages to 0.5,
    # which is a tie between neu and pos: left out. bo labeled 2 of the 3 neutral answers.
    assert stance["ties"] == 2 and stance["n"] == 7
    assert stance["confusion"]["labels"] == ["neg", "neu", "pos"]
    assert stance["confusion"]["matrix"] == [[3, 0, 0], [0, 1, 0], [0, 0, 3]]
    assert stance["kappa"]["kappa"] == pytest.approx(1.0)
    means = [(value[ana[c]] + value[bo[c]]) / 2 if c in bo else value[ana[c]] for c in cases]
    raw = [{"landlord": 0.6, "neutral": 0.0, "tenant": -0.6}[judge[c]] for c in cases]
    reference = stats.spearmanr(means, raw)
    assert stance["spearman"]["rho"] == pytest.approx(float(reference.statistic))
    assert stance["spearman"]["p_value"] == pytest.approx(float(reference.pvalue))
    by = {x["labeler"]: x for x in stance["by_labeler"]}
    assert by["ana"]["kappa"] == pytest.approx(1.0) and by["ana"]["n"] == 9
    # bo against the judge: 7 pairs, 5 agree; marginals bo (neg 2, neu 0, pos 5) and
    # judge (neg 2, neu 2, pos 3) over those 7 -> p_e = (2*2 + 0*2 + 5*3) / 49
    p_e = (2 * 2 + 0 * 2 + 5 * 3) / 49
    assert by["bo"]["n"] == 7
    assert by["bo"]["kappa"] == pytest.approx((5 / 7 - p_e) / (1 - p_e))


def test_agreement_of_pass_fail_labels_includes_the_attempt_verdict(
    quick: tuple[str, str],
) -> None:
    db, run_id = quick
    with Store(db) as store:
        empty = labeling.agreement_report(store, run_id)
        assert empty.labels == 0 and empty.between_labelers["alpha"] is None
        assert empty.scorers == []
        verdicts = {a.id: a.passed for a in store.iter_attempts(run_id)}
        chosen = sorted(verdicts)[:6]
        for aid in chosen:
            labeling.add_label(store, run_id, aid, "ana", "pass" if verdicts[aid] else "fail")
        report = labeling.agreement_report(store, run_id, scorer="verdict")
        with pytest.raises(ConfigError, match=r"scorer 'judge'.*known: verdict"):
            labeling.agreement_report(store, run_id, scorer="judge")
    (verdict,) = report.scorers
    assert verdict["scorer"] == "verdict" and verdict["n"] == 6 and verdict["ties"] == 0
    assert sum(map(sum, verdict["confusion"]["matrix"])) == 6
    assert verdict["confusion"]["matrix"][0][1] == verdict["confusion"]["matrix"][1][0] == 0
    assert report.between_labelers["n_units"] == 0  # one labeler: nothing to agree on
