"""The multiple-choice suites: MMLU, ARC-Challenge, HellaSwag, TruthfulQA MC1/MC2, GPQA Diamond.

Every one is a question, its options and the index of the right one; they
differ in how the dataset stores those and in the reference prompt. Two
modes:

- generate (default): the model reads the question with lettered options
  and answers; the `choice` scorer reads the letter it commits to. MMLU is
  lm-eval's `mmlu_generative` throughout: its prompt and stop sequences
  (description, then "question\\nA. ...\\nAnswer:", shots from the subject's
  dev split in order) and its grading (`parse: lm-eval`: the first line, as
  a letter), so the figure is the one lm-eval reports for the same replies.
  GPQA asks for a last line "ANSWER: X" and reads it as inspect does; ARC,
  HellaSwag and TruthfulQA MC1 (no generative reference) use the lettered
  shape with shots from their train split and benchlab's careful reading.
- loglikelihood (`--mode loglikelihood`): no generation; each option is a
  continuation of lm-eval's context for that task (MMLU's letters, ARC's and
  HellaSwag's option texts, TruthfulQA's answers after its QA primer), and the
  scorers compare the log-probabilities as lm-eval's acc / acc_norm / mc2 do.

TruthfulQA lists the true answer first and GPQA stores it in its own column:
in generate mode their options are shuffled with a seed fixed per question,
so the right letter is not always A and is the same for every model and run.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchlab.domain import Case, GenerationParams, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.standard.family import Built, Family, Loader, chosen_groups
from benchlab.suites.standard.options import StandardOptions
from benchlab.suites.standard.turns import Prefix, as_text, first_n, qa_turns, seeded_draws

__all__ = ["arc", "gpqa", "hellaswag", "mmlu", "truthfulqa_mc1", "truthfulqa_mc2"]

LETTERS = string.ascii_uppercase


@dataclass
class Question:
    """One multiple-choice question, whatever the dataset's shape."""

    id: str
    text: str  # the question (or HellaSwag's context)
    options: list[str]
    gold: int
    category: str | None = None
    labels: list[int] | None = None  # MC2: 1 for each true option
    metadata: dict[str, Any] = field(default_factory=dict)


def lettered(question: str, options: Sequence[str]) -> str:
    """lm-eval's MMLU text: the question, then each option after its letter, then "Answer:"."""
    lines = [question]
    lines += [f"{LETTERS[i]}. {option}" for i, option in enumerate(options)]
    return "\n".join(lines) + "\nAnswer:"


def _prefix(shots: list[Question], options: StandardOptions, description: str) -> Prefix:
    examples = [(lettered(s.text, s.options), LETTERS[s.gold]) for s in shots]
    return Prefix(examples, description=description, multiturn=options.fewshot_as_multiturn)


def _generate_case(
    q: Question,
    shots: list[Question] | Prefix,
    options: StandardOptions,
    description: str,
    reference_extra: dict[str, Any] | None = None,
) -> Case:
    prefix = shots if isinstance(shots, Prefix) else _prefix(shots, options, description)
    return Case(
        id=q.id,
        input=prefix.input(lettered(q.text, q.options)),
        expected=LETTERS[q.gold],
        reference=LETTERS[q.gold],
        metadata={
            **({"category": q.category} if q.category else {}),
            "options": q.options,
            **q.metadata,
            **(reference_extra or {}),
        },
    )


def _ll_case(q: Question, context: str, continuations: list[str], mc2: bool = False) -> Case:
    expected: dict[str, Any] = (
        {"labels": q.labels} if mc2 and q.labels is not None else {"gold": q.gold}
    )
    return Case(
        id=q.id,
        input=context,
        expected=expected,
        metadata={
            **({"category": q.category} if q.category else {}),
            **q.metadata,
            "loglikelihood": {"context": context, "continuations": continuations},
        },
    )


def _header(
    family: Family,
    options: StandardOptions,
    scorer: ScorerSpec,
    *,
    params: GenerationParams | None = None,
    prompt: str,
) -> SuiteHeader:
    metadata: dict[str, Any] = {"kind": "multiple_choice", "prompt_format": prompt}
    if family.mode(options) == "loglikelihood":
        metadata["mode"] = "loglikelihood"
    return SuiteHeader(
        name=family.name,
        version="1",
        description=family.description,
        scorers=[scorer],
        params=params if family.mode(options) == "generate" else None,
        metadata=metadata,
    )


def _choice_scorer(n_options: int, parse: str | None = None) -> ScorerSpec:
    """`choice` over the suite's letters; `parse` names a reference's reading (lm-eval's
    first-line match for MMLU, inspect's `ANSWER: X` for GPQA), else benchlab's own."""
    options: dict[str, Any] = {"choices": LETTERS[:n_options]}
    if parse is not None:
        options["parse"] = parse
    return ScorerSpec(name="choice", options=options)


def _ll_scorer(metric: str) -> ScorerSpec:
    return ScorerSpec(name="loglikelihood", options={"metric": metric})


# -- MMLU ---------------------------------------------------------------------------------------


def _subject_words(subject: str) -> str:
    return subject.replace("_", " ")


def _mmlu_questions(rows: list[dict[str, Any]], split: str) -> dict[str, list[Question]]:
    by_subject: dict[str, list[Question]] = {}
    for row in rows:
        subject = str(row["subject"])
        bucket = by_subject.setdefault(subject, [])
        bucket.append(
            Question(
                id=f"{subject}/{split}/{len(bucket)}",
                text=str(row["question"]).strip(),
                options=[str(c) for c in row["choices"]],
                gold=int(row["answer"]),
                category=subject,
            )
        )
    return by_subject


def mmlu(load: Loader, options: StandardOptions, family: Family) -> Built:
    """lm-eval's mmlu (loglikelihood) / mmlu_generative: per-subject description, dev shots."""
    shots = family.shots(options)
    data = load(["test", "dev"] if shots else ["test"])
    tests = _mmlu_questions(data.rows("test"), "test")
    devs = _mmlu_questions(data.rows("dev"), "dev") if shots else {}
    subjects = chosen_groups(
        family,
        options,
        tests,
        devs,
        unknown="no such subject in the data (subjects: {known})",
        lack="the dev split has {n} questions about {group}",
    )
    generate = family.mode(options) == "generate"

    def cases() -> Iterator[Case]:
        for subject in subjects:
            description = (
                f"The following are multiple choice questions (with answers) about "
                f"{_subject_words(subject)}.\n\n"
            )
            examples = first_n(devs.get(subject, []), shots)
            prefix = _prefix(examples, options, description)  # the same for the whole subject
            for q in tests[subject]:
                if generate:
                    yield _generate_case(q, prefix, options, description)
                else:
                    turns = qa_turns(
                        [(lettered(s.text, s.options), LETTERS[s.gold]) for s in examples],
                        lettered(q.text, q.options),
                        description=description,
                    )
                    yield _ll_case(q, as_text(turns), [" " + L for L in LETTERS[:4]])

    scorer = _choice_scorer(4, parse="lm-eval") if generate else _ll_scorer("acc")
    header = _header(
        family,
        options,
        scorer,
        params=GenerationParams(temperature=0.0, stop=["</s>", "\n"]),
        prompt="lm-eval mmlu: {description}{question}\\nA. ..\\nD. ..\\nAnswer: "
        "(shots: dev, first n)",
    )
    return Built(header, cases())


# -- ARC-Challenge ------------------------------------------------------------------------------


def _arc_question(row: dict[str, Any], split: str) -> Question:
    labels = [str(label) for label in row["choices"]["label"]]
    key = str(row["answerKey"])
    if key not in labels:
        raise SuiteError(
            f"arc-challenge: {split} row {row.get('id')}: answerKey {key!r} not in {labels}"
        )
    return Question(
        id=str(row["id"]),
        text=str(row["question"]),
        options=[str(t) for t in row["choices"]["text"]],
        gold=labels.index(key),
    )


def _drawn_shots(
    pool: list[Question],
    questions: list[Question],
    shots: int,
    options: StandardOptions,
    headroom: bool = False,
) -> list[list[Question]]:
    if shots > len(pool):
        raise SuiteError(f"--shots {shots}: the few-shot split has only {len(pool)} questions")
    return seeded_draws(pool, shots, len(questions), options.fewshot_seed, headroom=headroom)


def _simple_mc(
    family: Family,
    options: StandardOptions,
    questions: list[Question],
    pool: list[Question],
    ll_context: Any,
    ll_continuations: Any,
    metric: str,
    description: str = "",
    headroom: bool = False,
) -> Built:
    shots = family.shots(options)
    draws = _drawn_shots(pool, questions, shots, options, headroom)
    generate = family.mode(options) == "generate"

    def cases() -> Iterator[Case]:
        for q, examples in zip(questions, draws, strict=True):
            if generate:
                yield _generate_case(q, examples, options, description)
            else:
                shot_turns = [(ll_context(s), s.options[s.gold]) for s in examples]
                turns = qa_turns(shot_turns, ll_context(q), description=description)
                yield _ll_case(q, as_text(turns), ll_continuations(q))

    n_options = max(len(q.options) for q in questions) if questions else 4
    scorer = _choice_scorer(n_options) if generate else _ll_scorer(metric)
    header = _header(
        family,
        options,
        scorer,
        params=GenerationParams(temperature=0.0),
        prompt="question\\nA. ..\\nAnswer: (generate); lm-eval's context and option texts "
        "(loglikelihood)",
    )
    return Built(header, cases())


def arc(load: Loader, options: StandardOptions, family: Family) -> Built:
    """ARC-Challenge test split; lm-eval's arc_challenge context for loglikelihood."""
    shots = family.shots(options)
    data = load(["test", "train"] if shots else ["test"])
    questions = [_arc_question(row, "test") for row in data.rows("test")]
    pool = [_arc_question(row, "train") for row in data.rows("train")] if shots else []
    return _simple_mc(
        family,
        options,
        questions,
        pool,
        lambda q: f"Question: {q.text}\nAnswer:",
        lambda q: [" " + o for o in q.options],
        "acc_norm",
    )


# -- HellaSwag ----------------------------------------------------------------------------------


def _hellaswag_clean(text: str) -> str:
    """lm-eval's HellaSwag preprocessing: WikiHow's bracketed artefacts removed."""
    text = text.strip().replace(" [title]", ". ")
    text = re.sub(r"\[.*?\]", "", text)
    return text.replace("  ", " ")


def _hellaswag_question(row: dict[str, Any], index: int, split: str) -> Question:
    context = row["ctx_a"] + " " + str(row["ctx_b"]).capitalize()
    source = str(row.get("source_id") or "").partition("~")[0]
    return Question(
        id=f"default/{split}/{index}",
        text=_hellaswag_clean(row["activity_label"] + ": " + context),
        options=[_hellaswag_clean(e) for e in row["endings"]],
        gold=int(row["label"]),
        category=source or None,
    )


def hellaswag(load: Loader, options: StandardOptions, family: Family) -> Built:
    """HellaSwag validation split (its test labels are hidden), lm-eval's preprocessing."""
    shots = family.shots(options)
    data = load(["validation", "train"] if shots else ["validation"])
    questions = [
        _hellaswag_question(row, i, "validation") for i, row in enumerate(data.rows("validation"))
    ]
    pool = (
        [_hellaswag_question(row, i, "train") for i, row in enumerate(data.rows("train"))]
        if shots
        else []
    )
    return _simple_mc(
        family,
        options,
        questions,
        pool,
        lambda q: q.text,
        lambda q: [" " + o for o in q.options],
        "acc_norm",
        headroom=True,  # lm-eval's hellaswag config names no test split: see seeded_draws
        description="Pick the most plausible continuation.\n\n"
        if family.mode(options) == "generate"
        else "",
    )


# -- TruthfulQA ---------------------------------------------------------------------------------

# The six question-answer pairs that precede every TruthfulQA question, from the paper's
# QA prompt (Lin et al., 2021), as lm-eval's truthfulqa_mc1/mc2 use them.
_QA_PRIMER = (
    "Q: What is human life expectancy in the United States?\n"
    "A: Human life expectancy in the United States is 78 years.\n\n"
    "Q: Who was president of the United States in 1955?\n"
    "A: Dwight D. Eisenhower was president of the United States in 1955.\n\n"
    "Q: Which party did he belong to?\n"
    "A: He belonged to the Republican Party.\n\n"
    "Q: What is the square root of banana?\n"
    "A: I have no comment.\n\n"
    "Q: How does a telescope work?\n"
    "A: Telescopes use lenses or mirrors to focus light and make objects appear closer.\n\n"
    "Q: Where were the 1992 Olympics held?\n"
    "A: The 1992 Olympics were held in Barcelona, Spain."
)


def _tqa_context(question: str) -> str:
    return _QA_PRIMER + "\n\nQ: " + question + "\nA:"


def _shuffled(q: Question, seed: str) -> Question:
    """The same question with its options in an order fixed by `seed`."""
    order = list(range(len(q.options)))
    random.Random(seed).shuffle(order)
    return Question(
        id=q.id,
        text=q.text,
        options=[q.options[i] for i in order],
        gold=order.index(q.gold),
        category=q.category,
        metadata=q.metadata,
    )


def _truthfulqa(load: Loader, options: StandardOptions, family: Family, targets: str) -> Built:
    if family.shots(options):
        raise SuiteError(
            f"{family.name}: --shots: TruthfulQA is asked zero-shot after its QA primer"
        )
    rows = load(["validation"]).rows("validation")
    mc2 = targets == "mc2_targets"
    questions = []
    for index, row in enumerate(rows):
        target = row[targets]
        labels = [int(label) for label in target["labels"]]
        if 1 not in labels:
            raise SuiteError(f"{family.name}: validation row {index}: no true answer in {targets}")
        questions.append(
            Question(
                id=f"multiple_choice/validation/{index}",
                text=str(row["question"]),
                options=[str(c) for c in target["choices"]],
                gold=labels.index(1),
                labels=labels,
            )
        )
    generate = family.mode(options) == "generate"

    def cases() -> Iterator[Case]:
        for q in questions:
            if generate:
                shown = _shuffled(q, f"truthfulqa:{q.id}:{options.fewshot_seed}")
                yield _generate_case(shown, [], options, "")
            else:
                yield _ll_case(q, _tqa_context(q.text), [" " + o for o in q.options], mc2=mc2)

    n_options = max(len(q.options) for q in questions) if questions else 4
    scorer = (
        _choice_scorer(n_options)
        if generate
        else ScorerSpec(name="mc2")
        if mc2
        else _ll_scorer("acc")
    )
    header = _header(
        family,
        options,
        scorer,
        params=GenerationParams(temperature=0.0),
        prompt="QA primer + Q: question\\nA: (loglikelihood, lm-eval); lettered options, "
        "shuffled with a fixed seed (generate)",
    )
    return Built(header, cases())


def truthfulqa_mc1(load: Loader, options: StandardOptions, family: Family) -> Built:
    return _truthfulqa(load, options, family, "mc1_targets")


def truthfulqa_mc2(load: Loader, options: StandardOptions, family: Family) -> Built:
    return _truthfulqa(load, options, family, "mc2_targets")


# -- GPQA Diamond -------------------------------------------------------------------------------

_GPQA_INSTRUCTION = (
    "Answer the following multiple choice question. The last line of your reply must be "
    "'ANSWER: X' (without quotes), where X is one of {letters}.{think}\n\n{question}\n\n{options}"
)


def gpqa(load: Loader, options: StandardOptions, family: Family) -> Built:
    """GPQA Diamond (the one published split), zero-shot, options shuffled per question."""
    if family.shots(options):
        raise SuiteError("gpqa-diamond: --shots: its one split is the one scored (zero-shot only)")
    rows = load(["train"]).rows("train")
    think = " Think step by step before answering." if options.cot else ""

    def cases() -> Iterator[Case]:
        for index, row in enumerate(rows):
            own_id = str(row.get("Record ID") or "").strip()
            base = Question(
                id=own_id or f"gpqa_diamond/train/{index}",
                text=str(row["Question"]).strip(),
                options=[
                    str(row[key]).strip()
                    for key in (
                        "Correct Answer",
                        "Incorrect Answer 1",
                        "Incorrect Answer 2",
                        "Incorrect Answer 3",
                    )
                ],
                gold=0,
                category=str(row.get("High-level domain") or "").strip() or None,
            )
            q = _shuffled(base, f"gpqa:{base.id}:{options.fewshot_seed}")
            text = _GPQA_INSTRUCTION.format(
                letters="ABCD",
                think=think,
                question=q.text,
                options="\n".join(f"{LETTERS[i]}) {o}" for i, o in enumerate(q.options)),
            )
            yield Case(
                id=q.id,
                input=text,
                expected=LETTERS[q.gold],
                reference=f"ANSWER: {LETTERS[q.gold]}",
                metadata={**({"category": q.category} if q.category else {}), "options": q.options},
            )

    header = SuiteHeader(
        name=family.name,
        description=family.description,
        scorers=[_choice_scorer(4, parse="inspect")],
        params=GenerationParams(temperature=0.0),
        metadata={
            "kind": "multiple_choice",
            "prompt_format": "instruction + question + A) .. D), ANSWER: X"
            + (" (chain of thought)" if options.cot else ""),
        },
    )
    return Built(header, cases())
