"""Schemathesis against the served OpenAPI schema, with every check it has: no generated
request gets a 5xx, every answer has a documented status, content type, headers and
body (its `response_model`, or the error body), invalid input is refused and valid
input accepted, unsupported methods are refused.

Bounded in time: a few dozen examples per operation, over real HTTP, with the
admin key so the write endpoints' validation is exercised too (their rate
limit is raised so the fuzzer is not simply answered 429).

Some routes check more than a JSON schema can say, against what is stored,
and say so in their documented statuses: a launch names suites and models the
server must know (400); an imported run must agree with itself (422: attempts
of its own suites and models, ids unique) and fit the database (400: 64-bit
numbers); a label must be of the run's kind (pass/fail, 1-5 or stance, fixed
by the first label); a scoring pass, a stratum or a scorer must exist in the
run (400); a review must name its reviewer when the key does not (400). For
those routes, and only those, the positive-data check accepts
that documented status too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from support.lab import ADMIN_KEY, Seed, make_app
from support.live_server import LiveServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fuzz_server(seed: Seed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("fuzz") / "lab.db"
    db.write_bytes(Path(seed.db).read_bytes())
    with LiveServer(make_app(f"sqlite:///{db}", rate_limit=100_000)) as live:
        yield live


def test_no_request_is_a_server_error(fuzz_server: LiveServer) -> None:
    # Schemathesis' pytest plugin does not run under this pytest; drive its strategies directly.
    accepted = ["2xx", "401", "403", "404", "409", "429"]
    # Where a documented 400 depends on what is stored (a suite, a scoring pass, a stratum,
    # the kind a run's labels already have), a schema-valid request may meet it; formats
    # (tags, months, labeler names) are in the schema, so those routes get no such pass.
    semantic = [
        ("/api/runs", "POST", ["400"]),
        ("/api/results", "POST", ["400", "422"]),
        ("/api/runs/{run_id}", "GET", ["400"]),
        ("/api/compare", "GET", ["400"]),
        ("/api/runs/{run_id}/labels", "POST", ["400"]),
        ("/api/runs/{run_id}/labels/queue", "GET", ["400"]),
        ("/api/runs/{run_id}/agreement", "GET", ["400"]),
        ("/api/runs/{run_id}/factors", "GET", ["400"]),  # a grid and its factors
        # a review needs a reviewer's name unless a labeler's own key names one (who holds
        # the key is not in the schema), and something to record
        ("/api/review/{suite}", "POST", ["400"]),
    ]
    config = SchemathesisConfig.from_dict(
        {
            "operations": [
                {
                    "include-name": f"{method} {path}",
                    "checks": {"positive_data_acceptance": {"expected-statuses": accepted + codes}},
                }
                for path, method, codes in semantic
            ]
        }
    )
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json", config=config)
    operations: list[Any] = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 14
    load_all_checks()
    checks: list[Any] = list(CHECKS.get_all())
    assert len(checks) >= 10  # all of them, not a chosen few
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(
                base_url=fuzz_server.url,
                headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                checks=checks,
                timeout=30,
            )

        check()


def test_every_ref_resolves_and_writes_document_their_refusals(fuzz_server: LiveServer) -> None:
    import httpx

    spec = httpx.get(f"{fuzz_server.url}/openapi.json").json()
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    schemas = spec["components"]["schemas"]
    assert len(refs) > 20
    assert [r for r in refs if r.rsplit("/", 1)[-1] not in schemas or "/$defs/" in r] == []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("post", "delete", "put", "patch"):
                codes = set(operation["responses"])
                assert {"401", "403", "413", "422", "429"} <= codes, (method, path)


# Texts where Python's white space (the server's "blank"), Rust's (pydantic's patterns) and
# ECMAScript's (the schema's readers) part ways, and plain ones.
BLANKISH = ["\x1c", "\x1f", "\x85", "\ufeff", "\u3000", "\xa0", " \t", "k", " k ", " \ufeff "]


def _ecmascript_allows(page: Page, pattern: str, value: str) -> bool:
    return bool(page.evaluate("([p, v]) => new RegExp(p, 'u').test(v)", [pattern, value]))


def test_the_tag_pattern_means_in_ecmascript_what_the_server_accepts(
    fuzz_server: LiveServer, browser: Browser
) -> None:
    """JSON Schema patterns are ECMAScript's; the server's "blank" is Python's `strip`. The
    two disagree on U+001C-U+001F, U+0085 and U+FEFF, and the fuzzer once met a tag whose
    key was U+0085: allowed by the schema, refused by the server. Each such key is
    checked here in Chromium's own RegExp against the server's answer."""
    import httpx

    spec = httpx.get(f"{fuzz_server.url}/openapi.json").json()
    page = browser.new_page()
    for path in ("/api/runs", "/api/leaderboard", "/api/trends"):
        (tag,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "tag"]
        pattern = tag["schema"]["items"]["pattern"]
        for key in BLANKISH:
            value = f"{key}=v"
            params = {"tag": value, "suite": "quickstart"}
            status = httpx.get(f"{fuzz_server.url}{path}", params=params).status_code
            assert status in (200, 400), (path, repr(key), status)
            assert _ecmascript_allows(page, pattern, value) == (status == 200), (path, repr(key))
    page.close()


def test_the_launch_name_pattern_means_in_ecmascript_what_the_server_accepts(
    fuzz_server: LiveServer, browser: Browser
) -> None:
    """A launch's suite, model, scorer and judge names must not be blank: pydantic checks
    the served pattern itself (in Rust's dialect, after stripping), a client reads it in
    ECMAScript's. Each name field gets each text, checked in Chromium's RegExp against the
    server's answer: 422 is the name refused, 400 the name taken (then the unknown suite
    refused, so nothing starts)."""
    import httpx

    spec = httpx.get(f"{fuzz_server.url}/openapi.json").json()
    fields = spec["components"]["schemas"]["LaunchRequest"]["properties"]
    patterns = {
        "suites": fields["suites"]["items"]["pattern"],
        "models": fields["models"]["items"]["pattern"],
        "scorers": fields["scorers"]["items"]["pattern"],
        "judge_model": fields["judge_model"]["anyOf"][0]["pattern"],
    }
    page = browser.new_page()
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with httpx.Client(base_url=fuzz_server.url, headers=auth) as client:
        for field, pattern in patterns.items():
            for text in BLANKISH:
                body: dict[str, Any] = {"suites": ["not-a-suite"], "models": ["echo"]}
                body[field] = text if field == "judge_model" else [text]
                status = client.post("/api/runs", json=body).status_code
                assert status in (400, 422), (field, repr(text), status)
                assert _ecmascript_allows(page, pattern, text) == (status == 400), (
                    field,
                    repr(text),
                )
    page.close()
