"""What the benchmarks open, as whom, and how a page is measured.

`bound` is the query bound the test suite asserts for the same page on its small county
(tests/...: `django_assert_max_num_queries`); None where the suite asserts none.
"""

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.county import County
from tests.alliance.test_home_todo import HOME_QUERIES


@dataclass(frozen=True)
class Page:
    name: str
    kind: str  # "page" or "api"
    role: str  # bureau, chair, principal or teacher
    path: Callable[[County], str]
    bound: int | None


def _last_quarter(county: County) -> str:
    """The quarter just ended: the one the report to the bureau is written for."""
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 or 4
    year = today.year if quarter < 4 else today.year - 1
    return f"?year={year}&quarter={quarter}"


def _alliances(county: County) -> str:
    return "?q=联盟"  # every alliance's name ends so (联盟型, 001)


def _colleague(county: County) -> str:
    """A staff search by family name (姓): the benchmarked teacher's, so it finds someone."""
    return f"?q={county.users['teacher'].staff.name[0]}"


def _url(name: str, *args: str, query: Callable[[County], str] | None = None):
    def path(county: County) -> str:
        url = reverse(f"dashboard:{name}", args=[getattr(county, arg).pk for arg in args])
        return url + (query(county) if query else "")

    return path


PAGES = [
    Page("home", "page", "bureau", _url("home"), HOME_QUERIES),
    Page("home", "page", "chair", _url("home"), HOME_QUERIES),
    Page("home", "page", "principal", _url("home"), HOME_QUERIES),
    Page("home", "page", "teacher", _url("home"), HOME_QUERIES),
    Page("group list", "page", "bureau", _url("group-list"), 16),  # tests/test_views.py
    Page("group list: search", "page", "bureau", _url("group-list", query=_alliances), 16),
    Page("group overview", "page", "chair", _url("group-detail", "group"), 16),
    Page("school page", "page", "principal", _url("school-detail", "principal_school"), 16),
    Page(
        "school page: staff search",
        "page",
        "principal",
        _url("school-detail", "principal_school", query=_colleague),
        16,
    ),
    # tests/governance/test_action_item_pages.py, test_pages.py
    Page("council", "page", "chair", _url("council", "group"), 25),
    Page("meeting", "page", "chair", _url("meeting-detail", "meeting"), 24),
    Page(
        "quarterly report",
        "page",
        "chair",
        _url("quarterly-report", "group", query=_last_quarter),
        13,
    ),
    # tests/test_api.py, tests/governance/test_api.py
    Page("/api/v1/groups/", "api", "bureau", lambda c: "/api/v1/groups/", 12),
    Page("/api/v1/meetings/", "api", "bureau", lambda c: "/api/v1/meetings/", 12),
    Page("/api/v1/action-items/", "api", "bureau", lambda c: "/api/v1/action-items/", 10),
    Page("/api/v1/staff/", "api", "bureau", lambda c: "/api/v1/staff/", 12),
]


def page_id(page: Page) -> str:
    return f"{page.name} ({page.role})"


def signed_in(county: County, role: str) -> Client:
    client = Client()
    client.force_login(county.bureau if role == "bureau" else county.users[role])
    return client


@dataclass
class Measured:
    statuses: list[int]  # every status code seen; [200] is all well
    queries: list[str]  # the SQL of one request after the warm-up
    times_ms: list[float]
    size: int  # bytes of the response

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95_ms(self) -> float:
        """Nearest rank: of 20 runs, the 19th fastest."""
        ordered = sorted(self.times_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]


def count_queries(page: Page, county: County) -> list[str]:
    """The SQL one request runs, after a warm-up request."""
    return measure(page, county, runs=0).queries


def measure(page: Page, county: County, *, runs: int) -> Measured:
    client, path = signed_in(county, page.role), page.path(county)
    client.get(path)  # warm-up: templates, translations, connection
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    # Read now: the next request empties the connection's query log.
    queries = [query["sql"] for query in captured.captured_queries]
    statuses, size = {response.status_code}, len(response.content)
    # The test client's response holds the template context (forms, querysets): kept through the
    # runs, it made each full collection on the meeting page some ten times as long.
    del response, captured
    _same_collector_state()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        statuses.add(client.get(path).status_code)
        times.append((time.perf_counter() - start) * 1000)
    return Measured(sorted(statuses), queries, times, size)


def _same_collector_state() -> None:
    """Each page's timed requests start from the same collector state, whatever ran before.
    Alive by then are the counties and pytest (some 200,000 objects), the caches earlier pages
    filled and what the test client leaves behind (some 20 objects a request). Unfrozen, every
    full collection during a timed request scans them: 100-150 ms for the counties, and later
    pages measured slower than the same page measured first. Frozen, a collection scans only
    what this page's requests made, so their own garbage is still timed."""
    gc.collect()
    gc.freeze()
