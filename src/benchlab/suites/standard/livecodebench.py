"""LiveCodeBench code generation from `livecodebench/code_generation_lite`, by release and date.

The dataset publishes each release's new problems as one file: release_v1 is
test.jsonl, release_v2 adds test2.jsonl, ..., release_v6 adds test6.jsonl.
`--release` takes the version tags of the dataset's own loading script (and
so of lcb_runner's `--release_version`), reading the same files:

- `release_v1` .. `release_v6` (default `release_v6`), `release_latest`:
  every problem up to that release;
- `v1` .. `v6`: only the problems that release added (`v6` is test6.jsonl);
- `vA_vB` (`v4_v6`): the problems added by releases A to B.

`--since` / `--until DATE` keep the problems whose `contest_date` falls on
or between those days (inclusive; lcb_runner compares the timestamp with
midnight, so its `--end_date` leaves out contests later on that day).

Each row becomes a case with the existing `livecodebench:PATH` loader's
`problem_case` (stdin/stdout or call-based tests, graded by lcb_runner's
rules) and its scorer. The prompt is lcb_runner's generic chat prompt, the
one its leaderboard uses for chat models: its system message, then
"### Question:", the format (starter code to complete, or read stdin and
write stdout) and "### Answer:". The dataset has no reference solutions:
the offline `oracle` has nothing to answer (its attempts are errors, not a
model's fails, and the run warns before it starts); the tests feed
known-correct programs through `replay`.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from benchlab.domain import Case, GenerationParams, Message, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.livecodebench import problem_case
from benchlab.suites.standard.family import Built, Family, Loader
from benchlab.suites.standard.options import StandardOptions

__all__ = ["DEFAULT_RELEASE", "RELEASES", "SYSTEM", "livecodebench", "question", "release_splits"]

# lcb_runner's prompt for chat models (PromptConstants.SYSTEM_MESSAGE_GENERIC and
# get_generic_question_template_answer), word for word: its figures are for this prompt.
SYSTEM = (
    "You are an expert Python programmer. You will be given a question (problem "
    "specification) and will generate a correct Python program that matches the "
    "specification and passes all tests."
)
_WITH_STARTER = (
    "You will use the following starter code to write the solution to the problem and "
    "enclose your code within delimiters."
)
_STDIN = (
    "Read the inputs from stdin solve the problem and write the answer to stdout (do not "
    "directly test on the sample inputs). Enclose your code within delimiters as follows. "
    "Ensure that when the python program runs, it reads the inputs, runs the algorithm and "
    "writes output to STDOUT."
)

DEFAULT_RELEASE = "release_v6"
RELEASES = 6  # test.jsonl, test2.jsonl, ..., test6.jsonl
_KNOWN = (
    "release_v1 .. release_v6, release_latest (all problems up to a release), "
    "v1 .. v6 (one release's new problems), vA_vB (releases A to B, e.g. v4_v6)"
)


def _split(release: int) -> str:
    """The catalog split holding release `release`'s new problems (its file's stem)."""
    return "test" if release == 1 else f"test{release}"


def release_splits(tag: str) -> list[str] | None:
    """The splits (files) a version tag reads, as the dataset's script maps them, or None."""
    if tag == "release_latest":
        return [_split(n) for n in range(1, RELEASES + 1)]
    if m := re.fullmatch(r"release_v(\d+)", tag):
        last = int(m.group(1))
        return [_split(n) for n in range(1, last + 1)] if 1 <= last <= RELEASES else None
    if m := re.fullmatch(r"v(\d+)", tag):
        only = int(m.group(1))
        return [_split(only)] if 1 <= only <= RELEASES else None
    if m := re.fullmatch(r"v(\d+)_v(\d+)", tag):
        first, last = int(m.group(1)), int(m.group(2))
        if 1 <= first < last <= RELEASES:
            return [_split(n) for n in range(first, last + 1)]
    return None


def question(content: str, starter_code: str) -> str:
    """The user turn of lcb_runner's generic prompt for one problem."""
    text = f"### Question:\n{content}\n\n"
    if starter_code:
        text += f"### Format: {_WITH_STARTER}\n```python\n{starter_code}\n```\n\n"
    else:
        text += f"### Format: {_STDIN}\n```python\n# YOUR CODE HERE\n```\n\n"
    return text + "### Answer: (use the provided format with backticks)\n\n"


def _case(row: dict[str, object]) -> Case:
    case = problem_case(row)
    content = str(row.get("question_content") or "")
    prompt = question(content, str(row.get("starter_code") or ""))
    messages = [Message(role="system", content=SYSTEM), Message(role="user", content=prompt)]
    return case.model_copy(update={"input": messages})


def _day(value: object) -> dt.date:
    return dt.datetime.fromisoformat(str(value)).date()


def livecodebench(load: Loader, options: StandardOptions, family: Family) -> Built:
    shots = family.shots(options)
    if shots:
        raise SuiteError(f"livecodebench: --shots {shots}: LiveCodeBench is zero-shot")
    one_file = options.data is not None and Path(options.data).is_file()
    release = options.release or DEFAULT_RELEASE
    if one_file:
        if options.release is not None:
            raise SuiteError(
                f"livecodebench: --release {options.release} needs --data to be a folder of "
                "the release files (test.jsonl .. test6.jsonl); a single file is read whole"
            )
        splits, release = ["test"], "file"
    else:
        found = release_splits(release)
        if found is None:
            raise SuiteError(f"livecodebench: --release {release}: no such release ({_KNOWN})")
        splits = found
    data = load(splits)
    rows = [row for split in splits for row in data.rows(split)]
    since = dt.date.fromisoformat(options.since) if options.since else None
    until = dt.date.fromisoformat(options.until) if options.until else None
    if since or until:
        kept = [
            row
            for row in rows
            if (since is None or since <= _day(row["contest_date"]))
            and (until is None or _day(row["contest_date"]) <= until)
        ]
        if not kept:
            days = sorted(_day(row["contest_date"]) for row in rows)
            span = f"{days[0]} to {days[-1]}" if days else "none"
            raise SuiteError(
                f"livecodebench: no problem of {release} has a contest date "
                f"{_window(options.since, options.until)} (its contests: {span})"
            )
        rows = kept

    def cases() -> Iterator[Case]:
        for row in rows:
            try:
                yield _case(row)
            except (ValueError, KeyError, TypeError, pickle.UnpicklingError, zlib.error) as exc:
                raise SuiteError(
                    f"livecodebench: problem {row.get('question_id')!r} is not a LiveCodeBench "
                    f"problem: {exc}"
                ) from None

    header = SuiteHeader(
        name=family.name,
        description=family.description,
        scorers=[ScorerSpec(name="stdio_tests")],
        # lcb_runner's sampling defaults (it reports pass@1 over --n 10 such samples).
        params=GenerationParams(temperature=0.2, top_p=0.95, max_tokens=2000),
        metadata={
            "kind": "code",
            "language": "python",
            "release": release,
            "files": [Path(str(options.data)).name]
            if one_file
            else [f"{split}.jsonl" for split in splits],
            "since": options.since,
            "until": options.until,
            "prompt_format": "lcb_runner's generic chat prompt: its system message, then "
            "### Question: .. ### Format: (starter code, or stdin/stdout) ### Answer:",
            "references": "none: LiveCodeBench has no reference solutions; the oracle cannot "
            "answer it",
        },
    )
    return Built(header, cases())


def _window(since: str | None, until: str | None) -> str:
    if since and until:
        return f"from {since} to {until}"
    return f"on or after {since}" if since else f"on or before {until}"
