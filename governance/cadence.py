"""Which required meetings happened this school year, and who keeps away (DOMAIN.md)."""

import datetime
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from alliance.models import SchoolGroup
from governance.models import (
    COUNTED_PRESENT,
    Attendance,
    CouncilPolicy,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from members.models import School
from members.selectors import member_school_ids_on

HELD = (MeetingStatus.CLOSED, MeetingStatus.APPROVED)


@dataclass(frozen=True)
class Period:
    label: str
    required: int
    held: int
    # "held"; "missing" (period over, too few held); "due" (period not over); "outside" (the
    # group did not exist during the period: founded later or dissolved before it)
    status: str
    starts: datetime.date
    current: bool  # today falls in it


def school_year(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    month = settings.GOVERNANCE_DEFAULTS["school_year_starts_month"]
    start_year = day.year if day.month >= month else day.year - 1
    start = datetime.date(start_year, month, 1)
    return start, datetime.date(start_year + 1, month, 1) - datetime.timedelta(days=1)


def _months(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        following = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        yield day, following - datetime.timedelta(days=1)
        day = following


def cadence_report(*, group: SchoolGroup, today: datetime.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    start, end = school_year(today)
    own = CouncilPolicy.objects.filter(group=group).values_list("cadence", flat=True).first()
    rules = {**settings.GOVERNANCE_DEFAULTS["cadence"], **(own or {})}
    held_days = [
        (kind, timezone.localtime(starts_at).date())
        for kind, starts_at in Meeting.objects.filter(
            group=group, status__in=HELD, starts_at__date__range=(start, end)
        ).values_list("kind", "starts_at")
    ]
    report = []
    for kind, (per, required) in rules.items():
        ranges = list(_months(start, end)) if per == "month" else [(start, end)]
        periods = []
        for first, last in ranges:
            held = sum(1 for k, day in held_days if k == kind and first <= day <= last)
            status = _status(group, first, last, held, required, today)
            label = first.strftime("%Y-%m") if per == "month" else f"{start.year}–{end.year}"
            current = first <= today <= last
            periods.append(Period(label, required, held, status, first, current))
        report.append(
            {"code": kind, "kind": MeetingKind(kind).label, "per": per, "periods": periods}
        )
    return report


def _status(group, first, last, held: int, required: int, today) -> str:
    # A period the group existed in for a day still counts: the founding month's meeting is due.
    if last < group.founded_on or (group.dissolved_on and first > group.dissolved_on):
        return "outside"
    if held >= required:
        return "held"
    return "missing" if last < today else "due"


def attendance_threshold() -> Fraction:
    """The attendance rate below which a school is flagged (a setting, 1/2 by default)."""
    return Fraction(settings.GOVERNANCE_DEFAULTS["attendance_flag_below"])


def attendance_rates(*, group: SchoolGroup, today: datetime.date | None = None) -> list[dict]:
    """Per current member school: meetings attended of those held this school year."""
    today = today or timezone.localdate()
    start, _end = school_year(today)
    held = Meeting.objects.filter(group=group, status__in=HELD, starts_at__date__gte=start)
    # Each school is measured against the meetings it was invited to (a school that joined in
    # the spring is not blamed for the autumn); coming uninvited is not counted either, or a
    # rate could pass 100%.
    invited = Counter(
        Meeting.invited_schools.through.objects.filter(meeting__in=held).values_list(
            "school_id", flat=True
        )
    )
    attended = Counter(
        Attendance.objects.filter(
            meeting__in=held, status__in=COUNTED_PRESENT, meeting__invited_schools=F("school")
        ).values_list("school_id", flat=True)
    )
    threshold = attendance_threshold()
    schools = School.objects.filter(pk__in=member_school_ids_on(group=group, day=today))
    rows = []
    for school in schools.order_by("code"):
        total, came = invited[school.pk], attended[school.pk]
        rate = Fraction(came, total) if total else None
        rows.append(
            {
                "school": school,
                "attended": came,
                "held": total,
                "rate": rate,
                "flagged": rate is not None and rate < threshold,
            }
        )
    return rows
