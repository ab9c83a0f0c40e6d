"""A local Hugging Face Hub that serves dataset repos over the file API `huggingface_hub` uses.

Point the client at it with ``HF_ENDPOINT=hub.url`` (or ``endpoint=hub.url``).
It answers what ``snapshot_download``/``hf_hub_download`` ask of a dataset repo:

- ``GET /api/datasets/{repo}/revision/{rev}``: the repo's info (``sha`` is the commit);
- ``GET /api/datasets/{repo}/tree/{rev}[/{path}]``: the file listing (``oid``, ``size``,
  ``lfs`` with the sha256 for LFS files);
- ``HEAD|GET /datasets/{repo}/resolve/{rev}/{path}``: a plain file answers 200 with ``ETag``
  (its git blob id), ``X-Repo-Commit`` and ``Content-Length``; an LFS file (parquet, as on
  the Hub) answers 302 to a second server, the "CDN", with ``X-Linked-Etag`` (the sha256)
  and ``X-Linked-Size``, and the CDN serves the bytes (``Range`` included).

Errors carry the Hub's ``X-Error-Code`` (``RepoNotFound``, ``RevisionNotFound``,
``EntryNotFound``, ``GatedRepo``) so the client raises the exceptions it raises against the
real Hub. A gated repo (``token`` set) wants ``Authorization: Bearer TOKEN`` on ``resolve``:
none is a 401, another valid token (``accounts``) a 403, as the Hub does; a token the Hub
does not know is a 401 on every route (its "Invalid credentials").

``interrupt(path, ...)`` makes the next downloads of one file break: ``"cut"`` sends half
the body and closes the connection, ``"empty"`` sends the headers and closes, ``"stall"``
sends half and then waits until ``release()`` (for a client killed mid-download).
``requests`` records (method, path) of every request, so a test can assert that a cached
pull asked for no file.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import unquote, urlsplit

from support.background import BackgroundServer, QuietHandler

__all__ = ["FakeHub", "HubRepo"]


@dataclass
class HubRepo:
    """One dataset repo at one commit: its files (path -> bytes)."""

    repo_id: str
    files: dict[str, bytes]
    commit: str = "0123456789abcdef0123456789abcdef01234567"
    branches: tuple[str, ...] = ("main",)
    token: str | None = None  # a gated repo: resolve wants this bearer token
    lfs_suffixes: tuple[str, ...] = (".parquet",)
    _blob_ids: dict[str, str] = field(default_factory=dict, repr=False)

    def is_lfs(self, path: str) -> bool:
        return path.endswith(self.lfs_suffixes)

    def blob_id(self, path: str) -> str:
        """The git blob id, as git computes it (what the Hub reports as a plain file's ETag)."""
        if path not in self._blob_ids:
            body = self.files[path]
            self._blob_ids[path] = hashlib.sha1(
                b"blob " + str(len(body)).encode() + b"\0" + body
            ).hexdigest()
        return self._blob_ids[path]

    def sha256(self, path: str) -> str:
        return hashlib.sha256(self.files[path]).hexdigest()


class FakeHub(BackgroundServer):
    """Two threaded HTTP servers on 127.0.0.1: the Hub (``url``) and its CDN."""

    def __init__(self) -> None:
        self.repos: dict[str, HubRepo] = {}
        # tokens of accounts the Hub knows besides the repos' own (valid, but not let into
        # a gated repo: a 403 there)
        self.accounts: set[str] = set()
        self.requests: list[tuple[str, str]] = []
        self._faults: dict[str, deque[str]] = {}
        self._release = threading.Event()
        self._lock = threading.Lock()
        self.stalled = threading.Event()  # set when a "stall" has sent its half body
        self._hub = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, cdn=False))
        self._cdn = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, cdn=True))
        for server in (self._hub, self._cdn):
            server.daemon_threads = True
        self._threads = [
            threading.Thread(target=server.serve_forever, daemon=True)
            for server in (self._hub, self._cdn)
        ]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._hub.server_address[1]}"

    @property
    def cdn_url(self) -> str:
        return f"http://127.0.0.1:{self._cdn.server_address[1]}"

    def add(self, repo: HubRepo) -> HubRepo:
        self.repos[repo.repo_id] = repo
        return repo

    def interrupt(self, path: str, *faults: str) -> None:
        """The next downloads of `path` (a repo file path) break, one fault each, in order."""
        with self._lock:
            self._faults.setdefault(path, deque()).extend(faults)

    def release(self) -> None:
        self._release.set()

    def file_requests(self) -> list[tuple[str, str]]:
        """The requests that asked for a file's metadata or bytes (not the repo's info or tree)."""
        return [(m, p) for m, p in self.requests if "/resolve/" in p or p.startswith("/cdn/")]

    def _next_fault(self, path: str) -> str | None:
        with self._lock:
            queue = self._faults.get(path)
            return queue.popleft() if queue else None

    def start(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        for server in (self._hub, self._cdn):
            server.shutdown()
            server.server_close()


def _handler(hub: FakeHub, *, cdn: bool) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def do_GET(self) -> None:
            self._serve(body=True)

        def _serve(self, *, body: bool) -> None:
            path = urlsplit(self.path).path
            with hub._lock:
                hub.requests.append((self.command, path))
            given = self.headers.get("Authorization")
            known = {f"Bearer {t}" for t in hub.accounts} | {
                f"Bearer {r.token}" for r in hub.repos.values() if r.token
            }
            if not cdn and given is not None and given not in known:
                # the Hub answers an unknown token with a 401 on every route
                self._error(401, "", "Invalid credentials in Authorization header")
                return
            if cdn:
                self._cdn(path, body)
                return
            parts = [unquote(p) for p in path.strip("/").split("/")]
            if parts[:2] == ["api", "datasets"] and len(parts) >= 6:
                repo_id, kind, rev = "/".join(parts[2:4]), parts[4], parts[5]
                repo = self._repo(repo_id, rev)
                if repo is None:
                    return
                if kind == "revision":
                    self._json({"id": repo_id, "sha": repo.commit, "gated": bool(repo.token)})
                elif kind == "tree":
                    self._json(self._tree(repo, "/".join(parts[6:])))
                else:
                    self._error(404, "EntryNotFound", "no such API")
                return
            if parts[:1] == ["datasets"] and len(parts) >= 6 and parts[3] == "resolve":
                repo = self._repo("/".join(parts[1:3]), parts[4])
                if repo is not None:
                    self._resolve(repo, "/".join(parts[5:]), body)
                return
            self._error(404, "RepoNotFound", "not a Hub route")

        def _repo(self, repo_id: str, rev: str) -> HubRepo | None:
            repo = hub.repos.get(repo_id)
            if repo is None:
                self._error(404, "RepoNotFound", f"Repository Not Found for url: {self.path}")
                return None
            if rev not in (repo.commit, *repo.branches):
                self._error(404, "RevisionNotFound", f"Invalid rev id: {rev}")
                return None
            return repo

        def _tree(self, repo: HubRepo, under: str) -> list[dict[str, Any]]:
            entries = []
            for path, data in sorted(repo.files.items()):
                if under and not path.startswith(under.rstrip("/") + "/"):
                    continue
                entry: dict[str, Any] = {
                    "type": "file",
                    "oid": repo.blob_id(path),
                    "size": len(data),
                    "path": path,
                }
                if repo.is_lfs(path):
                    entry["lfs"] = {"oid": repo.sha256(path), "size": len(data), "pointerSize": 134}
                entries.append(entry)
            return entries

        def _resolve(self, repo: HubRepo, path: str, body: bool) -> None:
            if repo.token is not None:
                given = self.headers.get("Authorization")
                if given is None:
                    self._error(
                        401,
                        "GatedRepo",
                        f"Access to dataset {repo.repo_id} is restricted. You must have access "
                        "to it and be authenticated to access it. Please log in.",
                    )
                    return
                if given != f"Bearer {repo.token}":
                    self._error(
                        403,
                        "GatedRepo",
                        f"Access to dataset {repo.repo_id} is restricted and you are not in the "
                        "authorized list.",
                    )
                    return
            if path not in repo.files:
                self._error(404, "EntryNotFound", f"Entry Not Found for url: {self.path}", repo)
                return
            data = repo.files[path]
            if repo.is_lfs(path):
                self.send_response(302)
                self.send_header("X-Repo-Commit", repo.commit)
                self.send_header("ETag", f'"{repo.blob_id(path)}"')
                self.send_header("X-Linked-Etag", f'"{repo.sha256(path)}"')
                self.send_header("X-Linked-Size", str(len(data)))
                self.send_header("Location", f"{hub.cdn_url}/cdn/{repo.repo_id}/{path}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._bytes(
                path, data, body, {"X-Repo-Commit": repo.commit, "ETag": f'"{repo.blob_id(path)}"'}
            )

        def _cdn(self, path: str, body: bool) -> None:
            rest = unquote(path).removeprefix("/cdn/").split("/")
            repo = hub.repos.get("/".join(rest[:2]))
            name = "/".join(rest[2:])
            if repo is None or name not in repo.files:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._bytes(name, repo.files[name], body, {"ETag": f'"{repo.sha256(name)}"'})

        def _bytes(self, name: str, data: bytes, body: bool, headers: dict[str, str]) -> None:
            start = 0
            ranged = self.headers.get("Range")
            if ranged and ranged.startswith("bytes="):
                start = int(ranged[6:].split("-")[0] or 0)
            fault = hub._next_fault(name) if body else None
            part = data[start:]
            self.send_response(206 if start else 200)
            for key, value in headers.items():
                self.send_header(key, value)
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("Content-Length", str(len(part)))
            self.send_header("Accept-Ranges", "bytes")
            if fault is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            if not body:
                return
            if fault is None:
                self.wfile.write(part)
                return
            self.close_connection = True
            if fault in ("cut", "stall"):
                self.wfile.write(part[: max(1, len(part) // 2)])
                self.wfile.flush()
            if fault == "stall":
                hub.stalled.set()
                hub._release.wait(30)

        def _json(self, value: Any) -> None:
            data = json.dumps(value).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _error(self, status: int, code: str, message: str, repo: HubRepo | None = None) -> None:
            data = json.dumps({"error": message}).encode()
            self.send_response(status)
            if code:
                self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
            if repo is not None:
                self.send_header("X-Repo-Commit", repo.commit)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    return Handler
