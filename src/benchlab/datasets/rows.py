"""What a standard suite calls: the rows of a dataset's splits, with where they came from.

`dataset_rows("gsm8k", ["test", "train"])` reads the local copy (pulling it
first when there is none and the Hub is reachable); `data=PATH` reads the
user's files instead and never touches the network. Either way the rows are
the dataset's own (field names and types as published) and the provenance
names the dataset, the revision and a hash of the bytes read.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

from benchlab.datasets.catalog import DatasetSpec, dataset_spec
from benchlab.datasets.errors import DatasetError
from benchlab.datasets.files import SUFFIXES, check_rows, read_rows
from benchlab.datasets.hub import local_copy, no_data_message, offline, pull
from benchlab.datasets.provenance import Provenance

__all__ = ["DatasetRows", "data_files", "dataset_rows"]


@dataclass(frozen=True)
class DatasetRows:
    """The rows of the splits asked for, in file order, and the provenance of all of them."""

    spec: DatasetSpec
    splits: dict[str, list[dict[str, Any]]]
    provenance: Provenance

    def rows(self, split: str | None = None) -> list[dict[str, Any]]:
        name = split or self.spec.main_split
        if name not in self.splits:
            raise DatasetError(f"{self.spec.name}: split {name!r} was not loaded")
        return self.splits[name]


def dataset_rows(
    name: str,
    splits: list[str] | None = None,
    *,
    data: str | Path | None = None,
    revision: str | None = None,
    cache_dir: str | Path | None = None,
    endpoint: str | None = None,
    token: str | None = None,
) -> DatasetRows:
    """The rows of `splits` (default: every split of the catalog entry) of the dataset `name`."""
    spec = dataset_spec(name)
    wanted = splits or spec.split_names
    for split in wanted:
        spec.pattern(split)  # an unknown split is one line naming the known ones
    if data is not None:
        root = Path(data)
        files = {split: data_files(spec, root, split) for split in wanted}
        named = [(_name_in(root, path), path) for paths in files.values() for path in paths]
        provenance = Provenance.of_files(spec.repo_id, None, "data", named, spec.config)
    else:
        copy = local_copy(spec, revision, cache_dir)
        if copy is None:
            if offline():
                raise DatasetError(no_data_message(spec, "HF_HUB_OFFLINE is set"))
            copy = pull(spec, revision, cache_dir=cache_dir, endpoint=endpoint, token=token)
        files = {split: copy.split_files(split) for split in wanted}
        named = [
            (path.relative_to(copy.folder).as_posix(), path)
            for paths in files.values()
            for path in paths
        ]
        provenance = Provenance.of_files(spec.repo_id, copy.commit, "hub", named, spec.config)
    loaded: dict[str, list[dict[str, Any]]] = {}
    for split, paths in files.items():
        rows: list[dict[str, Any]] = []
        for path in paths:
            part = read_rows(path)
            check_rows(spec, path, part)
            rows.extend(part)
        loaded[split] = rows
    return DatasetRows(spec, loaded, provenance)


def _name_in(root: Path, path: Path) -> str:
    return path.name if root.is_file() else path.relative_to(root).as_posix()


def data_files(spec: DatasetSpec, root: Path, split: str) -> list[Path]:
    """The files of `split` in a `--data` path.

    A file is the dataset's scored split. In a folder, a split's files are, in
    this order of preference: those at the Hub's own paths (`all/test-00000-
    of-00001.parquet`); the same paths with another supported suffix
    (`all/test-00000-of-00001.jsonl`); or files at the top named for the
    split (`test.jsonl`, `test-00000-of-00001.parquet`).
    """
    if not root.exists():
        raise DatasetError(f"--data {root}: no such file or folder")
    if root.is_file():
        if root.suffix.lower() not in SUFFIXES:
            raise DatasetError(
                f"--data {root}: not a dataset file (expected {', '.join(SUFFIXES)})"
            )
        if split != spec.main_split:
            raise DatasetError(
                f"--data {root}: a file holds one split ({spec.main_split}); the {split} split "
                f"needs a folder with the dataset's files"
            )
        return [root]
    pattern = spec.pattern(split)
    everything = sorted(
        (p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    exact = [p for p in everything if fnmatch(p.relative_to(root).as_posix(), pattern)]
    if exact:
        return exact
    stem = PurePosixPath(pattern).with_suffix("").as_posix()
    resuffixed = [
        p for p in everything if fnmatch(p.relative_to(root).with_suffix("").as_posix(), stem)
    ]
    if resuffixed:
        return resuffixed
    named = [
        p
        for p in everything
        if p.parent == root and (p.stem == split or p.stem.startswith(f"{split}-"))
    ]
    if named:
        return named
    raise DatasetError(
        f"--data {root}: no file of the {split} split of {spec.name} "
        f"(expected {pattern} as on the Hub, or {split}.jsonl / {split}.parquet)"
    )
