"""De-duplication: exact by normal form, near by MinHash/LSH, deterministic, counts that add up."""

from __future__ import annotations

import random
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.samples.dedupe import dedupe, normalise, signatures

QUESTIONS = [
    "How do I reset my password?",
    "Can I change the billing address on an invoice?",
    "Why was my card declined at checkout yesterday?",
    "Is the café open on Sundays?",
    "Where is my order? It was due on Monday.",
    "How many seats does the pro plan include?",
    "Can I export my data as CSV?",
    "The app crashes when I open the settings page.",
]


def _shingles(text: str) -> set[str]:
    normal = normalise(text)
    return {normal[i : i + 5] for i in range(len(normal) - 4)}


def _jaccard(a: str, b: str) -> float:
    x, y = _shingles(a), _shingles(b)
    return len(x & y) / len(x | y)


def test_the_normal_form_folds_unicode_case_and_whitespace_but_keeps_punctuation_and_digits() -> (
    None
):
    assert (
        normalise("  \uff28\uff4f\uff57\u00a0do I\treset   my PASSWORD?\n")
        == "how do i reset my password?"
    )
    assert normalise("Straße ﬁnden") == "strasse finden"
    assert normalise("order 12?") != normalise("order 13?")
    assert normalise("order 12?") != normalise("order 12")


def test_exact_duplicates_fold_into_the_first_and_count() -> None:
    texts = ["How do I reset my password?", "how do I  reset my PASSWORD?", "Other", "other "]
    groups = dedupe(texts)
    assert groups.representative == [0, 0, 2, 2]
    assert groups.kept == [0, 2]
    assert groups.members(0) == [0, 1]
    assert (groups.exact_duplicates, groups.near_duplicates) == (2, 0)


def test_near_duplicates_above_the_threshold_fold_and_distinct_questions_stay() -> None:
    texts = [f"{q} {QUESTIONS[(i + 3) % len(QUESTIONS)]}" for i, q in enumerate(QUESTIONS)]
    variants = [
        t + " Thanks!" if i % 2 else t.replace(" ", "  ").upper() + "!" for i, t in enumerate(texts)
    ]
    assert all(_jaccard(t, v) >= 0.85 for t, v in zip(texts, variants, strict=True))
    assert max(_jaccard(a, b) for a in texts for b in texts if a != b) < 0.5
    groups = dedupe(texts + variants, near_threshold=0.7)
    assert groups.kept == list(range(len(texts)))
    assert groups.representative[len(texts) :] == list(range(len(texts)))
    assert groups.near_duplicates == len(variants)
    assert dedupe(texts + variants).near_duplicates == 0  # near matching off by default


def test_the_minhash_estimate_follows_the_jaccard_similarity() -> None:
    rng = random.Random(3)
    words = [
        "reset",
        "password",
        "card",
        "billing",
        "order",
        "invoice",
        "refund",
        "account",
        "email",
        "plan",
        "seat",
    ]
    errors = []
    for _ in range(300):
        base = " ".join(rng.choice(words) for _ in range(rng.randint(6, 30)))
        cut = rng.randint(0, len(base) // 2)
        other = base[cut:] + " " + " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
        sig = signatures([normalise(base), normalise(other)])
        errors.append(abs(float((sig[0] == sig[1]).mean()) - _jaccard(base, other)))
    assert sum(errors) / len(errors) < 0.06
    assert max(errors) < 0.3


def test_signatures_are_the_same_in_another_process() -> None:
    code = (
        "from benchlab.samples.dedupe import signatures;"
        "print(signatures(['how do i reset my password?', 'ab', 'x' * 300]).tobytes().hex())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    here = signatures(["how do i reset my password?", "ab", "x" * 300]).tobytes().hex()
    assert other == here


def test_empty_and_short_texts() -> None:
    groups = dedupe(["", " ", "ab", "AB", "abc", ""], near_threshold=0.5)
    assert groups.representative == [0, 0, 2, 2, 4, 0]


texts_strategy = st.lists(
    st.one_of(
        st.sampled_from(
            QUESTIONS + [q.upper() for q in QUESTIONS] + [f" {q}  " for q in QUESTIONS]
        ),
        st.text(alphabet="abcde fgh?!ÉéＡ\u00a0", max_size=40),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(texts=texts_strategy, near=st.sampled_from([None, 0.5, 0.8, 1.0]))
def test_dedupe_properties(texts: list[str], near: float | None) -> None:
    groups = dedupe(texts, near_threshold=near)
    # every text is represented once; the counts add up to the input's size
    assert sum(len(groups.members(k)) for k in groups.kept) == len(texts)
    assert len(groups.kept) == len(texts) - groups.removed
    # a representative stands for itself and comes first in its group
    for index, rep in enumerate(groups.representative):
        assert rep <= index
        assert groups.representative[rep] == rep
    # exact duplicates are always merged
    first: dict[str, int] = {}
    for index, text in enumerate(texts):
        normal = normalise(text)
        if normal in first:
            assert groups.representative[index] == groups.representative[first[normal]]
        first.setdefault(normal, index)
    # same input, same groups
    assert dedupe(list(texts), near_threshold=near).representative == groups.representative
    # exact de-duplication is idempotent: the kept texts have no exact duplicate left
    if near is None:
        again = dedupe([texts[k] for k in groups.kept])
        assert again.removed == 0
