"""The flags of the standard suites (`--shots`, `--data`, ...), shared by `run` and `build`.

They turn each standard suite named on the command line into its reference
with options (`mmlu` + `--shots 5` -> `mmlu?shots=5`), which is what the
run stores and `resume` reads back. A flag given with no standard suite to
apply to is a mistake the user should hear about, not a silent no-op.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from benchlab.errors import ConfigError

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Standard suites: read the dataset from this file or folder (as the Hub "
        "publishes it: parquet or JSONL) instead of the local copy; no network.",
    ),
]
RevisionOpt = Annotated[
    str | None,
    typer.Option(help="Standard suites: the dataset's Hub revision (default: the pinned one)."),
]
ShotsOpt = Annotated[
    int | None,
    typer.Option(
        help="Standard suites: few-shot examples from the dataset's dev/train split "
        "(default: the reference harness's, e.g. 5 for gsm8k; 0: zero-shot)."
    ),
]
SubsetOpt = Annotated[
    str | None,
    typer.Option(help="mmlu / mmlu-pro: only these subjects or categories (comma-separated)."),
]
CotOpt = Annotated[
    bool,
    typer.Option("--cot", help="Standard suites: the chain-of-thought variant (gsm8k, gpqa)."),
]
MultiturnOpt = Annotated[
    bool,
    typer.Option(
        "--fewshot-as-multiturn",
        help="Standard suites: each shot as a user/assistant exchange instead of one message.",
    ),
]
ModeOpt = Annotated[
    str | None,
    typer.Option(
        help="Standard multiple-choice suites: generate (default) or loglikelihood (scores "
        "each option's log-probability; needs a completions endpoint with echo + logprobs)."
    ),
]
ReleaseOpt = Annotated[
    str | None,
    typer.Option(
        help="livecodebench: the dataset's version tag: release_v1 .. release_v6 (default "
        "release_v6) or release_latest, every problem up to that release; vN, only the "
        "problems release N added; vA_vB, those releases A to B added (e.g. v4_v6)."
    ),
]
SinceOpt = Annotated[
    str | None, typer.Option(help="livecodebench: problems from contests on or after DATE.")
]
UntilOpt = Annotated[
    str | None, typer.Option(help="livecodebench: problems from contests on or before DATE.")
]


def with_standard_options(suites: list[str], **flags: Any) -> list[str]:
    """`suites` with the given flags folded into each standard suite's reference."""
    from benchlab.suites.standard import is_standard, parse_ref, standard_ref

    given: dict[str, Any] = {}
    for key, value in flags.items():
        if value is None or value is False:
            continue
        if key == "data":
            value = str(Path(value).resolve())
        elif key == "subset":
            value = tuple(part.strip() for part in str(value).split(",") if part.strip())
        given[key] = value
    if not given:
        return suites
    standard = [ref for ref in suites if is_standard(ref)]
    if not standard:
        flag = "--" + next(iter(given)).replace("_", "-")
        raise ConfigError(
            f"{flag} applies to the standard suites (see `benchlab suites`), "
            f"not to {', '.join(suites)}"
        )
    out = []
    for ref in suites:
        if not is_standard(ref):
            out.append(ref)
            continue
        name, options = parse_ref(ref.removeprefix("builtin:"))
        out.append(standard_ref(name, options.with_changes(**given)))
    return out
