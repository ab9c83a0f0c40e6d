"""Each family is declared once: its declaration opens a provider of that family."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchlab.domain import ModelProfile
from benchlab.providers.base import Provider
from benchlab.providers.families import BUILTINS
from benchlab.providers.pricing import builtin_price
from benchlab.providers.registry import ProviderPool, all_families, find_family


async def test_every_builtin_family_opens_a_provider_of_its_own_name(tmp_path: Path) -> None:
    answers = tmp_path / "a.jsonl"
    answers.write_text(json.dumps({"case_id": "c", "output": "x"}) + "\n")
    keys = {f.key_env: "k" for f in BUILTINS.values() if f.key_env}
    pool = ProviderPool(keys)
    assert [f.name for f in all_families()][: len(BUILTINS)] == list(BUILTINS)
    for name, family in BUILTINS.items():
        assert family.name == name and find_family(name) is family
        if name == "litellm":  # an optional extra, opened in test_litellm_provider
            continue
        spec = f"replay/{answers}" if name == "replay" else name
        spec = spec if not family.needs_model or name == "replay" else f"{name}/m"
        provider = pool.get(ModelProfile(name=spec, spec=spec))
        assert isinstance(provider, Provider)
        assert provider.family == name, name
        # A free family needs no price table entry; a paid one is unpriced when unknown.
        assert (builtin_price(f"{name}/unknown-model") is not None) == family.free, name
    await pool.aclose()


def test_families_import_no_provider_module() -> None:
    code = (
        "import json, sys\n"
        "from benchlab.providers.registry import all_families\n"
        "all_families()\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('benchlab.providers.')\n"
        "                or m in ('aiohttp', 'litellm'))\n"
        "print(json.dumps(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, timeout=60, text=True,
                         capture_output=True).stdout  # fmt: skip
    assert json.loads(out) == [
        "benchlab.providers.base",
        "benchlab.providers.families",
        "benchlab.providers.registry",
    ]
