"""`benchlab doctor`: which sandbox isolation runs here, and which toolchains exist."""

import sys

from benchlab.cli.app import JsonOpt, app, print_json


@app.command()
def doctor(json_out: JsonOpt = False) -> None:
    """Check the code sandbox: every backend tried for real, what each defends, toolchains."""
    from benchlab.sandbox.doctor import diagnose

    report = diagnose()
    if json_out:
        print_json(report)
        return
    out = sys.stdout.write
    out(f"cores: {report['cores']}   root: {report['root']}   landlock ABI: ")
    out(f"{report['landlock_abi'] or 'none'}\n\nsandbox backends (tried for real):\n")
    for name, info in report["backends"].items():
        if info["works"]:
            iso = info["isolation"]
            out(f"  {name:8} works   {iso['label']}  (start {info['start_ms']} ms)\n")
        else:
            out(f"  {name:8} no      {info['reason']}\n")
    iso = report["isolation"]
    out(f"\nin use (auto): {report['auto'] or 'none works'}")
    out(f"  ->  every execution records: {iso['label']}\n" if iso else "\n")
    working = {n: i["isolation"] for n, i in report["backends"].items() if i["works"]}
    for name, info in working.items():
        out(f"\nwhat {name} defends{' (in use)' if name == report['auto'] else ''}:\n")
        for harm, how in info["defends"].items():
            out(f"  {harm:13} {how}\n")
    for warning in report["warnings"]:
        out(f"warning: {warning}\n")
    out("\ntoolchains:\n")
    for name, version in report["toolchains"].items():
        out(f"  {name:8} {version or 'not found'}\n")
