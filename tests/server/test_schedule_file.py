"""Schedules files: what loads, the one-line errors (file, line, schedule), next run times."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from benchlab.errors import ConfigError
from benchlab.server.schedule_file import load_schedules, next_time, parse_cron

SUITE = """\
name: local
version: "1"
scorers: [exact]
cases:
  - {id: a, input: "Say A", expected: A}
  - {id: b, input: "Say B", expected: B}
"""

MODELS = """\
models:
  - name: fast
    spec: oracle
  - name: slow
    spec: echo
"""


def _write(folder: Path, text: str) -> Path:
    path = folder / "schedules.yaml"
    path.write_text(text)
    return path


def test_a_good_file_loads_with_resolved_configs(tmp_path: Path) -> None:
    (tmp_path / "suites").mkdir()
    (tmp_path / "suites" / "local.yaml").write_text(SUITE)
    (tmp_path / "models.yaml").write_text(MODELS)
    path = _write(
        tmp_path,
        """\
timezone: Europe/Paris
schedules:
  - name: daily-sample
    cron: "0 6 * * *"
    suite: quickstart
    models: [oracle, echo]
    limit: 5
    seed: 7
    tags: {kind: tracker}
  - name: weekly.full
    cron: "@weekly"
    timezone: UTC
    suites: [suites/local.yaml, quickstart]
    models: models.yaml
    samples: 2
    concurrency: 4
    scorers: [exact, {name: contains}]
    temperature: 0.5
  - name: picked
    cron: "*/15 9-17 * * 1-5"
    suite: quickstart
    models: [slow]
    models_file: models.yaml
    enabled: false
""",
    )
    loaded = load_schedules(path, env={})
    assert loaded.timezone == "Europe/Paris"
    daily, weekly, picked = loaded.schedules
    assert (daily.name, daily.timezone, daily.line) == ("daily-sample", "Europe/Paris", 3)
    assert daily.models == ("oracle", "echo")
    assert daily.config.limit == 5 and daily.config.seed == 7 and daily.config.db is None
    assert daily.config.tags == {
        "source": "schedule",
        "kind": "tracker",
        "schedule": "daily-sample",
    }
    assert weekly.cron == "@weekly" and weekly.expression == "0 0 * * 0"
    assert weekly.timezone == "UTC"
    assert weekly.suites == ("suites/local.yaml", "quickstart")
    assert weekly.config.suites == [str(tmp_path / "suites" / "local.yaml"), "quickstart"]
    assert weekly.models == ("fast", "slow")
    assert weekly.config.samples == 2 and weekly.config.concurrency == 4
    assert [s.name for s in weekly.config.scorers] == ["exact", "contains"]
    assert {m.params.temperature for m in weekly.config.models} == {0.5}
    assert picked.models == ("slow",) and picked.enabled is False
    assert picked.next_after(datetime(2025, 1, 1, tzinfo=UTC)) is None
    assert daily.describe() == "At 06:00 every day"


def test_a_schedule_measures_unless_its_cache_key_says_otherwise(tmp_path: Path) -> None:
    """Issue 11: a daily schedule re-served yesterday's answers from the cache; `cache:` is
    now false unless set, so each scheduled run asks the model afresh."""
    path = _write(
        tmp_path,
        """\
schedules:
  - name: fresh
    cron: "@daily"
    suite: quickstart
    models: [oracle]
  - name: reusing
    cron: "@daily"
    suite: quickstart
    models: [oracle]
    cache: true
""",
    )
    fresh, reusing = load_schedules(path, env={}).schedules
    assert fresh.config.cache is False and reusing.config.cache is True


def test_an_empty_list_is_no_schedules(tmp_path: Path) -> None:
    assert load_schedules(_write(tmp_path, "schedules: []\n")).schedules == ()


GOOD = """\
  - name: ok
    cron: "0 6 * * *"
    suite: quickstart
    models: [oracle]
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '  - name: a\n    cron: "61 6 * * *"\n    suite: quickstart\n    models: [oracle]\n',
            ":3: schedule 'a': cron '61 6 * * *': bad minute field",
        ),
        (
            '  - name: a\n    cron: "0 6 * *"\n    suite: quickstart\n    models: [oracle]\n',
            ":3: schedule 'a': cron '0 6 * *': expected 5 fields",
        ),
        (
            '  - name: a\n    cron: "0 0 6 * * *"\n    suite: quickstart\n    models: [oracle]\n',
            "expected 5 fields",
        ),
        (
            "  - name: a\n    cron: '@sometimes'\n    suite: quickstart\n    models: [oracle]\n",
            "cron '@sometimes': unknown shorthand (known: @yearly",
        ),
        (
            '  - name: a\n    cron: "0 0 30 2 *"\n    suite: quickstart\n    models: [oracle]\n',
            "cron '0 0 30 2 *': bad day-of-month field",
        ),
        (
            GOOD + "    limt: 5\n",
            ":6: schedule 'ok': unknown key 'limt' (did you mean 'limit'?)",
        ),
        (
            '  - name: a\n    cron: "0 6 * * *"\n    suite: nosuch\n    models: [oracle]\n',
            ":4: schedule 'a': suite 'nosuch': unknown built-in suite 'nosuch'",
        ),
        (
            '  - name: a\n    cron: "0 6 * * *"\n    suite: gone.yaml\n    models: [oracle]\n',
            "gone.yaml: suite file not found",
        ),
        (
            '  - name: a\n    cron: "0 6 * * *"\n    suite: quickstart\n    models: [nope/x]\n',
            ":5: schedule 'a': models: model 'nope/x': unknown provider 'nope'",
        ),
        (
            GOOD.replace("[oracle]", "[openai/gpt-4.1]"),
            "schedule 'ok': model 'openai/gpt-4.1' needs an API key: set OPENAI_API_KEY",
        ),
        (GOOD + GOOD, ":6: schedule 'ok': defined twice (first at line 2)"),
        (
            GOOD + "    timezone: Mars/Olympus\n",
            ":6: schedule 'ok': timezone: unknown time zone 'Mars/Olympus'",
        ),
        (GOOD + "    suites: [quickstart]\n", "give either 'suite' or 'suites'"),
        ('  - name: a\n    cron: "0 6 * * *"\n    models: [oracle]\n', "give either 'suite'"),
        (GOOD + "    limit: 0\n", ":6: schedule 'ok': limit: Input should be greater than 0"),
        (GOOD + "    tags: {schedule: x}\n", "tags: 'schedule' is set by the scheduler"),
        (GOOD + "    models_file: missing.yaml\n", "missing.yaml: cannot read"),
        (GOOD + "    scorers: [{tolerance: 1}]\n", ":6: schedule 'ok': scorers:"),
        (
            '  - name: "a b"\n    cron: "0 6 * * *"\n    suite: quickstart\n    models: [oracle]\n',
            ":2: schedule 'a b': name 'a b': use letters, digits",
        ),
        (
            "  - name: a\n    suite: quickstart\n    models: [oracle]\n",
            "schedule 'a': missing 'cron'",
        ),
        ("  - cron: '0 6 * * *'\n    suite: quickstart\n", ":2: schedule #1: missing 'name'"),
        ("  - just a string\n", ":2: schedule #1: expected a mapping"),
        (
            "  - name: a\n    cron: */15 * * * *\n    suite: quickstart\n    models: [oracle]\n",
            ":3: invalid YAML: expected alphabetic or numeric character, but found '/' "
            '(quote cron expressions: cron: "*/15 * * * *")',
        ),
    ],
)
def test_mistakes_are_one_line_naming_file_line_and_schedule(
    tmp_path: Path, body: str, expected: str
) -> None:
    path = _write(tmp_path, "schedules:\n" + body)
    with pytest.raises(ConfigError) as caught:
        load_schedules(path, env={})
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert expected in message, message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jobs: []\n", "expected a mapping with a 'schedules:' list"),
        ("- a\n", "expected a mapping with a 'schedules:' list"),
        (
            "schedules: []\nzone: UTC\n",
            ":2: unknown top-level key 'zone' (did you mean 'timezone'?)",
        ),
        ("timezone: Nowhere\nschedules: []\n", ":1: timezone: unknown time zone 'Nowhere'"),
        ("schedules: {a: 1}\n", ":1: schedules: expected a list"),
    ],
)
def test_file_level_mistakes(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=None) as caught:
        load_schedules(_write(tmp_path, text))
    assert expected in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"--schedules .*nope\.yaml: cannot read"):
        load_schedules(tmp_path / "nope.yaml")


UTC_ZONE = ZoneInfo("UTC")
PARIS = ZoneInfo("Europe/Paris")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cron", "zone", "after", "expected"),
    [
        ("0 6 * * *", UTC_ZONE, _utc(2025, 1, 1, 5, 59, 59), _utc(2025, 1, 1, 6)),
        ("0 6 * * *", UTC_ZONE, _utc(2025, 1, 1, 6), _utc(2025, 1, 2, 6)),  # strictly after
        ("0 6 * * *", UTC_ZONE, _utc(2025, 1, 1, 6, 0, 0, 500_000), _utc(2025, 1, 2, 6)),
        # 06:00 in Paris is 05:00 UTC in winter (CET) and 04:00 UTC in summer (CEST)
        ("0 6 * * *", PARIS, _utc(2025, 1, 1), _utc(2025, 1, 1, 5)),
        ("0 6 * * *", PARIS, _utc(2025, 7, 1), _utc(2025, 7, 1, 4)),
        # a local midnight is the previous UTC day when the zone is behind UTC
        ("0 0 * * 0", NEW_YORK, _utc(2025, 1, 1), _utc(2025, 1, 5, 5)),  # Sunday, EST
        ("@weekly", UTC_ZONE, _utc(2025, 1, 1), _utc(2025, 1, 5)),
        ("@monthly", UTC_ZONE, _utc(2025, 1, 15), _utc(2025, 2, 1)),
        # spring forward: 02:30 does not exist on 2025-03-30 in Berlin; it runs at 03:00 CEST
        ("30 2 * * *", BERLIN, _utc(2025, 3, 29, 12), _utc(2025, 3, 30, 1)),
        # fall back: 02:30 happens twice on 2025-10-26; it runs once, at the first (CEST)
        ("30 2 * * *", BERLIN, _utc(2025, 10, 25, 12), _utc(2025, 10, 26, 0, 30)),
        ("30 2 * * *", BERLIN, _utc(2025, 10, 26, 0, 30), _utc(2025, 10, 27, 1, 30)),
        ("*/15 9-17 * * 1-5", UTC_ZONE, _utc(2025, 1, 3, 17, 50), _utc(2025, 1, 6, 9)),
    ],
)
def test_next_run_times(cron: str, zone: ZoneInfo, after: datetime, expected: datetime) -> None:
    found = next_time(parse_cron(cron), zone, after)
    assert found == expected
    assert found is not None and found.tzinfo is not None and found.utcoffset() is not None


def test_next_run_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_time("0 6 * * *", UTC_ZONE, datetime(2025, 1, 1))


def test_a_schedule_uses_its_own_zone(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "timezone: Europe/Paris\nschedules:\n"
        + GOOD
        + GOOD.replace("name: ok", "name: ny")
        + "    timezone: America/New_York\n",
    )
    paris, ny = load_schedules(path).schedules
    after = _utc(2025, 1, 1)
    assert paris.next_after(after) == _utc(2025, 1, 1, 5)
    assert ny.next_after(after) == _utc(2025, 1, 1, 11)


def test_the_readme_example_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("### Schedules", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "suites").mkdir()
    (tmp_path / "suites" / "support-faq.yaml").write_text(SUITE)
    (tmp_path / "models.yaml").write_text(MODELS)
    daily, weekly = load_schedules(_write(tmp_path, example), env={}).schedules
    assert (daily.name, daily.config.limit, daily.config.seed) == ("daily-sample", 50, 7)
    assert weekly.expression == "0 0 * * 0" and weekly.models == ("fast", "slow")
