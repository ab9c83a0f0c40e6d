"""Suites: loading and validating suite files, sampling cases, rendering prompts.

Importing this package stays cheap (no YAML or Jinja2 until a suite is read or
a renderer built), because every `benchlab` command goes through it.
"""

from benchlab.suites.loader import LoadedSuite, builtin_suites, load_suite
from benchlab.suites.sampling import sample_suite, select_cases
from benchlab.suites.template import PromptRenderer

__all__ = [
    "LoadedSuite",
    "PromptRenderer",
    "builtin_suites",
    "load_suite",
    "sample_suite",
    "select_cases",
]
