"""The pages people open and the API lists, timed on the large county as the users who open
them. Each fails when its p95 misses the target (benchmarks/targets.py) or when it runs more
queries than on the small county (the suite's bound then no longer holds at size)."""

import pytest

from benchmarks import report
from benchmarks.pages import PAGES, measure, page_id
from benchmarks.targets import RUNS, TARGET_P95_MS


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_the_page_meets_its_target_with_as_many_queries_as_on_a_small_county(page, bench):
    measured = measure(page, bench.large, runs=RUNS)
    small = bench.baseline[page_id(page)]
    target = TARGET_P95_MS[page.kind]
    report.add(page, measured, small_queries=len(small), target_ms=target)
    problems = []
    if measured.statuses != [200]:
        problems.append(f"status codes {measured.statuses}")
    if len(measured.queries) != len(small):
        problems.append(
            f"{len(measured.queries)} queries on the large county, {len(small)} on the small "
            f"one:\n{report.query_diff(small, measured.queries)}"
        )
    if page.bound is not None and len(small) > page.bound:
        problems.append(f"{len(small)} queries on the small county, the tests allow {page.bound}")
    if measured.p95_ms > target:
        problems.append(f"p95 {measured.p95_ms:.0f} ms, the target is {target} ms")
    assert not problems, "\n".join(problems)
