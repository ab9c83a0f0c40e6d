"""Coverage of the grid uplift interval (`show --paired-by`) at 3, 10 and 36 matched sets.

Run:  .venv/bin/python bench/uplift_coverage.py [--studies 20000] [--seed 0]

Simulates many grid studies with a known true uplift and counts how often the
nominal 95% interval covers it, for Student's t interval over the sets'
differences (what benchlab uses, `ci_method: "t"`) and, for comparison, the
percentile paired bootstrap it replaced. Two worlds:

- normal: each set's difference is the true uplift plus N(0, 0.25) noise;
- coarse: the same with one sample per case on a 5-point scale (-1, -0.5, 0,
  0.5, 1), where every set can give the same difference by chance ("ties":
  the t interval then has zero width and misses);
- stance: each case's stance is a judge score, clip(dispute + lean + noise,
  -1, 1) rounded to one decimal, averaged over 3 samples; the dispute effect
  (N(0, 0.4), shared by the set's cases) cancels in the difference. The true
  uplift (what the clipping leaves of a 0.3 lean) comes from 2 million draws.

It prints figures only (no asserts); tests/analysis/test_uplift_coverage.py
checks the t interval's coverage.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchlab.analysis.stats.bootstrap import percentile_bounds, ratio_distribution
from benchlab.analysis.stats.core import t_critical

SETS = (3, 10, 36)


def stance_sets(
    rng: np.random.Generator,
    studies: int,
    k: int,
    lean: float = 0.3,
    *,
    samples: int = 3,
    step: float = 0.1,
) -> np.ndarray:
    """(studies, k) differences between the two levels of a stance grid: judge scores
    clipped to [-1, 1] on a grid of `step`, averaged over `samples` per case."""
    dispute = rng.normal(0.0, 0.4, size=(studies, k, 1))

    def level(shift: float) -> np.ndarray:
        raw = dispute + shift + rng.normal(0.0, 0.25, size=(studies, k, samples))
        return (np.round(np.clip(raw, -1.0, 1.0) / step) * step).mean(axis=-1)

    return level(lean) - level(0.0)


def normal_sets(rng: np.random.Generator, studies: int, k: int, uplift: float) -> np.ndarray:
    return uplift + rng.normal(0.0, 0.25, size=(studies, k))


def t_bounds(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The t interval of `stats.t_interval`, vectorised over studies (same formula)."""
    k = d.shape[-1]
    half = t_critical(0.95, k - 1) * d.std(axis=-1, ddof=1) / np.sqrt(k)
    return d.mean(axis=-1) - half, d.mean(axis=-1) + half


def boot_bounds(d: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = percentile_bounds(ratio_distribution(d, np.ones_like(d), seed=seed, n_boot=2000))
    return lo, hi


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    truth = float(stance_sets(rng, 1, 2_000_000).mean())
    coarse = {"samples": 1, "step": 0.5, "lean": 0.5}
    coarse_truth = float(stance_sets(rng, 1, 2_000_000, **coarse).mean())  # type: ignore[arg-type]
    print(f"stance world: true uplift {truth:.4f} (lean 0.3 before clipping)")
    print(f"coarse world (1 sample, 5-point scale, lean 0.5): true uplift {coarse_truth:.4f}")
    print(f"{'world':8} {'sets':>4} {'t':>8} {'bootstrap':>10} {'ties':>6} {'seconds':>8}")
    for world in ("normal", "stance", "coarse"):
        for k in SETS:
            start = time.perf_counter()
            if world == "normal":
                d, true = normal_sets(rng, args.studies, k, 0.3), 0.3
            elif world == "stance":
                d, true = stance_sets(rng, args.studies, k), truth
            else:
                d, true = stance_sets(rng, args.studies, k, **coarse), coarse_truth  # type: ignore[arg-type]
            lo, hi = t_bounds(d)
            t_cov = float(np.mean((lo <= true) & (true <= hi)))
            blo, bhi = boot_bounds(d[: min(args.studies, 4000)], args.seed)
            b_cov = float(np.mean((blo <= true) & (true <= bhi)))
            ties = float(np.mean(d.min(axis=-1) == d.max(axis=-1)))
            took = time.perf_counter() - start
            print(f"{world:8} {k:>4} {t_cov:>8.4f} {b_cov:>10.4f} {ties:>6.3f} {took:>8.2f}")


if __name__ == "__main__":
    main()
