"""A planted set of personal data and secrets, and a control set of ordinary text that has none.

The planted values are well-known test values (documentation card numbers, example
IBANs, reserved phone ranges, documentation IP ranges, the vendors' example keys) or
made up in the right format; none is a real person's or a live key.
"""

from __future__ import annotations

# kind -> (sentence, the exact value that must be redacted) pairs
PLANTED: dict[str, list[tuple[str, str]]] = {
    "email": [
        ("Please write to jane.doe@example.com for help.", "jane.doe@example.com"),
        (
            "cc: Max.Mustermann+billing@mail.example.co.uk, thanks",
            "Max.Mustermann+billing@mail.example.co.uk",
        ),
        ("Mein Login ist ö.user_42@beispiel.de", "user_42@beispiel.de"),
        ("<ops@sub.domain.io>", "ops@sub.domain.io"),
    ],
    "phone": [
        ("Call me at +1 415-555-2671 tomorrow.", "+1 415-555-2671"),
        ("My number is (212) 555-0188.", "(212) 555-0188"),
        ("Ruf an: +49 30 901820", "+49 30 901820"),
        ("UK office +44 20 7946 0958, ask for Sam", "+44 20 7946 0958"),
        ("Tél : +33 1 42 68 53 00", "+33 1 42 68 53 00"),
        ("text 650.555.0123 after 5pm", "650.555.0123"),
    ],
    "card": [
        ("My card 4111 1111 1111 1111 was declined", "4111 1111 1111 1111"),
        ("charged 5555-5555-5555-4444 twice", "5555-5555-5555-4444"),
        ("amex 378282246310005 expired", "378282246310005"),
        ("Visa: 4012888888881881.", "4012888888881881"),
        ("discover 6011 1111 1111 1117 please", "6011 1111 1111 1117"),
    ],
    "iban": [
        ("Überweisung an DE89 3704 0044 0532 0130 00 bitte", "DE89 3704 0044 0532 0130 00"),
        ("IBAN GB29NWBK60161331926819 is mine", "GB29NWBK60161331926819"),
        ("mon IBAN: FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606"),
        ("nl91abna0417164300", "nl91abna0417164300"),
    ],
    "ip": [
        ("The server at 192.168.1.20 is down", "192.168.1.20"),
        ("DNS 8.8.8.8, then 203.0.113.7.", "203.0.113.7"),
        ("ping 2001:db8::ff00:42:8329 fails", "2001:db8::ff00:42:8329"),
        ("bound to ::1 and fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"),
        (
            "full form 2001:0db8:85a3:0000:0000:8a2e:0370:7334 here",
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        ),
    ],
    "secret": [
        ("aws key AKIAIOSFODNN7EXAMPLE in the config", "AKIAIOSFODNN7EXAMPLE"),
        (
            "token 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 leaked",
            "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",
        ),
        (
            "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        ),
        ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc ok", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        (
            "OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z here",
            "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
        ),
        (
            "anthropic sk-ant-api03-Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7",
            "sk-ant-api03-Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7",
        ),
        ("hf token hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567"),
        (
            "Authorization: Bearer eyAbC123dEf456gHi789jKl012mNo345",
            "eyAbC123dEf456gHi789jKl012mNo345",
        ),
        ("db at postgres://admin:Sup3rS3cret@db.internal:5432/app", "Sup3rS3cret"),
        (
            "google AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW",
            "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW",
        ),
    ],
}

# Ordinary support traffic with numbers that are none of the kinds above.
CONTROL: list[str] = [
    "How do I reset my password?",
    "Où est ma commande n° 4521 ?",
    "My order 1234567890123 has not arrived yet.",
    "Tracking number 9400 1000 0000 0000 0000 00, shipped on 2026-12-07.",
    "The invoice INV-2026-000123 shows $1,299.99 instead of $999.00.",
    "I upgraded to v1.2.3.4 and then to version 10.0.19041.1 of the app.",
    "Release 2.14.0 broke the export; 2.13.9 worked.",
    "The meeting is at 12:30:45 on 07/12/2026, room 4.2.",
    "Call it at 9 or 10, whichever suits; we have 3 kids and 2 dogs.",
    "Step 1: open Settings. Step 2: tap Account (about 25 seconds).",
    "Our revenue grew 12.5% to 1,234,567 euros in Q3 2026.",
    "Use the function std::vector<int> and a::b in C++.",
    "ISBN 978-3-16-148410-0 is the book I mean.",
    "Coordinates 48.8566, 2.3522 are in Paris.",
    "Patch ID a3f5c9e1b7d2 and commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904 fixed it.",
    "Sample id 5f0c8e2a9d4b4c7e8f1a2b3c4d5e6f70 was logged.",
    "UUID 123e4567-e89b-12d3-a456-426614174000 is the request.",
    "The temperature was 21.5 degrees and the pressure 1013 hPa.",
    "Write to support via the contact form, not by email.",
    "Chapter 3.2.1 explains the @decorator syntax.",
    "Score: 4/5, would buy again. Price per unit 0.25.",
    "The password must have 12 characters and one digit.",
    "Bank code 37040044 and the sort code 60-16-13 are not enough.",
    "ratio 16:9, resolution 1920x1080, 60 Hz",
    "Mac address book lists 42 contacts.",
    "ABCD1234EFGH5678 is our internal SKU.",
]
