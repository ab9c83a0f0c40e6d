"""What a production suite's file says about itself: its content hash and its cases'
review states.

Apart from suite_file.py (which builds and writes suites) because the review
side reads them too (review_file.py, carried_reviews.py), and suite_file.py
carries reviews over when it rebuilds: one module each would import the other.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["REVIEW_REQUIRED", "UNREVIEWED", "content_hash"]

# The review vocabulary of suites/review.py (the run side), spelled here because the samples
# layer does not import suites; tests/samples/test_suite_file.py keeps the two equal.
REVIEW_REQUIRED = "review_required"
UNREVIEWED = "unreviewed"


def content_hash(name: str, scorers: list[Any], cases: list[dict[str, Any]]) -> str:
    """The suite's version: the same name, scorers and cases give the same hash anywhere."""
    text = json.dumps(
        {"name": name, "scorers": scorers, "cases": cases},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
