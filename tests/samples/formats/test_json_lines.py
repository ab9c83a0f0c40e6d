"""formats/json_lines.py, the line loop our JSONL and OpenAI chat logs share: lines keep their
numbers past blank and bad ones, a line that is not JSON and a value the format refuses are
each one bad line with a reason, and a fault that is not a refusal is not swallowed."""

from __future__ import annotations

from typing import Any

import pytest

from benchlab.samples.formats import Bad, Parsed
from benchlab.samples.formats.json_lines import read_json_lines
from benchlab.samples.formats.jsonl import read_jsonl
from benchlab.samples.formats.openai_chat import read_openai_chat
from benchlab.samples.record import ImportedSample


def _sample(data: Any) -> ImportedSample:
    if data.get("boom"):
        raise RuntimeError("a bug, not a bad line")
    if "q" not in data:
        raise KeyError  # no message: the reason is the exception's name
    if not isinstance(data["q"], str):
        raise ValueError("q: not text")
    return ImportedSample(input=data["q"], output="a")


def test_lines_keep_their_numbers_and_bad_ones_say_why() -> None:
    lines = ['{"q": "one"}\n', "\n", "   \n", "{not json\n", '{"q": 2}\n', "{}\n", '{"q": "six"}']
    items = list(read_json_lines(lines, _sample))
    assert [(type(i).__name__, i.line) for i in items] == [
        ("Parsed", 1),
        ("Bad", 4),
        ("Bad", 5),
        ("Bad", 6),
        ("Parsed", 7),
    ]
    bad = [i.reason for i in items if isinstance(i, Bad)]
    assert bad[0].startswith("not JSON: ") and bad[1:] == ["q: not text", "KeyError"]
    assert [i.sample.input for i in items if isinstance(i, Parsed)] == ["one", "six"]


def test_a_fault_that_is_not_a_refusal_stops_the_read() -> None:
    with pytest.raises(RuntimeError, match="a bug"):
        list(read_json_lines(['{"q": "ok"}\n', '{"boom": true}\n'], _sample))


@pytest.mark.parametrize("reader", [read_jsonl, read_openai_chat])
def test_both_formats_report_a_broken_and_a_refused_line_alike(reader: Any) -> None:
    items = list(reader(["\n", "{not json\n", "[1, 2]\n"]))
    assert [type(i) for i in items] == [Bad, Bad]
    assert [i.line for i in items] == [2, 3]
    assert items[0].reason.startswith("not JSON: unexpected character")
    assert items[1].reason  # the format's own words for what is wrong with a list
