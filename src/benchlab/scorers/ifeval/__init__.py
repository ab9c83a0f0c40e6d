"""IFEval: does a reply follow verifiable instructions ("answer in under 50 words", "no commas")?

Graded as Google's reference verifiers grade it (lm-evaluation-harness ships
them as `tasks/ifeval/`), strict and loose, at prompt and instruction level,
so a benchlab figure sits beside a published one. `checkers` holds the
verifiers, `registry` maps the dataset's instruction ids to them, `text` the
tokenization they share with the reference (NLTK's Punkt, langdetect), and
`scorer` the `ifeval` scorer.
"""

from benchlab.scorers.ifeval.scorer import IFEvalScorer, ifeval

__all__ = ["IFEvalScorer", "ifeval"]
