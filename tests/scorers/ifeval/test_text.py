"""The shared text measures: Punkt sentences, word runs, NLTK tokens, a seeded langdetect."""

from __future__ import annotations

from benchlab.scorers.ifeval.text import (
    count_sentences,
    count_words,
    detect_language,
    word_tokens,
)


def test_sentences_follow_the_punkt_model_on_the_data_path() -> None:
    # Our test model knows "dr" as an abbreviation: Dr. does not end a sentence.
    assert count_sentences("Dr. Smith came. He left! Did he?") == 3
    assert count_sentences("") == 0


def test_words_are_runs_of_word_characters() -> None:
    assert count_words("don't e-mail café 3.14") == 7


def test_tokens_are_nltks_treebank_tokens() -> None:
    assert word_tokens("HELLO, WORLD. It's OK!") == [
        "HELLO", ",", "WORLD", ".", "It", "'s", "OK", "!",
    ]  # fmt: skip


def test_language_detection_is_reproducible_and_none_without_letters() -> None:
    text = "Le temps est très beau aujourd'hui et nous allons au parc."
    assert {detect_language(text) for _ in range(5)} == {"fr"}
    assert detect_language("12345 ...") is None
