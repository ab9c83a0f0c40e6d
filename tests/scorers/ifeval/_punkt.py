"""A small English Punkt model of our own, in NLTK's `punkt_tab` file format.

NLTK's trained model cannot be downloaded here; the verifiers only need *a*
model, the same one on both sides, for the parity with the reference to mean
something. Ours knows the common abbreviations, so "Dr. Smith" or "e.g. this"
do not end a sentence, and a few orthographic facts for the heuristics.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_punkt_model"]

ABBREVIATIONS = [
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "st",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "corp",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "a.m",
    "p.m",
    "jan",
    "feb",
    "mar",
    "apr",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "no",
    "fig",
    "ph.d",
    "approx",
    "dept",
]
SENTENCE_STARTERS = [
    "however",
    "but",
    "and",
    "the",
    "this",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "in",
    "so",
]
COLLOCATIONS = (("##number##", "january"), ("##number##", "may"), ("st", "louis"))
# Orthographic context flags (Punkt's bits: 2 upper at start, 4 upper mid, 16 lower at
# start, 32 lower mid): which case each word was seen in, where.
ORTHO_CONTEXT = {
    "the": 2 | 32,
    "however": 2,
    "smith": 2 | 4,
    "this": 2 | 32,
    "it": 2 | 32,
    "is": 32,
    "data": 32 | 2,
    "python": 4 | 2,
}


def write_punkt_model(root: Path) -> Path:
    """Write the model under `root` as NLTK lays out its data; returns `root`."""
    folder = root / "tokenizers" / "punkt_tab" / "english"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "abbrev_types.txt").write_text("\n".join(ABBREVIATIONS), encoding="utf-8")
    (folder / "sent_starters.txt").write_text("\n".join(SENTENCE_STARTERS), encoding="utf-8")
    (folder / "collocations.tab").write_text(
        "\n".join("\t".join(pair) for pair in COLLOCATIONS), encoding="utf-8"
    )
    (folder / "ortho_context.tab").write_text(
        "\n".join(f"{word}\t{flags}" for word, flags in ORTHO_CONTEXT.items()), encoding="utf-8"
    )
    return root
