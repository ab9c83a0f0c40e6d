"""YAML read as benchmark files mean it: answers and ids stay the text they were written as.

Here, below both, because the suite loader (`benchlab run`) and the production
samples' review queue (which reads a suite, changes a case and writes it back)
must read a file identically, and samples may not import suites.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["suite_yaml_loader"]


@functools.cache
def suite_yaml_loader() -> type[Any]:
    """A safe YAML loader that keeps answers as written (also what the review queue reads a
    suite with before writing it back: samples/suite_yaml.py).

    YAML 1.1 turns `2024-03-31` into a date and `yes`/`no`/`on`/`off` into
    booleans; in a benchmark those are expected answers and ids, so only
    `true`/`false` stay booleans and dates stay text.
    """
    import yaml

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    bool_tag = "tag:yaml.org,2002:bool"
    dropped = (bool_tag, "tag:yaml.org,2002:timestamp")
    loader: type[Any] = type("SuiteLoader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in dropped]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return loader
