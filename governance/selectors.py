import datetime
from fractions import Fraction

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from alliance.models import GroupStatus, SchoolGroup
from alliance.selectors import groups_visible_to
from governance.models import (
    COUNTED_PRESENT,
    ActionItem,
    Attendance,
    CouncilPolicy,
    CouncilSeat,
    Meeting,
    MeetingAttachment,
    MeetingStatus,
    ProgressNote,
    Resolution,
    SeatRole,
    Vote,
    parse_ratio,
)
from members.models import Membership, School, Staff
from members.roles import viewer_for
from members.selectors import member_school_ids_on


def policy_for(group: SchoolGroup) -> dict:
    """The group's council rules: its own values where set, the deployment's defaults else."""
    defaults = settings.GOVERNANCE_DEFAULTS
    own = CouncilPolicy.objects.filter(group=group).first()
    values = {}
    for name in ("quorum_ratio", "majority_ratio", "charter_majority_ratio"):
        text = getattr(own, name, "") or defaults[name]
        values[name] = parse_ratio(text)
    values["seat_term_years"] = (own and own.seat_term_years) or defaults["seat_term_years"]
    values["rotating_chair"] = bool(own and own.rotating_chair)
    return values


def seats_on(*, group: SchoolGroup, day) -> QuerySet[CouncilSeat]:
    """The council as it stood on `day`."""
    seats = CouncilSeat.objects.filter(group=group, starts_on__lte=day, ends_on__gte=day)
    return seats.select_related("holder", "school")


def _seats_today(**filters) -> QuerySet[CouncilSeat]:
    """Council seats within their term today."""
    today = timezone.localdate()
    return CouncilSeat.objects.filter(starts_on__lte=today, ends_on__gte=today, **filters)


def seat_held_by(user) -> CouncilSeat | None:
    """The council seat the user holds today, in an active group (the first, should they hold
    several)."""
    seats = _seats_today(holder__user=user, group__status=GroupStatus.ACTIVE)
    return seats.order_by("starts_on", "pk").first()


def runs_council(user, *, group_id: int) -> bool:
    """The bureau, the chair, or the secretary-general: who records attendance, decides and
    keeps the minutes. The lead school's principal chairs by default (001); a group with a
    rotating chair (000) is chaired by whoever holds the chair seat."""
    viewer = viewer_for(user)
    if viewer.is_bureau or group_id in viewer.chaired_group_ids:
        return True
    seat = _seats_today(group_id=group_id, role=SeatRole.SECRETARY_GENERAL, holder__user=user)
    return seat.exists()


def chaired_group_ids(
    principal: Staff, heads_lead_of: frozenset[int], member_of: frozenset[int]
) -> frozenset[int]:
    """The groups a principal chairs (members.roles' chair rule): those whose lead school
    they head, except where the chair rotates (000), plus the rotating groups whose chair
    seat they hold today. One query."""
    seat = _seats_today(group_id=OuterRef("group_id"), role=SeatRole.CHAIR, holder=principal)
    rotating = dict(
        CouncilPolicy.objects.filter(rotating_chair=True, group_id__in=member_of)
        .annotate(seated=Exists(seat))
        .values_list("group_id", "seated")
    )
    seated = {group_id for group_id, holds in rotating.items() if holds}
    return frozenset((heads_lead_of - rotating.keys()) | seated)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """The one scope for meetings: those of the groups the user can see."""
    meetings = Meeting.objects.select_related("group", "host_school")
    return meetings.filter(group__in=groups_visible_to(user).values("pk"))


def attachments_visible_to(user) -> QuerySet[MeetingAttachment]:
    """A meeting's documents go with the meeting: the download page and the API's download."""
    return MeetingAttachment.objects.filter(meeting__in=meetings_visible_to(user).values("pk"))


def meeting_list(*, user, group: SchoolGroup, filters: dict | None = None) -> QuerySet[Meeting]:
    """The council page's meetings, newest first, narrowed by text (title, place), kind, status."""
    filters = filters or {}
    meetings = meetings_visible_to(user).filter(group=group)
    if text := filters.get("q"):
        meetings = meetings.filter(Q(title__icontains=text) | Q(place__icontains=text))
    if kind := filters.get("kind"):
        meetings = meetings.filter(kind=kind)
    if status := filters.get("status"):
        meetings = meetings.filter(status=status)
    return meetings.order_by("-starts_at", "-pk")  # a stable order, so pages do not overlap


def seats_visible_to(user) -> QuerySet[CouncilSeat]:
    seats = CouncilSeat.objects.select_related("group", "holder", "school")
    return seats.filter(group__in=groups_visible_to(user).values("pk"))


def resolutions_visible_to(user) -> QuerySet[Resolution]:
    resolutions = Resolution.objects.select_related("meeting", "meeting__group")
    return resolutions.filter(meeting__group__in=groups_visible_to(user).values("pk"))


def schools_yet_to_vote(*, resolution: Resolution, present: list[School]) -> list[School]:
    """Schools recorded present (or by proxy) that have not voted on the resolution: those a
    count now would leave out (services._decide counts the present schools' votes only).
    Reads the resolution's votes as given, prefetched by the meeting page."""
    voted = {vote.school_id for vote in resolution.votes.all()}
    return [school for school in present if school.pk not in voted]


def next_host_suggestion(*, group: SchoolGroup, kind: str) -> School | None:
    """Hosts rotate (000: 每单位均可参与主办): the member that hosted this kind longest ago."""
    members = member_school_ids_on(group=group, day=timezone.localdate())
    last_hosted = dict(
        Meeting.objects.filter(group=group, kind=kind, host_school_id__in=members)
        .values_list("host_school_id")
        .annotate(last=Max("starts_at"))
    )
    schools = School.objects.filter(pk__in=members).order_by("code")
    never = [s for s in schools if s.pk not in last_hosted]
    if never:
        return never[0]
    return min(schools, key=lambda s: last_hosted[s.pk], default=None)


def ratio_met(part: int, whole: int, ratio: Fraction, *, inclusive: bool) -> bool:
    if whole == 0:
        return False
    share = Fraction(part, whole)
    return share >= ratio if inclusive else share > ratio


def action_items_visible_to(user) -> QuerySet[ActionItem]:
    items = ActionItem.objects.select_related(
        "resolution", "resolution__meeting", "owner_school", "owner_person"
    )
    return items.filter(resolution__meeting__group__in=groups_visible_to(user).values("pk"))


def open_action_items(
    *, group: SchoolGroup, on: datetime.date | None = None, filters: dict | None = None
) -> QuerySet[ActionItem]:
    """Decisions still open, oldest deadline first (OPEN_ORDER), each with its latest progress
    note; `on` a past day, those open that day: decided by then and not yet done. `filters`
    narrow them by text (what, or the owner's name) and to the overdue (by `on`, or today)."""
    filters = filters or {}
    if on is None:
        items = _open_items(group)
    else:
        items = ActionItem.objects.filter(
            Q(done_on__isnull=True) | Q(done_on__gt=on),
            resolution__meeting__group=group,
            # The meeting's day, not the count's: a past meeting recorded afterwards is dated
            # by when it was held, as the report's meetings are.
            resolution__meeting__starts_at__date__lte=on,
        )
    if text := filters.get("item_q"):
        items = items.filter(
            Q(description__icontains=text)
            | Q(owner_school__name__icontains=text)
            | Q(owner_person__name__icontains=text)
        )
    if filters.get("overdue"):
        items = items.filter(due_on__lt=on or timezone.localdate())
    latest = ProgressNote.objects.filter(action_item=OuterRef("pk")).order_by("-at", "-pk")
    return (
        items.select_related("resolution", "owner_school", "owner_person")
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_note_at=Subquery(latest.values("at")[:1]),
        )
        .order_by(*OPEN_ORDER)
    )


OPEN_ORDER = ("due_on", "pk")


def _open_items(group: SchoolGroup) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(resolution__meeting__group=group, done_on__isnull=True)


def open_action_item_rank(*, group: SchoolGroup, item_id: int) -> int | None:
    """How many open items come before this one in OPEN_ORDER; None when it is not an open
    item of the group."""
    items = _open_items(group)
    item = items.filter(pk=item_id).values(*OPEN_ORDER).first()
    if item is None:
        return None
    due = item["due_on"]
    return items.filter(Q(due_on__lt=due) | Q(due_on=due, pk__lt=item["pk"])).count()


# --- The home page's to-do card (待办) -------------------------------------------------------


def council_group_ids(user) -> set[int]:
    """The visible active groups whose council the user runs: `runs_council`'s rule (the
    bureau, the chair, the secretary-general in term) for every group in one query. A
    dissolved group's council has nothing left to do."""
    groups = groups_visible_to(user).filter(status=GroupStatus.ACTIVE)
    viewer = viewer_for(user)
    if not viewer.is_bureau:
        secretary = _seats_today(role=SeatRole.SECRETARY_GENERAL, holder__user=user)
        groups = groups.filter(
            Q(pk__in=viewer.chaired_group_ids) | Q(pk__in=secretary.values("group_id"))
        )
    return set(groups.values_list("pk", flat=True))


def _invited(user) -> Q:
    """Meetings the user is invited to: by name, or, for a principal, through the school."""
    viewer = viewer_for(user)
    if viewer.staff is None:
        return Q(pk__in=[])
    invited = Q(invited_people=viewer.staff)
    if viewer.is_principal:
        schools = Meeting.invited_schools.through.objects.filter(school_id=viewer.school_id)
        invited |= Q(pk__in=schools.values("meeting_id"))
    return invited


def upcoming_until(now: datetime.datetime) -> datetime.datetime:
    """The end of the set horizon (UPCOMING_MEETING_DAYS): a meeting starting between now and
    then counts as coming."""
    return now + datetime.timedelta(days=settings.GOVERNANCE_DEFAULTS["upcoming_meeting_days"])


def meetings_upcoming_for(user, *, council_group_ids: set[int]) -> QuerySet[Meeting]:
    """Scheduled meetings starting within the set horizon, soonest first, that the user's
    school is invited to or whose council the user runs."""
    now = timezone.now()
    meetings = meetings_visible_to(user).filter(
        Q(group_id__in=council_group_ids) | _invited(user),
        status=MeetingStatus.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=upcoming_until(now),
    )
    return meetings.order_by("starts_at", "pk")


def resolutions_awaiting_vote(user) -> QuerySet[Resolution]:
    """Open resolutions the user's school may still vote on, by the rule of
    `services.vote_cast`: its principal votes while the meeting is in session, if the school
    was a member on the meeting day, is recorded present or by proxy and has not voted."""
    viewer = viewer_for(user)
    if not viewer.is_principal:
        return Resolution.objects.none()
    school = viewer.school_id
    present = Attendance.objects.filter(
        meeting=OuterRef("meeting"), school_id=school, status__in=COUNTED_PRESENT
    )
    # As members.selectors.member_school_ids_on: approved by that day and not yet gone.
    member = Membership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=OuterRef("meeting_day")),
        group=OuterRef("meeting__group"),
        school_id=school,
        approved_on__lte=OuterRef("meeting_day"),
    )
    voted = Vote.objects.filter(resolution=OuterRef("pk"), school_id=school)
    return (
        resolutions_visible_to(user)
        .filter(outcome="", meeting__status=MeetingStatus.SCHEDULED)
        .annotate(meeting_day=TruncDate("meeting__starts_at"))  # in the current time zone
        .filter(Exists(present), Exists(member), ~Exists(voted))
        .order_by("meeting__starts_at", "pk")
    )


def action_items_reportable_by(user, *, council_group_ids: set[int]) -> QuerySet[ActionItem]:
    """Open items the user may report on, soonest due first, overdue ones flagged.

    The rule of `services.action_item_may_report`, as a query: the council's officers; the
    owner person; the principal of the owner school (the owner person's school when no school
    is named). tests/alliance/test_home_todo.py checks that the two agree.
    """
    viewer = viewer_for(user)
    reportable = Q(resolution__meeting__group_id__in=council_group_ids)
    if viewer.staff is not None:
        reportable |= Q(owner_person=viewer.staff)
    if viewer.is_principal:
        reportable |= Q(owner_school_id=viewer.school_id) | Q(
            owner_school__isnull=True, owner_person__school_id=viewer.school_id
        )
    overdue = ExpressionWrapper(Q(due_on__lt=timezone.localdate()), output_field=BooleanField())
    items = action_items_visible_to(user).filter(reportable, done_on__isnull=True)
    return items.annotate(is_overdue=overdue).order_by("due_on", "pk")


def meetings_awaiting_minutes(user, *, council_group_ids: set[int]) -> QuerySet[Meeting]:
    """Meetings of a council the user runs that have begun and whose minutes are not yet
    approved (still to close, or closed), oldest first."""
    meetings = meetings_visible_to(user).filter(
        group_id__in=council_group_ids, starts_at__lt=timezone.now()
    )
    return meetings.filter(status__in=[MeetingStatus.SCHEDULED, MeetingStatus.CLOSED]).order_by(
        "starts_at", "pk"
    )


def meeting_day(meeting: Meeting) -> datetime.date:
    """The local day a meeting is held on: membership and dates are judged by it."""
    return timezone.localtime(meeting.starts_at).date()


def schools_on_meeting_day(meeting: Meeting) -> QuerySet[School]:
    """The schools that were members on the meeting's day: its attendance roll."""
    members = member_school_ids_on(group=meeting.group, day=meeting_day(meeting))
    return School.objects.filter(pk__in=members)
