"""The cleaning options of the `samples` commands, shared by `stats` and `build`.

Their defaults repeat samples/dedupe.py's and samples/redact.py's as literals so that
loading the CLI does not import numpy or the detectors (tests/cli/test_lazy_commands.py).
"""

from typing import Annotated

import typer

__all__ = ["KeepPiiOpt", "NearThresholdOpt", "PhoneRegionOpt", "phone_region_code"]

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


def phone_region_code(value: str) -> str:
    """--phone-region as a country libphonenumber knows: an unknown one would recognise no
    national number at all, and so redact none, without a word."""
    import phonenumbers

    from benchlab.errors import UserError

    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise UserError(
            f"--phone-region {value}: not a country code libphonenumber knows (US, GB, DE, ...)"
        )
    return code
