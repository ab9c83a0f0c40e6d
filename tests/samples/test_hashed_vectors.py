"""Hashed trigram vectors: unit length, close for shared wording, the same in every process."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from benchlab.samples.hashed_vectors import hashed_vectors


def test_shared_wording_is_closer_than_other_wording() -> None:
    vectors = hashed_vectors(
        ["How do I reset my password?", "how do I RESET my password", "Où est ma commande ?", ""]
    )
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0)
    assert not vectors[3].any()
    assert vectors[0] @ vectors[1] > 0.9 > 0.3 > vectors[0] @ vectors[2]


def test_the_vectors_do_not_depend_on_the_process() -> None:
    script = (
        "from benchlab.samples.hashed_vectors import hashed_vectors;"
        "print(hashed_vectors(['Wie kündige ich?']).round(6).tolist())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert len(runs) == 1
    assert str(hashed_vectors(["Wie kündige ich?"]).round(6).tolist()) + "\n" in runs
