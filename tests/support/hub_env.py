"""The environment a `benchlab data` process gets in tests: our local Hub, a cache of its own."""

from __future__ import annotations

from pathlib import Path

from benchlab.datasets import CATALOG
from support.hub_data import hub_files
from support.hub_server import FakeHub, HubRepo

__all__ = ["GATED_TOKEN", "hf_env", "publish"]

GATED_TOKEN = "hf_test_token_accepted_terms"
# A commit for the datasets the catalog pins to a branch ("main").
BRANCH_COMMIT = "feedfacefeedfacefeedfacefeedfacefeedface"


def publish(hub: FakeHub, *names: str) -> None:
    """Put each dataset on `hub` at the catalog's pinned commit, in its published layout;
    a gated one wants GATED_TOKEN."""
    for name in names or tuple(CATALOG):
        spec = CATALOG[name]
        commit = spec.revision if spec.revision != "main" else BRANCH_COMMIT
        hub.add(
            HubRepo(
                spec.repo_id,
                hub_files(name),
                commit=commit,
                token=GATED_TOKEN if spec.gated else None,
            )
        )


def hf_env(home: Path, endpoint: str | None = None, **extra: str) -> dict[str, str]:
    """HF_HOME in `home`, no token, online unless told; never the real Hub (an endpoint
    nobody listens on when `endpoint` is None)."""
    return {
        "HF_HOME": str(home),
        "HF_HUB_CACHE": str(home / "hub"),
        "HF_ENDPOINT": endpoint or "http://127.0.0.1:9",
        "HF_TOKEN": "",
        "HUGGING_FACE_HUB_TOKEN": "",
        "HF_HUB_OFFLINE": "0",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        **extra,
    }
