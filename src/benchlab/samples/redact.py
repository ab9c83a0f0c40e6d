"""Finding and redacting personal data and secrets in production samples.

Nothing from a user's traffic is written to a suite before this has run
(unless the caller opts out with `keep_pii`). Each kind is found by a
detector that checks what a pattern alone cannot tell:

- email: an address (`local@domain.tld`);
- phone: Google's libphonenumber (`phonenumbers`), numbers valid for their
  country and grouped as that country writes them (`+` numbers anywhere;
  national ones read in `phone_region`), and not glued to an identifier, so a
  date, a version or an order number is not a phone number;
- card: 13 to 19 digits (spaces or dashes between) that pass the Luhn check
  and start as a card brand does (4, 51-55, 22-27, 34/37, 30/36/38/39, 35, 6),
  so most order and tracking numbers are left alone;
- iban: two letters, two check digits, up to 30 more, passing the ISO 13616
  mod-97 check;
- ip: IPv4 and IPv6 addresses (Python's `ipaddress` validates them); a dotted
  quad written as a version (`v1.2.3.4`, `version 1.2.3.4`) is not an address;
- secret: API keys and tokens in the formats Yelp's detect-secrets knows
  (AWS, GitHub, GitLab, Slack, Stripe, Twilio, SendGrid, npm, PyPI, JWT,
  private key blocks, passwords in URLs, ...; its regex plugins, called on
  strings, offline), plus the formats it lacks (OpenAI/Anthropic `sk-...`,
  Hugging Face `hf_...`, Google `AIza...`, `Bearer` tokens). Its entropy
  plugins are not used: they flag every hash, UUID and sample id, and its
  keyword plugin reads code assignments, not prose.

Presidio is not used: its analyzer needs a spaCy language model, which pip
cannot fetch from the package registry, and its pattern recognizers would add
a heavy dependency for what these checks already do. Names of people are out
of scope (no model-free method does well enough).

A found span is replaced by its kind's placeholder (`[EMAIL]`, `[PHONE]`,
`[CARD]`, `[IBAN]`, `[IP]`, `[SECRET]`); where two findings overlap, the kind
earlier in `PII_KINDS` (the more specific check) wins, then the earlier, then
the longer.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["DEFAULT_PHONE_REGION", "PII_KINDS", "Finding", "find_pii", "placeholder", "redact"]

# Most specific first: the order that settles two findings of the same span.
PII_KINDS = ("secret", "email", "iban", "card", "ip", "phone")
DEFAULT_PHONE_REGION = "US"

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])")
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d]|-\d)")
_CARD_BRAND = re.compile(r"4|5[1-5]|2[2-7]|3[47]|3[0689]|35|6")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
_VERSION_BEFORE = re.compile(r"(?:\bv|\bversion\s*|\bver\.?\s*)$", re.IGNORECASE)
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|:|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])"
)
_PHONE_HINT = re.compile(r"\d[\d\s().\-/]{5,}\d")
_OWN_SECRETS = (
    re.compile(r"\bsk-(?:proj-|ant-(?:api\d\d-)?|svcacct-)?[A-Za-z0-9_-]{20,}"),
    re.compile(r"\bhf_[A-Za-z0-9]{30,}\b"),
    re.compile(r"\bAIza[0-9A-Za-z_-]{35}"),
    re.compile(r"\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)"),
)
# Every secret pattern used needs one of these (a key or token is a run of 11 or more key
# characters, a password in a URL follows "://", a private key has its header), so a text
# without any is not scanned by the ~45 patterns, most of which try every position.
_SECRET_HINT = re.compile(r"[A-Za-z0-9_\-+/=]{11}|://|PRIVATE KEY|PuTTY-User-Key")
# detect-secrets plugins left out (see the module's docstring).
_SKIPPED_PLUGINS = {
    "IPPublicDetector",
    "Base64HighEntropyString",
    "HexHighEntropyString",
    "KeywordDetector",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data or secret: its kind and where it is in the text."""

    kind: str
    start: int
    end: int


def placeholder(kind: str) -> str:
    return f"[{kind.upper()}]"


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _iban_valid(candidate: str) -> bool:
    code = candidate.replace(" ", "").upper()
    if not 15 <= len(code) <= 34 or not code[:2].isalpha() or not code[2:4].isdigit():
        return False
    rearranged = code[4:] + code[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def _emails(text: str) -> Iterator[Finding]:
    if "@" not in text:
        return
    for match in _EMAIL.finditer(text):
        yield Finding("email", match.start(), match.end())


def _cards(text: str) -> Iterator[Finding]:
    for match in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if 13 <= len(digits) <= 19 and _CARD_BRAND.match(digits) and _luhn(digits):
            yield Finding("card", match.start(), match.end())


def _ibans(text: str) -> Iterator[Finding]:
    for match in _IBAN.finditer(text):
        candidate = match.group()
        # The pattern may have run into the next word: drop trailing groups until it checks.
        while candidate:
            if _iban_valid(candidate):
                yield Finding("iban", match.start(), match.start() + len(candidate))
                break
            cut = candidate.rfind(" ")
            candidate = candidate[:cut] if cut > 0 else ""


def _ips(text: str) -> Iterator[Finding]:
    for match in _IPV4.finditer(text):
        if _VERSION_BEFORE.search(text, 0, match.start()):
            continue
        try:
            ipaddress.IPv4Address(match.group())
        except ValueError:
            continue
        yield Finding("ip", match.start(), match.end())
    if text.count(":") < 2:
        return
    for match in _IPV6.finditer(text):
        candidate = match.group()
        if sum(char not in ":." for char in candidate) < 3:
            continue
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        yield Finding("ip", match.start(), match.end())


def _phones(text: str, region: str | None) -> Iterator[Finding]:
    if not _PHONE_HINT.search(text):
        return
    import phonenumbers

    matcher = phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.STRICT_GROUPING, max_tries=200
    )
    for match in matcher:
        # Digits glued to an identifier (`INV-2026-000123`, `A/202-555`) are part of it.
        if match.start and (text[match.start - 1].isalnum() or text[match.start - 1] in "-/_#"):
            continue
        yield Finding("phone", match.start, match.end)


@cache
def _secret_plugins() -> tuple[Any, ...]:
    """detect-secrets' regex plugins, built once (importing them costs ~50 ms)."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    classes: list[type[Any]] = list(get_mapping_from_secret_type_to_class().values())
    return tuple(
        cls()
        for cls in sorted(classes, key=lambda c: c.__name__)
        if issubclass(cls, RegexBasedDetector) and cls.__name__ not in _SKIPPED_PLUGINS
    )


def _secrets(text: str) -> Iterator[Finding]:
    if not _SECRET_HINT.search(text):
        return
    patterns = [p for plugin in _secret_plugins() for p in plugin.denylist]
    for pattern in (*patterns, *_OWN_SECRETS):
        for match in pattern.finditer(text):
            # A pattern's first group is the secret itself (a URL's password) when it is long
            # enough to be one; a short one is a prefix (GitHub's `ghp`): take the whole match.
            group = 1 if pattern.groups and len(match.group(1) or "") >= 8 else 0
            yield Finding("secret", match.start(group), match.end(group))


def find_pii(text: str, *, phone_region: str | None = DEFAULT_PHONE_REGION) -> list[Finding]:
    """Every finding in `text`, in order, none overlapping another (see the module's docstring)."""
    detectors: tuple[Callable[[], Iterator[Finding]], ...] = (
        lambda: _secrets(text),
        lambda: _emails(text),
        lambda: _ibans(text),
        lambda: _cards(text),
        lambda: _ips(text),
        lambda: _phones(text, phone_region),
    )
    found = [finding for detector in detectors for finding in detector()]
    found.sort(key=lambda f: (PII_KINDS.index(f.kind), f.start, f.start - f.end))
    chosen: list[Finding] = []
    for finding in found:
        if any(finding.start < c.end and c.start < finding.end for c in chosen):
            continue
        chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)


def redact(
    text: str, *, phone_region: str | None = DEFAULT_PHONE_REGION
) -> tuple[str, Counter[str]]:
    """`text` with every finding replaced by its placeholder, and the count per kind."""
    findings = find_pii(text, phone_region=phone_region)
    if not findings:
        return text, Counter()
    parts: list[str] = []
    position = 0
    for finding in findings:
        parts.append(text[position : finding.start])
        parts.append(placeholder(finding.kind))
        position = finding.end
    parts.append(text[position:])
    return "".join(parts), Counter(finding.kind for finding in findings)
