import re
from collections import Counter


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """The n most frequent words, most frequent first, ties alphabetical."""
    counts = Counter(word.lower() for word in re.findall(r"[A-Za-z']+", text))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
