"""Set-up of the benchmarks (`make bench`, or `pytest benchmarks`; not part of `make test`).

Once per session, against whatever DATABASE_URL says: the small county, whose query counts are
the baseline, then the large county on top of it. The bureau is the same account in both.
"""

import time
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from alliance.services import bureau_user_ensure
from benchmarks import report
from benchmarks.county import LARGE, SMALL, County, Scale, build_county
from benchmarks.pages import PAGES, count_queries, page_id
from benchmarks.targets import RUNS, TARGET_P95_MS


@dataclass
class Bench:
    small: County
    large: County
    baseline: dict[str, list[str]]  # page id -> the SQL it ran on the small county


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Bench:
    """The test database with both counties in it, built once per session."""
    with django_db_blocker.unblock():
        cache.clear()  # throttle counters of an earlier run (Redis, when REDIS_URL is set)
        bureau = bureau_user_ensure(username="bench-bureau", password=None)
        small = _build(SMALL, bureau)
        # Counted before the large county exists, inside a transaction as the benchmarks run
        # (the `db` fixture), then rolled back: the sign-ins leave nothing behind.
        with transaction.atomic():
            baseline = {page_id(page): count_queries(page, small) for page in PAGES}
            transaction.set_rollback(True)
        large = _build(LARGE, bureau)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    report.META.update(
        runs=RUNS,
        targets_p95_ms=TARGET_P95_MS,
        build_seconds={"small": round(small.seconds, 1), "large": round(large.seconds, 1)},
        sizes={"small": small.sizes, "large": large.sizes},
    )
    return Bench(small, large, baseline)


@pytest.fixture
def bench(django_db_setup, db) -> Bench:
    """The counties; each benchmark runs in a transaction rolled back after it (`db`)."""
    return django_db_setup


def _build(scale: Scale, bureau) -> County:
    before = report.table_sizes()
    start = time.perf_counter()
    county = build_county(scale, bureau=bureau)
    county.seconds = time.perf_counter() - start
    after = report.table_sizes()
    county.sizes = {name: after[name] - before[name] for name in after}
    return county


def pytest_terminal_summary(terminalreporter) -> None:
    if not report.ROWS:
        return
    path = report.write()
    terminalreporter.write_sep("=", "benchmarks")
    for line in report.lines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"written to {path}")
