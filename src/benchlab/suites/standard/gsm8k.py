"""GSM8K as lm-evaluation-harness asks it: `gsm8k` (5 shots from train) and `gsm8k_cot`.

Plain: "Question: ...\\nAnswer:", each shot answered with the dataset's full
worked answer (ending "#### N"), shots drawn from the train split with
lm-eval's seed; stop at "Question:". Chain of thought (`--cot`): the eight
exemplars of the chain-of-thought paper (Wei et al., 2022) as "Q: ...\\nA:",
answers ending "The answer is N."; stop at "Q:". The `gsm8k` scorer applies
lm-eval's strict-match and flexible-extract filters to the reply.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchlab.domain import Case, GenerationParams, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.standard.family import Built, Family, Loader
from benchlab.suites.standard.options import StandardOptions
from benchlab.suites.standard.turns import case_input, qa_turns, seeded_draws

__all__ = ["COT_EXEMPLARS", "gsm8k"]

# (question, worked answer) from Wei et al. (2022), "Chain-of-Thought Prompting Elicits
# Reasoning in Large Language Models", the exemplars lm-eval's gsm8k_cot uses.
COT_EXEMPLARS: tuple[tuple[str, str], ...] = (
    (
        "There are 15 trees in the grove. Grove workers will plant trees in the grove today. "
        "After they are done, there will be 21 trees. How many trees did the grove workers "
        "plant today?",
        "There are 15 trees originally. Then there were 21 trees after some more were planted. "
        "So there must have been 21 - 15 = 6. The answer is 6.",
    ),
    (
        "If there are 3 cars in the parking lot and 2 more cars arrive, how many cars are in "
        "the parking lot?",
        "There are originally 3 cars. 2 more cars arrive. 3 + 2 = 5. The answer is 5.",
    ),
    (
        "Leah had 32 chocolates and her sister had 42. If they ate 35, how many pieces do "
        "they have left in total?",
        "Originally, Leah had 32 chocolates. Her sister had 42. So in total they had 32 + 42 "
        "= 74. After eating 35, they had 74 - 35 = 39. The answer is 39.",
    ),
    (
        "Jason had 20 lollipops. He gave Denny some lollipops. Now Jason has 12 lollipops. "
        "How many lollipops did Jason give to Denny?",
        "Jason started with 20 lollipops. Then he had 12 after giving some to Denny. So he "
        "gave Denny 20 - 12 = 8. The answer is 8.",
    ),
    (
        "Shawn has five toys. For Christmas, he got two toys each from his mom and dad. How "
        "many toys does he have now?",
        "Shawn started with 5 toys. If he got 2 toys each from his mom and dad, then that is "
        "4 more toys. 5 + 4 = 9. The answer is 9.",
    ),
    (
        "There were nine computers in the server room. Five more computers were installed "
        "each day, from monday to thursday. How many computers are now in the server room?",
        "There were originally 9 computers. For each of 4 days, 5 more computers were added. "
        "So 5 * 4 = 20 computers were added. 9 + 20 is 29. The answer is 29.",
    ),
    (
        "Michael had 58 golf balls. On tuesday, he lost 23 golf balls. On wednesday, he lost "
        "2 more. How many golf balls did he have at the end of wednesday?",
        "Michael started with 58 golf balls. After losing 23 on tuesday, he had 58 - 23 = 35. "
        "After losing 2 more, he had 35 - 2 = 33 golf balls. The answer is 33.",
    ),
    (
        "Olivia has $23. She bought five bagels for $3 each. How much money does she have left?",
        "Olivia had 23 dollars. 5 bagels for 3 dollars each will be 5 x 3 = 15 dollars. So "
        "she has 23 - 15 dollars left. 23 - 15 is 8. The answer is 8.",
    ),
)


def _final(answer: str) -> str:
    return answer.split("####")[-1].strip()


def gsm8k(load: Loader, options: StandardOptions, family: Family) -> Built:
    cot = options.cot
    shots = (8 if options.shots is None else options.shots) if cot else family.shots(options)
    if cot and shots > len(COT_EXEMPLARS):
        raise SuiteError(f"gsm8k: --cot --shots {shots}: the chain-of-thought prompt has 8")
    data = load(["test", "train"] if shots and not cot else ["test"])
    rows = data.rows("test")
    if cot:
        fixed = list(COT_EXEMPLARS[:shots])
        draws = [fixed] * len(rows)
    else:
        pool = (
            [(f"Question: {r['question']}\nAnswer:", str(r["answer"])) for r in data.rows("train")]
            if shots
            else []
        )
        if shots > len(pool) and shots:
            raise SuiteError(f"gsm8k: --shots {shots}: the train split has {len(pool)} questions")
        draws = seeded_draws(pool, shots, len(rows), options.fewshot_seed)

    def cases() -> Iterator[Case]:
        for index, (row, examples) in enumerate(zip(rows, draws, strict=True)):
            answer = str(row["answer"])
            if cot:
                examples = [(f"Q: {q}\nA:", a) for q, a in examples]
                question = f"Q: {row['question']}\nA:"
                reference = f"{answer.split('####')[0].strip()} The answer is {_final(answer)}."
            else:
                question = f"Question: {row['question']}\nAnswer:"
                reference = answer
            turns = qa_turns(examples, question)
            yield Case(
                id=f"main/test/{index}",
                input=case_input(turns, multiturn=options.fewshot_as_multiturn),
                expected=answer,
                reference=reference,
            )

    header = SuiteHeader(
        name=family.name,
        description=family.description,
        scorers=[ScorerSpec(name="gsm8k", options={"variant": "cot"} if cot else {})],
        params=GenerationParams(
            temperature=0.0,
            stop=["Q:", "</s>", "<|im_end|>"] if cot else ["Question:", "</s>", "<|im_end|>"],
        ),
        metadata={
            "kind": "math",
            "prompt_format": "lm-eval gsm8k_cot: Q: ..\\nA: (8 exemplars)"
            if cot
            else "lm-eval gsm8k: Question: ..\\nAnswer: (shots from train, seed 1234)",
        },
    )
    return Built(header, cases())
