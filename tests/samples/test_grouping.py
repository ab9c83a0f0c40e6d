"""Grouping on disk, a block at a time, gives the in-memory grouping's groups exactly."""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from benchlab.samples import grouping
from benchlab.samples.dedupe import dedupe, hashed
from benchlab.samples.grouping import BLOCK, group

Keys = npt.NDArray[np.uint64]
Signatures = npt.NDArray[np.uint16]


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(300)]


def _texts(count: int, seed: int = 11) -> list[str]:
    """Questions; a fifth repeated exactly (other casing or spacing); a tenth near variants
    (an earlier question and two more words); some empty and some shorter than a shingle."""
    rng = random.Random(seed)
    words = _vocabulary(rng)
    originals: list[str] = []
    texts: list[str] = []
    for _ in range(count):
        roll = rng.random()
        if originals and roll < 0.2:
            text = rng.choice(originals)
            texts.append(text.upper() if rng.random() < 0.5 else "  " + text.replace(" ", "  "))
        elif originals and roll < 0.3:
            texts.append(rng.choice(originals) + " " + " ".join(rng.sample(words, 2)))
        elif roll < 0.32:
            texts.append(rng.choice(["", " ", "ab", "AB", "x?"]))
        else:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 30))) + "?"
            originals.append(text)
            texts.append(text)
    return texts


# `dedupe(_texts(3000), near_threshold=t)` on main before grouping moved to disk (652a009,
# in memory): sha256 of its representatives as JSON, exact and near duplicates.
BEFORE = {
    None: ("628cc537312b37008e6728193d696fec217fbb7689d205504e2cc24663449a20", 679, 0),
    0.5: ("b0feb4a018db27b2de3e566fd7293d1af74161807ea30e714ed85689f39da2ed", 679, 289),
    0.8: ("a0de5867c85f0d04ddaacadb7a556f68631c8bc9e89d5f9d6bda830540f55c1b", 679, 244),
}


def _fingerprint(representative: list[int]) -> str:
    return hashlib.sha256(json.dumps(representative).encode()).hexdigest()


def _in_memory(keys: Keys, sig: Signatures, threshold: float | None) -> tuple[list[int], int, int]:
    """The grouping's definition, held in memory and written plainly: exact groups by key;
    among distinct non-empty texts, each band's texts with equal band keys paired with the
    first of them; pairs agreeing on >= threshold of the values joined; the smallest index
    of a component represents it. Representatives, exact and near duplicates."""
    first: dict[int, int] = {}
    exact = [first.setdefault(key, i) for i, key in enumerate(keys.tolist())]
    uniques = [i for i, f in enumerate(exact) if f == i]
    parent = list(range(len(exact)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    near = 0
    if threshold is not None and len(uniques) > 1:
        band_keys = grouping._band_keys(sig[uniques], grouping._bands(threshold, sig.shape[1]))
        pairs: set[tuple[int, int]] = set()
        for band in range(band_keys.shape[1]):
            heads: dict[int, int] = {}
            for position, text in enumerate(uniques):
                if (sig[text, :4] == 0xFFFF).all():  # an empty text matches nothing
                    continue
                head = heads.setdefault(int(band_keys[position, band]), text)
                if head != text:
                    pairs.add((head, text))
        for a, b in sorted(pairs):
            if (sig[a] == sig[b]).mean() >= threshold and root(a) != root(b):
                low, high = sorted((root(a), root(b)))
                parent[high] = low
                near += 1
    return [root(f) for f in exact], len(exact) - len(uniques), near


def _chunks(keys: Keys, sig: Signatures, sizes: list[int]) -> Iterator[tuple[Keys, Signatures]]:
    """The input in chunks of the given sizes in turn (an empty one included)."""
    start = turn = 0
    while start < keys.size:
        end = start + sizes[turn % len(sizes)]
        yield keys[start:end], sig[start:end]
        start, turn = end, turn + 1


@pytest.fixture(scope="module")
def hashed_texts() -> tuple[Keys, Signatures]:
    keys, sig = hashed(_texts(3000))
    assert sig is not None
    return keys, sig


@pytest.mark.parametrize("threshold", [None, 0.5, 0.8])
def test_the_groups_are_those_of_main_s_in_memory_grouping(threshold: float | None) -> None:
    groups = dedupe(_texts(3000), near_threshold=threshold)
    fingerprint, exact, near = BEFORE[threshold]
    assert (groups.exact_duplicates, groups.near_duplicates) == (exact, near)
    assert _fingerprint(groups.representative) == fingerprint


@pytest.mark.parametrize("threshold", [None, 0.5, 0.8, 1.0])
@pytest.mark.parametrize("block", [BLOCK, 64, 1000])
def test_every_block_size_gives_the_in_memory_groups(
    hashed_texts: tuple[Keys, Signatures], threshold: float | None, block: int
) -> None:
    keys, sig = hashed_texts
    representative, exact, near = _in_memory(keys, sig, threshold)
    groups = group(_chunks(keys, sig, [4096]), near_threshold=threshold, block=block)
    assert groups.representative == representative
    assert (groups.exact_duplicates, groups.near_duplicates) == (exact, near)
    assert exact > 500 and (threshold in (None, 1.0) or near > 100)  # the planted duplicates


def _planted(keys: Keys, sig: Signatures) -> tuple[Keys, Signatures]:
    """The texts with duplicates planted where blocks of 64 meet (see the test below)."""
    keys, sig = keys.copy(), sig.copy()
    rng = np.random.default_rng(5)

    def distinct(index: int, values: npt.NDArray[np.uint16]) -> None:
        keys[index] = np.uint64(2**63 + index)  # a key of its own
        sig[index] = values

    # text 0 and copies of it altered in 1 to 6 of 64 values (agreeing on >= 58/64)
    base = rng.integers(0, 0xFFFF, size=64, dtype=np.uint16)
    distinct(0, base)
    for index in (63, 64, 127, 128, 1000, 2999):
        distinct(index, base)
        sig[index, rng.choice(64, size=rng.integers(1, 7), replace=False)] ^= 0x5A5A
    # text 5's exact key again across blocks
    keys[[62, 65, 129, 2998]] = keys[5]
    # 30, 90 and 2000 share values 0 and 1 (at 0.5: bands of 2 values, so one band);
    # 90 and 2000 agree on every even value besides (33/64 >= 0.5) but share no other band:
    # only 30, the band's first text, is paired with them, and fails with both
    y = rng.integers(0, 0xFFFF, size=64, dtype=np.uint16)
    z = y.copy()
    z[3::2] ^= 0x0F0F
    x = rng.integers(0, 0xFFFF, size=64, dtype=np.uint16)
    x[:2] = y[:2]
    for index, values in ((30, x), (90, y), (2000, z)):
        distinct(index, values)
    # two distinct texts with empty signatures (all 0xFFFF) match nothing
    for index in (40, 100):
        distinct(index, np.full(64, 0xFFFF, dtype=np.uint16))
    return keys, sig


def test_duplicates_across_block_and_chunk_boundaries(
    hashed_texts: tuple[Keys, Signatures], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks of 64 against chunks of 1, 63, 0 and 130 texts: groups, band groups and pairs
    span blocks; a text heads pairs in many blocks; pairs are compared 7 at a time."""
    keys, sig = _planted(*hashed_texts)
    monkeypatch.setattr(grouping, "_SLICE", 7)
    for threshold in (None, 0.5, 0.8):
        representative, exact, near = _in_memory(keys, sig, threshold)
        groups = group(_chunks(keys, sig, [1, 63, 0, 130]), near_threshold=threshold, block=64)
        assert groups.representative == representative
        assert (groups.exact_duplicates, groups.near_duplicates) == (exact, near)
        assert len({groups.representative[i] for i in (5, 62, 65, 129, 2998)}) == 1
        assert [groups.representative[i] for i in (30, 90, 2000, 40, 100)] == [
            30,
            90,
            2000,
            40,
            100,
        ]
    assert [groups.representative[i] for i in (63, 64, 127, 128, 1000, 2999)] == [0] * 6


def test_members_and_kept_follow_the_representatives(
    hashed_texts: tuple[Keys, Signatures],
) -> None:
    keys, sig = hashed_texts
    groups = group(_chunks(keys, sig, [700]), near_threshold=0.8, block=100)
    representative = groups.representative
    assert groups.kept == [i for i, r in enumerate(representative) if r == i]
    for index in [*groups.kept[:50], groups.kept[-1]]:
        assert groups.members(index) == [i for i, r in enumerate(representative) if r == index]
    folded = next(i for i, r in enumerate(representative) if r != i)
    assert groups.members(folded) == []
    assert sum(len(groups.members(k)) for k in groups.kept) == len(representative)


def test_nothing_is_left_in_the_temporary_directory(
    hashed_texts: tuple[Keys, Signatures], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    keys, sig = hashed_texts
    groups = group(_chunks(keys, sig, [512]), near_threshold=0.8, block=128)
    assert groups.near_duplicates > 0
    assert list(tmp_path.iterdir()) == []  # the representatives' file is unlinked, mapped
    assert len(groups.representative) == keys.size


def test_empty_one_and_signatureless_inputs() -> None:
    assert group([], near_threshold=0.8).representative == []
    keys, sig = hashed(["only one"])
    assert group([(keys, sig)], near_threshold=0.8).representative == [0]
    keys, _ = hashed(["a", "A", "b"], near=False)
    assert group([(keys, None)]).representative == [0, 0, 2]
    with pytest.raises(ValueError, match="signature"):
        group([(keys, None)], near_threshold=0.8)
    with pytest.raises(ValueError, match="near_threshold"):
        group([(keys, None)], near_threshold=1.5)


def test_no_room_for_temporary_files_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """De-duplication spills to TMPDIR; a folder that is not there (or full) is the user's
    to fix, said in one line naming it, not an OSError traceback."""
    from benchlab.errors import UserError

    missing = tmp_path / "no-such-tmp"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    keys = np.arange(10, dtype=np.uint64)
    with pytest.raises(UserError, match="TMPDIR") as caught:
        grouping.group([(keys, None)])
    assert str(missing) in str(caught.value)
