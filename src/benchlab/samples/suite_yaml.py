"""Reading and writing a production suite's YAML with libyaml where PyYAML has it.

A review rewrites the whole suite file under its lock (review_file.py), and
every page of the review queue reads it whole: with PyYAML's pure-Python
loader and dumper a suite of 500 built cases cost about 0.5 s of CPU to read
and 0.9 s to write, so reviewers queued behind each other's writes for
seconds, and past the lock's timeout got a 409 for no conflict at all. The
C classes (`CSafeLoader`, under the suite loader's resolvers, and
`CSafeDumper`) build and emit the same documents, several times faster
(bench/review_write.py); the pure-Python ones stand in where PyYAML was built
without libyaml.
"""

from __future__ import annotations

from typing import Any

import yaml

from benchlab.format.yaml_text import suite_yaml_loader

__all__ = ["dump_suite", "load_suite_yaml"]

_DUMPER: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_suite_yaml(data: bytes | str) -> Any:
    """The document as `benchlab run` reads it (benchlab.format.yaml_text): `yes`, `no`, `on`,
    `off` and dates stay text. Read with YAML 1.1's resolvers (`yaml.safe_load`), a hand-
    written `expected: yes` became True, and a review wrote it back as `true`: the run then
    asked for another answer. Raises yaml.YAMLError."""
    return yaml.load(data, Loader=suite_yaml_loader())  # a safe loader, C where there is C


def dump_suite(document: dict[str, Any]) -> bytes:
    """The suite as the build writes it: keys in order, text as text, lines of 100."""
    text: str = yaml.dump(document, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)
    return text.encode("utf-8")
