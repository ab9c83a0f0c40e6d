def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """The n most frequent words, most frequent first, ties alphabetical."""
    raise NotImplementedError
