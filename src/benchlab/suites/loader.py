"""Suite files in, validated `LoadedSuite`s out, without keeping the cases.

A suite may hold tens of thousands of cases, and a run needs all of them only
once, in order. So loading makes a single streaming pass that validates every
case, catches duplicate ids and hashes the bytes, and keeps nothing but the
(id, category) index that sampling, resume and reports need; `iter_cases`
reads the source again each time. YAML and JSON are parsed whole (their
parsers cannot stream); JSONL and CSV are read line by line.

Every mistake in a suite becomes one `SuiteError` line naming the file, the
line (or case number), the case id and the field, because the person reading
it is fixing a data file, not debugging benchlab.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from benchlab.domain import Case, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.format.yaml_text import suite_yaml_loader

Index = list[tuple[str, str | None]]
_Feed = Callable[[bytes], object]

_BUILTIN_DIR = Path(__file__).with_name("builtin")
_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl", ".csv": "csv"}
_CASE_FIELDS = tuple(Case.model_fields)
_TOP_LEVEL_FIELDS = (*SuiteHeader.model_fields, "cases")
_CSV_FIELDS = ("id", "input", "expected", "context", "scorers")
_CSV_METADATA = ("category", "difficulty", "tags", "source")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
# Pydantic names the branch of a union in the error location (`input.list[Message].0.role`);
# the person fixing the file only wants the field path.
_UNION_TAG = re.compile(r"^(?:str|int|float|bool|dict|list|none)$|\[")
_TAG_WORDS = {"str": "text", "list[Message]": "a list of {role, content} messages"}


class LoadedSuite:
    """A validated suite: its header, its provenance and an index, never its case list.

    The object stays small however large the suite is: `iter_cases` streams the
    cases again from the source, so memory stays flat while a run goes through
    a 20,000-case JSONL file. Only suites built in code (`from_cases`) hold
    their cases, because there is no source to read them from again.
    """

    __slots__ = (
        "_index",
        "_stream",
        "format",
        "hash",
        "header",
        "n_cases",
        "own_scorers",
        "path",
        "source",
    )

    header: SuiteHeader
    source: str
    hash: str
    format: str
    n_cases: int
    path: Path | None

    def __init__(
        self,
        *,
        header: SuiteHeader,
        source: str,
        hash: str,
        format: str,
        index: Index,
        stream: Callable[[], Iterator[Case]],
        path: Path | None = None,
        own_scorers: bool = True,
    ) -> None:
        self.header = header
        # Whether any case names its own scorers (True when unknown): when none does and the
        # template is the default, a run needs no extra pass to validate cases before it starts.
        self.own_scorers = own_scorers
        self.source = source
        self.hash = hash
        self.format = format
        self.n_cases = len(index)
        self.path = path
        self._index = index
        self._stream = stream

    def iter_cases(self) -> Iterator[Case]:
        """Stream the cases in suite order; each call reads the source again."""
        return self._stream()

    def index(self) -> Index:
        """(case id, category) in suite order; a copy, so callers may sort or filter it."""
        return list(self._index)

    @classmethod
    def from_cases(
        cls,
        header: SuiteHeader,
        cases: Iterable[Case | Mapping[str, Any]],
        *,
        source: str | None = None,
        digest: Callable[[SuiteHeader, tuple[Case, ...]], str] | None = None,
    ) -> LoadedSuite:
        """A suite built in code (the Python API, suites generated from packaged datasets).

        Mappings are validated as cases, so a dict from a script gets the same
        error messages as a suite file. The hash covers a canonical JSON of
        header and cases, so the same content always hashes the same; `digest`
        replaces that function for a suite that hashes its content its own way
        (the standard suites, whose hashes no earlier version stored).
        """
        display = source or f"python:{header.name}"
        items: list[Case] = []
        index: Index = []
        first: dict[str, int] = {}
        for number, raw in enumerate(cases, 1):
            where = _Where(display, None, number)
            case = raw if isinstance(raw, Case) else _build_case(where, raw)
            _check_unique(where, case.id, first)
            items.append(case)
            index.append((case.id, _category(case)))
        if not items:
            raise SuiteError(f"{display}: empty suite (no cases)")
        frozen = tuple(items)
        return cls(
            header=header,
            source=display,
            hash=(digest or _canonical_hash)(header, frozen),
            format="python",
            index=index,
            stream=lambda: iter(frozen),
        )

    def __repr__(self) -> str:
        return (
            f"LoadedSuite(name={self.header.name!r}, source={self.source!r}, "
            f"format={self.format!r}, n_cases={self.n_cases})"
        )


def builtin_suites() -> dict[str, Path]:
    """Built-in suite names and their packaged files, sorted by name."""
    return {path.stem: path for path in sorted(_BUILTIN_DIR.glob("*.yaml"))}


def builtin_names() -> list[str]:
    """Every built-in suite name: packaged files and generated suites."""
    from benchlab.suites.generated import GENERATED
    from benchlab.suites.standard.table import FAMILIES

    return sorted({*builtin_suites(), *GENERATED, *FAMILIES})


def load_suite(ref: str | Path) -> LoadedSuite:
    """Load a built-in suite (`quickstart`, `builtin:quickstart`) or a suite file.

    A bare word without a suffix or a path separator is a built-in name; anything
    else is a path. Every case is validated here, in one streaming pass, so a
    run never starts on a suite that would fail half-way.
    """
    if isinstance(ref, str):
        from benchlab.suites.generated import generated_suite  # made in Python, or FORMAT:PATH

        generated = generated_suite(ref)
        if generated is not None:
            return generated
    path, display = _resolve(ref)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(_FORMATS)
        raise SuiteError(f"{display}: unsupported suite format {path.suffix!r} (use {known})")
    source = _FileSource(path, display, fmt)
    header, index, digest = source.load()
    return LoadedSuite(
        header=header,
        source=display,
        hash=digest,
        format=fmt,
        index=index,
        stream=source.iter_cases,
        path=path.resolve(),
        own_scorers=source.own_scorers,
    )


def _resolve(ref: str | Path) -> tuple[Path, str]:
    if isinstance(ref, str):
        name = ref.removeprefix("builtin:")
        if ref.startswith("builtin:") or looks_like_name(ref):
            known = builtin_suites()
            if name not in known:
                names = ", ".join(builtin_names()) or "none"
                raise SuiteError(
                    f"unknown built-in suite {name!r} (known: {names}; "
                    "or give the path of a .yaml, .json, .jsonl or .csv file)"
                )
            return known[name], f"builtin:{name}"
    path = Path(ref)
    display = str(ref)
    if not path.exists():
        raise SuiteError(f"{display}: suite file not found")
    if not path.is_file():
        raise SuiteError(f"{display}: not a file")
    return path, display


def looks_like_name(ref: str) -> bool:
    """A bare word names a built-in suite; anything with a suffix or a slash is a path (the
    schedules file resolves its suite references by this same rule)."""
    return bool(ref) and not Path(ref).suffix and "/" not in ref and "\\" not in ref


# -- where a case sits, and the one-line messages built from it --------------------------------


@dataclass(frozen=True, slots=True)
class _Where:
    """A case's position: `line` for JSONL/CSV, only the 1-based `number` for documents."""

    file: str
    line: int | None
    number: int

    def prefix(self, case_id: str | None = None) -> str:
        if self.line is not None:
            head = f"{self.file}:{self.line}"
            return f"{head}: case {case_id!r}" if case_id else head
        if case_id:
            return f"{self.file}: case {case_id!r} (#{self.number})"
        return f"{self.file}: case #{self.number}"

    @property
    def position(self) -> int:
        return self.number if self.line is None else self.line


def _check_unique(where: _Where, case_id: str, first: dict[str, int]) -> None:
    earlier = first.setdefault(case_id, where.position)
    if earlier != where.position:
        if where.line is not None:
            raise SuiteError(
                f"{where.prefix()}: duplicate case id {case_id!r} (first on line {earlier})"
            )
        raise SuiteError(
            f"{where.file}: case #{where.number}: duplicate case id {case_id!r} "
            f"(first is case #{earlier})"
        )


def _build_case(where: _Where, raw: Any) -> Case:
    if not isinstance(raw, Mapping):
        raise SuiteError(f"{where.prefix()}: a case must be a mapping, got {_kind(raw)}")
    try:
        return Case.model_validate(raw)
    except ValidationError as exc:
        raise SuiteError(f"{where.prefix(_raw_id(raw))}: {_describe(exc, _CASE_FIELDS)}") from None


def _raw_id(raw: Mapping[str, Any]) -> str | None:
    value = raw.get("id")
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _category(case: Case) -> str | None:
    # Categories repeat thousands of times in a large suite; interning keeps one copy each.
    category = case.category
    return None if category is None else sys.intern(category)


def _describe(exc: ValidationError, fields: Iterable[str]) -> str:
    """A pydantic error as `field.path: message` items on one line."""
    parts: list[str] = []
    unions: dict[str, list[str]] = {}
    deep_union_fields: set[str] = set()
    errors = exc.errors(include_url=False)
    for err in errors:
        loc = [str(p) for p in err["loc"]]
        if len(loc) > 2 and _UNION_TAG.search(loc[1]):
            deep_union_fields.add(loc[0])
    for err in errors:
        loc = [str(p) for p in err["loc"]]
        if len(loc) >= 2 and _UNION_TAG.search(loc[1]):
            if loc[0] in deep_union_fields:
                if len(loc) == 2:
                    continue  # a branch that rejected the value outright; the deeper one explains
                loc = [loc[0], *loc[2:]]
            else:
                unions.setdefault(loc[0], []).append(_TAG_WORDS.get(loc[1], loc[1]))
                continue
        path = ".".join(loc)
        if err["type"] == "extra_forbidden":
            hint = _did_you_mean(loc[-1], fields) if len(loc) == 1 else ""
            parts.append(f"unknown field {path!r}{hint}")
        elif err["type"] == "missing":
            parts.append(f"{path}: field required")
        else:
            parts.append(f"{path}: {err['msg']}" if path else str(err["msg"]))
    parts.extend(f"{field}: must be {' or '.join(kinds)}" for field, kinds in unions.items())
    unique = list(dict.fromkeys(parts))
    if len(unique) > 3:
        unique = [*unique[:3], f"and {len(unique) - 3} more"]
    return "; ".join(unique)


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "text" if isinstance(value, str) else type(value).__name__


def _canonical_hash(header: SuiteHeader, cases: tuple[Case, ...]) -> str:
    document = {
        "header": header.model_dump(mode="json"),
        "cases": [case.model_dump(mode="json", exclude_defaults=True) for case in cases],
    }
    text = json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- reading files -----------------------------------------------------------------------------


class _FileSource:
    """One suite file: validated once by `load`, streamed again by `iter_cases`.

    The file's size and mtime are remembered so that a file edited after it was
    validated is reported instead of streaming cases nobody checked.
    """

    __slots__ = ("display", "fmt", "own_scorers", "path", "stamp")

    def __init__(self, path: Path, display: str, fmt: str) -> None:
        self.path = path
        self.display = display
        self.fmt = fmt
        self.stamp: tuple[int, int] | None = None
        self.own_scorers = False

    def load(self) -> tuple[SuiteHeader, Index, str]:
        stat = self.path.stat()
        self.stamp = (stat.st_size, stat.st_mtime_ns)
        sha = hashlib.sha256()
        header, rows = self._open(sha.update)
        index: Index = []
        first: dict[str, int] = {}
        own_scorers = False
        for where, raw in rows:
            case = _build_case(where, raw)
            _check_unique(where, case.id, first)
            index.append((case.id, _category(case)))
            own_scorers = own_scorers or bool(case.scorers)
        if not index:
            raise SuiteError(f"{self.display}: empty suite (no cases)")
        self.own_scorers = own_scorers
        return header, index, sha.hexdigest()

    def iter_cases(self) -> Iterator[Case]:
        stat = self.path.stat()
        if self.stamp != (stat.st_size, stat.st_mtime_ns):
            raise SuiteError(f"{self.display}: the file changed after it was loaded; load it again")
        _, rows = self._open(None)
        return (_build_case(where, raw) for where, raw in rows)

    def _open(self, feed: _Feed | None) -> tuple[SuiteHeader, Iterator[tuple[_Where, Any]]]:
        """The header and a lazy stream of raw cases; `feed` (when given) sees every byte read."""
        if self.fmt == "jsonl":
            return SuiteHeader(name=self.path.stem), _jsonl_rows(self._lines(feed), self.display)
        if self.fmt == "csv":
            return SuiteHeader(name=self.path.stem), _csv_rows(self._lines(feed), self.display)
        data = self.path.read_bytes()
        if feed is not None:
            feed(data)
        document = _parse_document(data, self.fmt, self.display)
        header, cases = _split_document(document, self.display, self.path.stem)
        rows = ((_Where(self.display, None, n), raw) for n, raw in enumerate(cases, 1))
        return header, rows

    def _lines(self, feed: _Feed | None) -> Iterator[tuple[int, str]]:
        with self.path.open("rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                if feed is not None:
                    feed(raw)
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise SuiteError(
                        f"{self.display}:{lineno}: not UTF-8 text ({exc.reason})"
                    ) from None
                if lineno == 1:
                    text = text.removeprefix("\ufeff")
                yield lineno, text


def _loads(text: str) -> Any:
    """orjson for speed (cases are read twice per run); the standard library for what it
    accepts beyond strict JSON (NaN, Infinity) and for its clearer error messages."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _jsonl_rows(lines: Iterator[tuple[int, str]], display: str) -> Iterator[tuple[_Where, Any]]:
    number = 0
    for lineno, text in lines:
        if not text.strip():
            continue
        try:
            value = _loads(text)
        except json.JSONDecodeError as exc:
            raise SuiteError(
                f"{display}:{lineno}: invalid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        number += 1
        yield _Where(display, lineno, number), value


def _csv_rows(lines: Iterator[tuple[int, str]], display: str) -> Iterator[tuple[_Where, Any]]:
    reader = csv.reader(text for _, text in lines)
    columns: list[str] | None = None
    number = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SuiteError(f"{display}:{reader.line_num}: invalid CSV: {exc}") from None
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns = _csv_columns(row, f"{display}:{start}")
            continue
        where = _Where(display, start, number + 1)
        if len(row) > len(columns):
            raise SuiteError(
                f"{where.prefix()}: the row has {len(row)} cells but the header has {len(columns)}"
            )
        number += 1
        yield where, _csv_case(columns, row, where)


def _csv_columns(row: list[str], at: str) -> list[str]:
    columns = [cell.strip() for cell in row]
    for column in columns:
        if column in _CSV_FIELDS or column in _CSV_METADATA:
            continue
        if column.startswith("metadata.") and column != "metadata.":
            continue
        hint = _did_you_mean(column, (*_CSV_FIELDS, *_CSV_METADATA))
        hint = hint or " (name metadata columns 'metadata.NAME')"
        raise SuiteError(f"{at}: unknown column {column!r}{hint}")
    for required in ("id", "input"):
        if required not in columns:
            raise SuiteError(f"{at}: missing column {required!r}")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise SuiteError(f"{at}: duplicate column {duplicated[0]!r}")
    return columns


def _csv_case(columns: list[str], row: list[str], where: _Where) -> dict[str, Any]:
    """One CSV row as the mapping a YAML case would be; empty cells are absent fields."""
    raw: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for column, cell in zip(columns, row, strict=False):
        if not cell.strip():
            continue
        if column == "expected":
            raw[column] = _maybe_json(cell)
        elif column == "input":
            raw[column] = _maybe_messages(cell)
        elif column in ("id", "context", "scorers"):
            raw[column] = cell
        elif column == "tags":
            metadata["tags"] = [tag.strip() for tag in cell.split(";") if tag.strip()]
        else:
            metadata[column.removeprefix("metadata.")] = cell
    if "scorers" in raw:
        raw["scorers"] = _csv_scorers(raw["scorers"], where.prefix(_raw_id(raw)))
    if metadata:
        raw["metadata"] = metadata
    return raw


def _maybe_json(cell: str) -> Any:
    """Numbers, lists and objects written as JSON become values; anything else stays text."""
    text = cell.strip()
    if text[:1] in ("[", "{") or _JSON_NUMBER.fullmatch(text):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return cell
    return cell


def _maybe_messages(cell: str) -> Any:
    """A JSON list of {role, content} objects is a chat; any other text is the prompt itself."""
    if not cell.lstrip().startswith("["):
        return cell
    try:
        value = json.loads(cell)
    except json.JSONDecodeError:
        return cell
    if (
        isinstance(value, list)
        and value
        and all(isinstance(m, dict) and "role" in m for m in value)
    ):
        return value
    return cell


def _csv_scorers(cell: str, at: str) -> Any:
    text = cell.strip()
    if text[:1] in ("[", "{"):
        try:
            value = _loads(text)
        except json.JSONDecodeError as exc:
            raise SuiteError(f"{at}: scorers: invalid JSON: {exc.msg}") from None
        return [value] if isinstance(value, dict) else value
    return [name.strip() for name in text.split(",") if name.strip()]


def _parse_document(data: bytes, fmt: str, display: str) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SuiteError(f"{display}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SuiteError(
                f"{display}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})"
            ) from None
    import yaml

    try:
        return yaml.load(text, Loader=suite_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{display}:{mark.line + 1}" if mark is not None else display
        problem = getattr(exc, "problem", None) or str(exc)
        raise SuiteError(f"{where}: invalid YAML: {' '.join(str(problem).split())}") from None


def _split_document(document: Any, display: str, stem: str) -> tuple[SuiteHeader, list[Any]]:
    """Header and raw cases of a YAML/JSON document (a bare list is just the cases)."""
    if isinstance(document, list):
        cases: Any = document
        fields: dict[str, Any] = {"name": stem}
    elif isinstance(document, dict):
        for key in document:
            if key not in _TOP_LEVEL_FIELDS:
                hint = _did_you_mean(str(key), _TOP_LEVEL_FIELDS)
                raise SuiteError(f"{display}: unknown top-level field {key!r}{hint}")
        fields = {k: v for k, v in document.items() if k != "cases"}
        fields.setdefault("name", stem)
        cases = document.get("cases")
    elif document is None:
        raise SuiteError(f"{display}: empty suite (no cases)")
    else:
        raise SuiteError(
            f"{display}: a suite must be a mapping with 'cases:' or a list of cases, "
            f"got {_kind(document)}"
        )
    try:
        header = SuiteHeader.model_validate(fields)
    except ValidationError as exc:
        raise SuiteError(f"{display}: {_describe(exc, _TOP_LEVEL_FIELDS)}") from None
    if header.factors is not None or header.matched_by is not None:
        if cases is not None:
            raise SuiteError(f"{display}: a grid declares factors instead of cases, not both")
        from benchlab.suites.grid import expand_grid

        return header, expand_grid(header, display)
    if cases is None:
        raise SuiteError(f"{display}: empty suite (no cases)")
    if not isinstance(cases, list):
        raise SuiteError(f"{display}: cases: must be a list, got {_kind(cases)}")
    return header, cases
