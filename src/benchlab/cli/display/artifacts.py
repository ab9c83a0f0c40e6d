"""Printing an attempt's artifacts (`benchlab show RUN_ID --attempt ...`) for a terminal."""

from __future__ import annotations

import sys
from typing import Any


def print_attempts(found: list[dict[str, Any]]) -> None:
    out = sys.stdout.write
    for item in found:
        verdict = {True: "passed", False: "failed", None: "no verdict"}[item["passed"]]
        out(
            f"== attempt {item['attempt_id']}  case {item['case_id']}  model {item['model']}  "
            f"sample {item['sample']}  {verdict}\n   files in {item['folder']}\n"
        )
        if item.get("error_type"):
            out(f"   error {item['error_type']}: {item.get('error') or ''}\n")
        for score in item.get("scores", []):
            mark = {True: "pass", False: "fail", None: "-"}[score["passed"]]
            value = "-" if score["value"] is None else f"{score['value']:g}"
            where = f" (pass {score['pass_no']})" if score.get("pass_no") else ""
            out(f"   score {score['scorer']}{where}: {value} {mark}")
            explanation = (score.get("explanation") or "").strip()
            out(f" · {explanation}\n" if explanation else "\n")
        for name, text in item["files"].items():
            ending = "" if not text or text.endswith("\n") else "\n"
            out(f"\n--- {name} ---\n{text}{ending}")
        out("\n")
