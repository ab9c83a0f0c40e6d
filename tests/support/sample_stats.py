"""A small production log whose statistics are known exactly (volume, categories, feedback,
duplicates, personal data), for `samples stats` and the cleaning tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BASES = [
    "How do I reset the password of my account when the e-mail link has expired?",
    "Can I change the billing address printed on an invoice that was already sent?",
    "Why was my card declined at checkout even though the bank says it is fine?",
    "Is the café on the main square open on Sundays and public holidays?",
    "Where is my parcel? The tracking page has not moved since last Monday.",
    "How many seats does the pro plan include, and can we add more later?",
    "Can I export all of my data as a CSV file before closing the account?",
    "The app crashes every time I open the settings page on my phone.",
    "Do you ship to Switzerland, and who pays the customs fees on arrival?",
    "My discount code says it expired, but the newsletter said it runs all month.",
]
PII_INPUTS = [
    ("My email is ana.silva@example.com", "email"),
    ("Call +1 415-555-2671 now please", "phone"),
    ("Card 4111 1111 1111 1111 failed", "card"),
    ("Server 192.168.1.20 is down", "ip"),
    ("IBAN GB29NWBK60161331926819 rejected", "iban"),
]
START = datetime(2026, 11, 30, 8, tzinfo=UTC)  # a Monday: days 0-2 are in ISO week 49

# What the file holds.
TOTAL = 40
VOLUME = {"2026-11-30": 10, "2026-12-01": 20, "2026-12-02": 10}
EXACT_DUPLICATES = 20  # samples 10-29 repeat the inputs of 0-9
NEAR_DUPLICATES = 5  # samples 30-34: a base with " Thanks!" appended
PII = {"secret": 0, "email": 1, "iban": 1, "card": 1, "ip": 1, "phone": 1}


def _day(i: int) -> int:
    return 0 if i < 10 else 1 if i < 30 else 2


def sample(i: int) -> dict[str, Any]:
    if i < 30:
        text = BASES[i % 10]
    elif i < 35:
        text = BASES[i - 30] + " Thanks!"
    else:
        text = PII_INPUTS[i - 35][0]
    score = 1.0 if i % 4 == 0 else 0.0 if i % 4 == 1 else None
    return {
        "id": f"s{i}",
        "timestamp": (START + timedelta(days=_day(i), minutes=i)).isoformat(),
        "input": [{"role": "user", "content": text}] if i % 3 == 0 else text,
        "output": "We are looking into it.",
        "feedback": None if score is None else {"score": score, "label": "up" if score else "down"},
        "metadata": {} if i >= 35 else {"category": "billing" if i % 2 else "account"},
        "model": "openai/gpt-4o-mini",
    }


def write_log(path: Path) -> Path:
    path.write_text("".join(json.dumps(sample(i)) + "\n" for i in range(TOTAL)), encoding="utf-8")
    return path


CATEGORIES = {"account": 18, "billing": 17, "(none)": 5}
FEEDBACK_LABELS = {"up": 10, "down": 10}
FEEDBACK_SCORES = {"0": 10, "1": 10}
WITHOUT_FEEDBACK = 20
