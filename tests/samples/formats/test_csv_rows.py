"""CSV: named columns, metadata.* columns, chat inputs as JSON cells, multi-line cells."""

from __future__ import annotations

from pathlib import Path

from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats import Bad, Parsed, detect_format
from benchlab.samples.formats.csv_rows import read_csv


def test_columns_map_onto_the_sample(tmp_path: Path) -> None:
    path = tmp_path / "export"  # no extension: the header tells
    path.write_text(
        "id,timestamp,input,output,feedback_score,feedback_label,feedback_comment,model,"
        "metadata.category,extra\n"
        'a1,2026-11-02T10:00:00Z,"[{""role"": ""user"", ""content"": ""hi""}]","line one\n'
        'line two",0.5,meh,"slow, but right",m1,billing,ignored\n'
        "a2,1764547200,[not json],ok,,,,,,\n"
        "a3,,q,a,lots,,,,,\n"
    )
    assert detect_format(path) == "csv"
    first, second, third = list(read_csv(DecodedLines(path)))
    assert isinstance(first, Parsed) and isinstance(second, Parsed) and isinstance(third, Bad)
    assert first.line == 2 and second.line == 4 and third.line == 5
    sample = first.sample
    assert sample.input == [{"role": "user", "content": "hi"}]
    assert sample.output == "line one\nline two"
    assert (sample.feedback_score, sample.feedback_label) == (0.5, "meh")
    assert sample.feedback_comment == "slow, but right"
    assert sample.metadata == {"category": "billing"} and sample.sample_id == "a1"
    assert second.sample.input == "[not json]" and second.sample.metadata == {}
    assert second.sample.timestamp is not None and second.sample.timestamp.year == 2025
    assert "feedback_score" in third.reason


def test_a_header_without_input_or_output_is_one_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("question,answer\nq,a\n")
    (bad,) = list(read_csv(DecodedLines(path)))
    assert isinstance(bad, Bad) and bad.line == 1 and "input, output" in bad.reason


def test_a_semicolon_tab_or_bar_delimited_export_is_read_by_its_header(tmp_path: Path) -> None:
    """A spreadsheet where the comma is the decimal mark exports with semicolons; a header
    that names the columns only when split otherwise tells the delimiter."""
    for name, delimiter in (("excel.csv", ";"), ("export.tsv", "\t"), ("log.txt", "|")):
        path = tmp_path / name
        path.write_bytes(
            f"\ufeffinput{delimiter}output{delimiter}metadata.category\r\n"
            f'"a, b{delimiter} c"{delimiter}ok{delimiter}x\r\n'
            f"second{delimiter}fine{delimiter}\r\n"
            f"short row\r\n".encode()
        )
        assert detect_format(path) == "csv", name
        first, second, bad = list(read_csv(DecodedLines(path)))
        assert isinstance(first, Parsed) and isinstance(second, Parsed), name
        assert first.sample.input == f"a, b{delimiter} c" and first.sample.output == "ok"
        assert first.sample.metadata == {"category": "x"} and second.sample.input == "second"
        assert isinstance(bad, Bad) and bad.line == 4 and "1 cells, the header has 3" in bad.reason
