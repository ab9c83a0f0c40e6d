"""Google's IFEval verifiers as lm-evaluation-harness ships them, loaded from its files.

`import lm_eval.tasks.ifeval...` would run `lm_eval/tasks/__init__`, which builds
the task manager (datasets, evaluate, ...): seconds of start-up and warnings
for nothing. The four reference files are loaded by path instead, under the
module names they import each other by, registered only while they load.
The reference's util module looks for NLTK's punkt_tab when imported (and
downloads it when missing), so load it after the test model is on NLTK's path.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["Reference", "reference"]

_PACKAGE = "lm_eval.tasks.ifeval"


class Reference:
    """The reference's registry and its strict/loose entry points."""

    def __init__(self, registry: types.ModuleType, utils: types.ModuleType) -> None:
        self.registry = registry
        self.utils = utils

    def instruction_ids(self) -> set[str]:
        return set(self.registry.INSTRUCTION_DICT)

    def grade(
        self, ids: list[str], kwargs: list[dict[str, Any]], reply: str, prompt: str = "p"
    ) -> tuple[list[bool], list[bool]]:
        """(strict, loose) per instruction, as lm-eval's `process_results` computes them."""
        example = self.utils.InputExample(
            key=0, instruction_id_list=ids, prompt=prompt, kwargs=kwargs
        )
        strict = self.utils.test_instruction_following_strict(example, reply)
        loose = self.utils.test_instruction_following_loose(example, reply)
        return list(strict.follow_instruction_list), list(loose.follow_instruction_list)

    def aggregate_instructions(self, items: list[list[bool]]) -> float:
        return float(self.utils.agg_inst_level_acc(items))


def _folder() -> Path:
    spec = importlib.util.find_spec("lm_eval")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise RuntimeError("lm-eval is not installed: pip install -e '.[dev]'")
    return Path(spec.origin).parent / "tasks" / "ifeval"


def _load(name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(f"{_PACKAGE}.{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def reference() -> Reference:
    folder = _folder()
    package = types.ModuleType(_PACKAGE)
    package.__path__ = [str(folder)]
    names = [_PACKAGE] + [
        f"{_PACKAGE}.{n}"
        for n in ("instructions_util", "instructions", "instructions_registry", "utils")
    ]
    saved = {name: sys.modules.get(name) for name in names}
    sys.modules[_PACKAGE] = package
    try:
        for name in ("instructions_util", "instructions", "instructions_registry", "utils"):
            setattr(package, name, _load(name, folder / f"{name}.py"))
        return Reference(package.instructions_registry, package.utils)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
