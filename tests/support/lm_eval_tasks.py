"""lm-evaluation-harness's own prompts for the same rows: the reference our suites must match.

Builds lm-eval's task from its packaged YAML (tasks/gsm8k/gsm8k.yaml, ...)
with the dataset pointed at local parquet/JSON files instead of the Hub,
and returns the contexts lm-eval would send: plain text, or the chat
messages its chat formatting makes (a chat template that returns the
messages as JSON lets us read them back). Test-only: src never imports lm-eval.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["lm_eval_requests"]


def lm_eval_requests(
    task_yaml: str,
    data_files: dict[str, str],
    *,
    num_fewshot: int | None = None,
    chat: bool = False,
    multiturn: bool = False,
    data_format: str = "parquet",
) -> list[tuple[Any, Any]]:
    """(context, continuation or generation kwargs) per request, in lm-eval's order: one
    per document for generation, one per option for multiple choice."""
    # No HF_*_OFFLINE here: huggingface_hub reads it once, at import, and it would then hold
    # for every later test in this process. Local data files need no network anyway.
    return _requests(task_yaml, data_files, num_fewshot, chat, multiturn, data_format)


def _requests(
    task_yaml: str,
    data_files: dict[str, str],
    num_fewshot: int | None,
    chat: bool,
    multiturn: bool,
    data_format: str,
) -> list[tuple[Any, Any]]:
    import lm_eval
    from lm_eval.api.task import ConfigurableTask
    from lm_eval.tasks._yaml_loader import load_yaml

    path = Path(lm_eval.__file__).parent / "tasks" / task_yaml
    config = dict(load_yaml(path))
    config.update(
        dataset_path=data_format,
        dataset_name=None,
        dataset_kwargs={"data_files": data_files},
    )
    if num_fewshot is not None:
        config["num_fewshot"] = num_fewshot
    task = ConfigurableTask(config=config)
    task.set_fewshot_seed(1234)

    def template(messages: list[dict[str, Any]], add_generation_prompt: bool = True) -> str:
        return json.dumps(messages)

    task.build_all_requests(
        rank=0,
        world_size=1,
        apply_chat_template=chat,
        fewshot_as_multiturn=multiturn,
        chat_template=template if chat else None,
    )
    instances = sorted(task.instances, key=lambda i: (i.doc_id, i.idx))
    out: list[tuple[Any, Any]] = []
    for inst in instances:
        context = json.loads(inst.args[0]) if chat else inst.args[0]
        out.append((context, inst.args[1]))
    return out
