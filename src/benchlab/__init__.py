"""benchlab: run benchmark suites against many LLMs, score every answer, keep every run."""

__version__ = "0.1.0"
