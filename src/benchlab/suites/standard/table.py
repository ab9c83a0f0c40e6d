"""The table of standard suites: `benchlab suites` lists it, `benchlab run NAME` resolves it."""

from __future__ import annotations

from types import MappingProxyType

from benchlab.suites.standard.family import Family

__all__ = ["FAMILIES", "is_standard"]

_MC = frozenset({"fewshot_as_multiturn", "mode"})
_M = "benchlab.suites.standard."

_TABLE = [
    Family(
        "mmlu",
        "mmlu",
        14042,
        "MMLU: 57 subjects of multiple-choice questions (lm-eval's prompt, dev-split shots)",
        _M + "multiple_choice:mmlu",
        options=_MC | {"subset"},
        modes=("generate", "loglikelihood"),
    ),
    Family(
        "mmlu-pro",
        "mmlu-pro",
        12032,
        "MMLU-Pro: ten-option questions in 14 categories, answered step by step",
        _M + "mmlu_pro:mmlu_pro",
        default_shots=5,
        options=frozenset({"fewshot_as_multiturn", "subset"}),
    ),
    Family(
        "gsm8k",
        "gsm8k",
        1319,
        "GSM8K: grade-school maths word problems (lm-eval's gsm8k, 5 shots)",
        _M + "gsm8k:gsm8k",
        default_shots=5,
        options=frozenset({"fewshot_as_multiturn", "cot"}),
    ),
    Family(
        "math-500",
        "math-500",
        500,
        "MATH-500: competition maths, answers checked with math-verify",
        _M + "math500:math500",
    ),
    Family(
        "gpqa-diamond",
        "gpqa-diamond",
        198,
        "GPQA Diamond: graduate-level science questions, choices shuffled with a fixed seed",
        _M + "multiple_choice:gpqa",
        options=frozenset({"cot"}),
    ),
    Family(
        "arc-challenge",
        "arc-challenge",
        1172,
        "ARC-Challenge: grade-school science multiple choice",
        _M + "multiple_choice:arc",
        options=_MC,
        modes=("generate", "loglikelihood"),
    ),
    Family(
        "hellaswag",
        "hellaswag",
        10042,
        "HellaSwag: pick the most plausible ending (validation split)",
        _M + "multiple_choice:hellaswag",
        options=_MC,
        modes=("generate", "loglikelihood"),
    ),
    Family(
        "truthfulqa-mc1",
        "truthfulqa-mc1",
        817,
        "TruthfulQA MC1: one true answer among misconceptions",
        _M + "multiple_choice:truthfulqa_mc1",
        options=frozenset({"mode"}),
        modes=("generate", "loglikelihood"),
    ),
    Family(
        "truthfulqa-mc2",
        "truthfulqa-mc2",
        817,
        "TruthfulQA MC2: probability mass on the true answers (needs --mode loglikelihood)",
        _M + "multiple_choice:truthfulqa_mc2",
        options=frozenset({"mode"}),
        modes=("loglikelihood",),
    ),
    Family(
        "ifeval",
        "ifeval",
        541,
        "IFEval: verifiable instructions, strict and loose (Google's verifiers)",
        _M + "ifeval:ifeval",
    ),
    Family(
        "mbpp",
        "mbpp",
        257,
        "MBPP (sanitized): Python functions checked by their asserts in the sandbox",
        _M + "mbpp:mbpp",
        options=frozenset({"fewshot_as_multiturn"}),
    ),
    Family(
        "livecodebench",
        "livecodebench",
        1055,
        "LiveCodeBench code generation (release v6; --release, --since, --until)",
        _M + "livecodebench:livecodebench",
        options=frozenset({"release", "since", "until"}),
    ),
]

FAMILIES = MappingProxyType({family.name: family for family in _TABLE})


def is_standard(ref: str) -> bool:
    """Whether `ref` names a standard suite (`mmlu`, `builtin:mmlu`, `mmlu?shots=5`)."""
    return ref.removeprefix("builtin:").partition("?")[0] in FAMILIES
