"""lm-evaluation-harness's own multiple-choice metrics, for parity tests.

`acc` and `acc_norm` come from `ConfigurableTask.process_results` of a real
`multiple_choice` task, built over an in-memory dataset (a `custom_dataset`,
so nothing is downloaded), with the `target_delimiter` it has by default.
numpy's floating-point warnings are silenced around the reference's calls only
(it meets -inf and 0/0 without complaint in a real evaluation). TruthfulQA's
`process_results_mc2` is loaded from its file by path: importing
`lm_eval.tasks.truthfulqa` would build lm-eval's whole task index first.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["mc2", "multiple_choice"]

Results = Sequence[tuple[float, bool]]


@lru_cache(maxsize=1)
def _task() -> Any:
    from lm_eval.api import task as lm_eval_task

    # Hugging Face's `datasets` as lm-eval imported it (to mypy, `datasets` is tests/datasets).
    datasets: Any = lm_eval_task.datasets
    ConfigurableTask = lm_eval_task.ConfigurableTask
    first = [{"query": "Q", "choices": ["a", "b"], "label": 0}]
    return ConfigurableTask(
        config={
            "task": "benchlab_parity",
            "custom_dataset": lambda **_: datasets.DatasetDict(
                {"test": datasets.Dataset.from_list(first)}
            ),
            "test_split": "test",
            "output_type": "multiple_choice",
            "doc_to_text": "{{query}}",
            "doc_to_target": "label",
            "doc_to_choice": "choices",
            "metric_list": [
                {"metric": "acc", "aggregation": "mean", "higher_is_better": True},
                {"metric": "acc_norm", "aggregation": "mean", "higher_is_better": True},
            ],
        }
    )


def multiple_choice(choices: list[str], gold: int, results: Results) -> dict[str, float]:
    """lm-eval's {"acc", "acc_norm"} for one document; `choices` as `doc_to_choice` gives
    them (no leading delimiter: the task adds its " ")."""
    import numpy as np

    task = _task()
    assert task.config.target_delimiter == " "
    with np.errstate(all="ignore"):  # -inf logprobs: numpy warns, lm-eval goes on
        found: dict[str, float] = task.process_results(
            {"query": "Q", "choices": choices, "label": gold}, list(results)
        )
    return found


@lru_cache(maxsize=1)
def _mc2() -> Callable[[dict[str, Any], Results], dict[str, Any]]:
    spec = importlib.util.find_spec("lm_eval")  # the package's folder, without importing it
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "tasks" / "truthfulqa" / "utils.py"
    loaded = importlib.util.spec_from_file_location("benchlab_parity_truthfulqa_utils", path)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    function: Callable[[dict[str, Any], Results], dict[str, Any]] = module.process_results_mc2
    return function


def mc2(labels: list[int], results: Results) -> float:
    """lm-eval's TruthfulQA MC2 for one document."""
    import numpy as np

    with np.errstate(all="ignore"):  # 0/0 when every probability underflows: NaN, as lm-eval
        return float(_mc2()({"mc2_targets": {"labels": labels}}, results)["acc"])
