"""The results: a table printed at the end of the run and test-artifacts/bench.json."""

import json
import platform
import re
from collections import Counter
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection

from alliance.models import SchoolGroup
from governance.models import (
    ActionItem,
    Attendance,
    CouncilSeat,
    Meeting,
    ProgressNote,
    Resolution,
    Vote,
)
from members.models import Membership, MembershipEvent, School, Staff

ARTIFACT = Path(settings.BASE_DIR) / "test-artifacts" / "bench.json"
COUNTED = {
    "schools": School,
    "groups": SchoolGroup,
    "staff": Staff,
    "logins": User,
    "memberships": Membership,
    "membership events": MembershipEvent,
    "council seats": CouncilSeat,
    "meetings": Meeting,
    "attendance": Attendance,
    "resolutions": Resolution,
    "votes": Vote,
    "action items": ActionItem,
    "progress notes": ProgressNote,
}

ROWS: list[dict] = []
META: dict = {}


def table_sizes() -> dict[str, int]:
    return {name: model.objects.count() for name, model in COUNTED.items()}


def add(page, measured, *, small_queries: int, target_ms: int) -> None:
    ROWS.append(
        {
            "page": page.name,
            "kind": page.kind,
            "as": page.role,
            "median_ms": round(measured.median_ms, 1),
            "p95_ms": round(measured.p95_ms, 1),
            "target_p95_ms": target_ms,
            "queries": len(measured.queries),
            "queries_small_county": small_queries,
            "query_bound_in_tests": page.bound,
            "response_kb": round(measured.size / 1024, 1),
            "runs": len(measured.times_ms),
        }
    )


def write() -> Path:
    ARTIFACT.parent.mkdir(exist_ok=True)
    meta = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "django": django.get_version(),
        **META,
    }
    ARTIFACT.write_text(json.dumps({**meta, "results": ROWS}, ensure_ascii=False, indent=2))
    return ARTIFACT


def lines() -> list[str]:
    header = ("page", "as", "median ms", "p95 ms", "target", "queries", "small", "bound", "KB")
    rows = [
        (
            row["page"],
            row["as"],
            f"{row['median_ms']:.1f}",
            f"{row['p95_ms']:.1f}",
            str(row["target_p95_ms"]),
            str(row["queries"]),
            str(row["queries_small_county"]),
            "—" if row["query_bound_in_tests"] is None else str(row["query_bound_in_tests"]),
            f"{row['response_kb']:.0f}",
        )
        for row in ROWS
    ]
    widths = [max(_width(cells[n]) for cells in [header, *rows]) for n in range(len(header))]
    out = [f"database: {connection.vendor}; " + "; ".join(f"{k}: {v}" for k, v in META.items())]
    for cells in [header, *rows]:
        out.append(
            "  ".join(
                _pad(cell, width, n)
                for n, (cell, width) in enumerate(zip(cells, widths, strict=True))
            )
        )
    return out


def _width(text: str) -> int:
    """Columns on a terminal: a Chinese character takes two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(cell: str, width: int, column: int) -> str:
    gap = " " * (width - _width(cell))
    return cell + gap if column < 2 else gap + cell


def query_diff(small: list[str], large: list[str]) -> str:
    """The statements run a different number of times on the two counties, numbers masked."""
    masked = [Counter(re.sub(r"\b\d+\b", "?", sql) for sql in run) for run in (small, large)]
    changed = [
        f"{masked[0][sql]} -> {masked[1][sql]}: {sql[:300]}"
        for sql in masked[0].keys() | masked[1].keys()
        if masked[0][sql] != masked[1][sql]
    ]
    return "\n".join(sorted(changed))
