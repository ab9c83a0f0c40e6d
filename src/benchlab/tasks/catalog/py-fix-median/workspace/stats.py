def median(values: list[float]) -> float:
    """The median of the values (the mean of the middle two for an even count)."""
    middle = len(values) // 2
    return values[middle]
