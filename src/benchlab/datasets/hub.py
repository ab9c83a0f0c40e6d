"""The local copy of a standard dataset: pulled from the Hub with `huggingface_hub`, found offline.

Everything goes through `snapshot_download(repo_type="dataset",
allow_patterns=...)`, so `HF_ENDPOINT`, `HF_TOKEN`, `HF_HOME`/`HF_HUB_CACHE`
and `HF_HUB_OFFLINE` mean what they mean to every Hugging Face tool, and a
copy pulled here is the same cache `datasets` reads. The Hub library writes
each file to a process-unique `.incomplete` file and renames it only when
the byte count matches, and it records the revision's file list before
downloading, so a snapshot cut short by an interrupted download is reported
incomplete (and finished by the next pull), never read as whole.

`huggingface_hub` is imported inside the functions: `benchlab --help` must
not pay for it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from benchlab.datasets.catalog import DatasetSpec, hub_url
from benchlab.datasets.errors import DatasetError

__all__ = ["LocalCopy", "local_copy", "no_data_message", "offline", "pull", "split_files"]


@dataclass(frozen=True)
class LocalCopy:
    """A complete snapshot of one dataset's files at one commit, in the Hub cache."""

    spec: DatasetSpec
    folder: Path
    commit: str

    def files(self) -> list[Path]:
        return [path for split in self.spec.split_names for path in self.split_files(split)]

    def split_files(self, split: str) -> list[Path]:
        return split_files(self.folder, self.spec.pattern(split))

    @property
    def size(self) -> int:
        return sum(path.stat().st_size for path in self.files())


def split_files(folder: Path, pattern: str) -> list[Path]:
    """The files under `folder` whose path in it matches the Hub pattern, in shard order."""
    found = [
        path
        for path in folder.rglob("*")
        if path.is_file() and fnmatch(path.relative_to(folder).as_posix(), pattern)
    ]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _complete(spec: DatasetSpec, folder: Path) -> bool:
    return all(split_files(folder, pattern) for pattern in spec.patterns)


def local_copy(
    spec: DatasetSpec, revision: str | None = None, cache_dir: str | Path | None = None
) -> LocalCopy | None:
    """The complete local copy of `spec` at `revision` (no network request), or None."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = snapshot_download(
            spec.repo_id,
            repo_type="dataset",
            revision=revision or spec.revision,
            allow_patterns=spec.patterns,
            cache_dir=cache_dir,
            local_files_only=True,
        )
    except LocalEntryNotFoundError:  # absent, or incomplete (IncompleteSnapshotError)
        return None
    path = Path(folder)
    if not _complete(spec, path):
        return None
    return LocalCopy(spec, path, path.name)


def pull(
    spec: DatasetSpec,
    revision: str | None = None,
    *,
    cache_dir: str | Path | None = None,
    endpoint: str | None = None,
    token: str | None = None,
) -> LocalCopy:
    """Download the files of every split of `spec` (nothing that is already cached).

    A revision that is a commit is immutable: a complete local copy of it is
    the answer, with no request at all. A branch (`main`) is asked for its
    commit first (offline, the local copy of the branch is the answer).
    Progress bars show only on a terminal (they are switched off for the
    process otherwise, so logs and CI output stay one line per event).

    Before downloading, one request for the dataset's info checks that the
    Hub answers (huggingface_hub would otherwise retry a dead endpoint for
    half a minute) and that the revision exists.
    """
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.utils.tqdm import are_progress_bars_disabled, disable_progress_bars

    rev = revision or spec.revision
    if _is_commit(rev) and (found := local_copy(spec, rev, cache_dir)) is not None:
        return found
    if offline():  # a branch cannot be asked for its latest commit: the copy there is, is it
        if (found := local_copy(spec, rev, cache_dir)) is not None:
            return found
        raise DatasetError(no_data_message(spec, "HF_HUB_OFFLINE is set"))
    if not os.isatty(2) and not are_progress_bars_disabled():
        disable_progress_bars()
    with _quiet_hub_logs():
        try:
            HfApi(endpoint=endpoint, token=token).dataset_info(
                spec.repo_id, revision=rev, timeout=_PROBE_TIMEOUT
            )
        except Exception as exc:
            if _is_transport(exc):
                raise DatasetError(
                    no_data_message(spec, f"the Hub ({_endpoint(endpoint)}) cannot be reached")
                ) from exc
            raise _pull_error(spec, rev, exc, endpoint, token) from exc
        try:
            folder = snapshot_download(
                spec.repo_id,
                repo_type="dataset",
                revision=rev,
                allow_patterns=spec.patterns,
                cache_dir=cache_dir,
                endpoint=endpoint,
                token=token,
            )
        except Exception as exc:
            raise _pull_error(spec, rev, exc, endpoint, token) from exc
    path = Path(folder)
    missing = [pattern for pattern in spec.patterns if not split_files(path, pattern)]
    if missing:
        raise DatasetError(
            f"{spec.name}: {spec.repo_id}@{rev} has no file matching {', '.join(missing)}"
        )
    return LocalCopy(spec, path, path.name)


_PROBE_TIMEOUT = 10.0


def _is_commit(revision: str) -> bool:
    return len(revision) == 40 and all(c in "0123456789abcdef" for c in revision)


@contextmanager
def _quiet_hub_logs() -> Iterator[None]:
    """huggingface_hub logs each retry of a broken download on stderr; the user gets our one
    line instead (its retries still happen)."""
    logger = logging.getLogger("huggingface_hub")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _endpoint(endpoint: str | None) -> str:
    from huggingface_hub import constants

    return endpoint or constants.ENDPOINT


def offline() -> bool:
    from huggingface_hub import constants

    return bool(constants.is_offline_mode())


def no_data_message(spec: DatasetSpec, why: str) -> str:
    return (
        f"{spec.name}: no local copy of {spec.repo_id} and {why}: "
        f"run `benchlab data pull {spec.name}` where the Hub is reachable, "
        f"or pass --data PATH (the dataset's files)"
    )


def _pull_error(
    spec: DatasetSpec, rev: str, exc: Exception, endpoint: str | None, token: str | None
) -> Exception:
    """One line for what went wrong; a bug (anything unexpected) keeps its traceback."""
    from huggingface_hub import get_token
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    url = hub_url(spec, _endpoint(endpoint))
    status = _status(exc)
    if isinstance(exc, GatedRepoError) or (
        isinstance(exc, HfHubHTTPError) and status in (401, 403)
    ):
        if not (token or get_token()):
            if spec.gated or isinstance(exc, GatedRepoError):
                return DatasetError(
                    f"{spec.name}: {spec.repo_id} is gated: accept its terms at {url} "
                    f"and set HF_TOKEN to an access token of that account"
                )
            return DatasetError(
                f"{spec.name}: the Hub answered HTTP {status} for {spec.repo_id} without a "
                f"token: set HF_TOKEN to an access token that can read {url}"
            )
        return DatasetError(
            f"{spec.name}: the Hub refused the token (HF_TOKEN) for {spec.repo_id} "
            f"(HTTP {status}): check the token, and that its account accepted the terms at {url}"
        )
    if isinstance(exc, RevisionNotFoundError):
        return DatasetError(f"{spec.name}: revision {rev!r} not found in {spec.repo_id} ({url})")
    if isinstance(exc, RepositoryNotFoundError):
        return DatasetError(f"{spec.name}: {spec.repo_id} not found at {_endpoint(endpoint)}")
    if isinstance(exc, OfflineModeIsEnabled) or (
        isinstance(exc, LocalEntryNotFoundError) and offline()
    ):
        return DatasetError(no_data_message(spec, "HF_HUB_OFFLINE is set"))
    if isinstance(exc, LocalEntryNotFoundError):
        return DatasetError(
            no_data_message(spec, f"the Hub ({_endpoint(endpoint)}) cannot be reached")
        )
    if isinstance(exc, HfHubHTTPError):
        return DatasetError(
            f"{spec.name}: the Hub answered HTTP {status} for {spec.repo_id}: "
            f"run `benchlab data pull {spec.name}` again later"
        )
    if _is_transport(exc):
        return DatasetError(
            f"{spec.name}: the download of {spec.repo_id} was interrupted "
            f"({type(exc).__name__}: {exc}); nothing partial was kept: "
            f"run `benchlab data pull {spec.name}` again"
        )
    return exc


def _status(exc: Exception) -> int | None:
    response: Any = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return code if isinstance(code, int) else None


def _is_transport(exc: Exception) -> bool:
    """A connection that broke mid-way (the HTTP client's transport errors, whichever client the
    installed huggingface_hub uses), or a file whose size came out wrong (huggingface_hub's
    consistency check raises a plain OSError)."""
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    if any(cls.__name__ == "TransportError" for cls in type(exc).__mro__):
        return True
    return type(exc) is OSError and "Consistency check failed" in str(exc)
