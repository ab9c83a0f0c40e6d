"""The cleaning options of the `samples` commands, shared by `stats` and `build`.

Their defaults repeat samples/dedupe.py's and samples/redact.py's as literals so that
loading the CLI does not import numpy or the detectors (tests/cli/test_lazy_commands.py).
"""

from typing import Annotated

import typer

__all__ = ["KeepPiiOpt", "NearThresholdOpt", "PhoneRegionOpt"]

NearThresholdOpt = Annotated[
    float,
    typer.Option(
        "--near-threshold",
        min=0.01,
        max=1.0,
        help="Near duplicates: inputs whose character 5-grams have a Jaccard similarity at or "
        "above this (MinHash estimate) fold into one.",
    ),
]
KeepPiiOpt = Annotated[
    bool,
    typer.Option(
        "--keep-pii",
        help="Do NOT redact e-mails, phone numbers, card numbers, IBANs, IP addresses and "
        "API keys (they are still counted). Only for data that may hold them.",
    ),
]
PhoneRegionOpt = Annotated[
    str,
    typer.Option(
        "--phone-region",
        help="The country whose national phone numbers are recognised (ISO code); "
        "numbers written with + are recognised whatever it is.",
    ),
]
