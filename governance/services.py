"""Council rules (DOMAIN.md, "Governance"): seats and terms, meetings, attendance, votes.

Outcomes are computed here from attendance and votes, never typed in; once a meeting's minutes
are approved nothing about it changes, and a correction is a new resolution that points back.
"""

import datetime
import os

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import services as group_services
from alliance import uploads
from alliance.audit import no_history_line
from alliance.integrity import save_validated
from alliance.language import recorded
from alliance.models import SchoolGroup
from governance import selectors
from governance.models import (
    COUNTED_PRESENT,
    GROUP_WIDE_ROLES,
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CharterVersion,
    CouncilSeat,
    Meeting,
    MeetingAttachment,
    MeetingStatus,
    Outcome,
    ProgressNote,
    Resolution,
    ResolutionKind,
    Vote,
)
from members import services as member_services
from members.models import Membership, School, Staff
from members.roles import require_role, viewer_for
from members.selectors import (
    current_member_schools,
    member_school_ids_on,
    membership_left_on,
    staff_visible_to,
)


def meeting_may_schedule(by: User, group: SchoolGroup, *, runs_council: bool | None = None) -> bool:
    """The council's officers, or the principal of a current member school.

    A page that has asked `runs_council` already passes the answer.
    """
    if runs_council is None:
        runs_council = selectors.runs_council(by, group_id=group.pk)
    viewer = viewer_for(by)
    return runs_council or (viewer.is_principal and group.pk in viewer.group_ids)


def _require_member(group: SchoolGroup, school: School, day: datetime.date, field: str) -> None:
    if school.pk not in member_school_ids_on(group=group, day=day):
        raise ValidationError(
            {
                # Not named: the id may belong to a school the user is not allowed to see.
                field: _("The school was not a member school on %(day)s.") % {"day": day}
            }
        )


def _term_end(starts_on: datetime.date, years: int) -> datetime.date:
    year = starts_on.year + years
    if year > datetime.MAXYEAR:
        raise ValidationError(
            {"starts_on": _("The term would end after the year 9999: check the start date.")}
        )
    try:
        return starts_on.replace(year=year)
    except ValueError:  # 29 February
        return starts_on.replace(year=year, day=28)


def seat_may_assign(by: User, group: SchoolGroup) -> bool:
    """The bureau, or the group's chair."""
    viewer = viewer_for(by)
    return viewer.is_bureau or group.pk in viewer.chaired_group_ids


@transaction.atomic
def seat_assign(
    *,
    group: SchoolGroup,
    role: str,
    holder: Staff,
    starts_on: datetime.date,
    by: User,
    ends_on: datetime.date | None = None,
) -> CouncilSeat:
    """Seat a school leader on the council for a term (000: 任期为5年 by default)."""
    require_role(seat_may_assign(by, group))
    group = SchoolGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_active:
        raise ValidationError({"group": _("A dissolved group seats no one on its council.")})
    # Their post and school as committed, held until the seat is (staff_save waits): someone
    # leaving post or moving meanwhile is refused, or has the new seat follow them.
    locked = Staff.objects.select_for_update(no_key=True, of=("self",)).select_related("school")
    holder = locked.get(pk=holder.pk)
    years = selectors.policy_for(group)["seat_term_years"]
    full_term = _term_end(starts_on, years)
    ends_on = ends_on or full_term
    # Every broken rule at once, each by its field: the officer fixed them one submit at a time.
    errors: dict = {}
    try:
        if not holder.is_active:
            raise ValidationError({"holder": _("This person is no longer in post.")})
        _require_member(group, holder.school, starts_on, "holder")
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    else:
        # A seat dated back ends with the school's membership if that has ended since, as
        # seats_end_with_membership would have ended it (a term lasts at least a day).
        left_on = membership_left_on(group=group, school=holder.school, day=starts_on)
        if left_on and left_on <= ends_on:
            ends_on = _term_cut(starts_on, last_day=left_on - datetime.timedelta(days=1))
    if ends_on <= starts_on:
        errors["ends_on"] = [_("A term must end after it starts.")]
    elif ends_on > full_term:
        errors["ends_on"] = [_("A term lasts at most %(years)d years.") % {"years": years}]
    elif _seat_taken(group, role, holder.school, starts_on, ends_on):
        errors[NON_FIELD_ERRORS] = [_("The term overlaps another term of the same seat.")]
    if errors:
        raise ValidationError(errors)
    seat = CouncilSeat(
        group=group,
        role=role,
        holder=holder,
        school=holder.school,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    save_validated(seat)
    return seat


@transaction.atomic
def seat_end(
    *, seat: CouncilSeat, by: User, last_day: datetime.date | None = None
) -> CouncilSeat | None:
    """End a term early, as when its holder steps down: they serve until `last_day` (today by
    default) and a successor may be seated from that day. A term not yet begun is withdrawn
    (None); the audit trail keeps it."""
    require_role(seat_may_assign(by, seat.group))
    seat = CouncilSeat.objects.select_for_update().get(pk=seat.pk)
    today = timezone.localdate()
    last_day = last_day or today
    if last_day > today:
        raise ValidationError({"last_day": _("The date cannot be in the future.")})
    if last_day >= seat.ends_on:
        raise ValidationError(
            {"last_day": _("The term ends on %(day)s already.") % {"day": seat.ends_on}}
        )
    if seat.starts_on <= today and last_day < seat.starts_on:
        # A term served is cut short, never erased.
        raise ValidationError(
            {
                "last_day": _("The term began on %(day)s: it ends that day at the earliest.")
                % {"day": seat.starts_on}
            }
        )
    _end_seats(CouncilSeat.objects.filter(pk=seat.pk), last_day=last_day)
    return CouncilSeat.objects.filter(pk=seat.pk).first()


def _seat_taken(
    group: SchoolGroup,
    role: str,
    school: School,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> bool:
    """Whether another term of the seat (the group's, or the school's for a per-school role)
    overlaps this one."""
    same_seat = CouncilSeat.objects.filter(group=group, role=role)
    if role not in GROUP_WIDE_ROLES:
        same_seat = same_seat.filter(school=school)
    return same_seat.filter(starts_on__lt=ends_on, ends_on__gt=starts_on).exists()


def seats_end_with_membership(*, membership: Membership) -> None:
    """A school that leaves the group leaves its council (members' services call this as the
    membership ends): its seats end on its last day as a member."""
    seats = CouncilSeat.objects.filter(group_id=membership.group_id, school_id=membership.school_id)
    _end_seats(seats, last_day=membership.left_on - datetime.timedelta(days=1))


def council_groups_lock(*, staff: Staff) -> set[int]:
    """Lock the groups whose council someone sits on (or will) or whose meetings not yet held
    invite them by name, in one order, before their staff row: a change of their post or
    school (staff_save) then ends or moves their seats and invitations while no seat is given,
    no meeting scheduled and no school leaves in those groups. (A school leaving refits such a
    meeting, locking the rows of the people it names after the group.) Returns the ids."""
    groups = SchoolGroup.objects.filter(
        Q(pk__in=_seats_held(staff).values("group_id"))
        | Q(pk__in=_invitations_not_held(staff).values("group_id"))
    ).order_by("pk")
    return set(groups.select_for_update().values_list("pk", flat=True))


def council_follows_staff(*, staff: Staff, leaves_post: bool, locked_groups: set[int]) -> None:
    """Someone left their post or moved to another school (`staff` as saved; staff_save calls
    this in its transaction, `locked_groups` from council_groups_lock). Their seats end with the
    post; a move ends those held for the school left behind. Meetings to come stop inviting them
    by name where they no longer fit: people of the invited schools, in post."""
    if (
        _seats_held(staff).exclude(group_id__in=locked_groups).exists()
        or _invitations_not_held(staff).exclude(group_id__in=locked_groups).exists()
    ):
        # Given in another group while staff_save waited for the person's row: that group is
        # not locked, and locking it now could deadlock with a seat_assign or a meeting_schedule
        # there (group, then the staff row). Rare; a second try locks it first.
        raise ValidationError(_("Another change was saved at the same time; reload and try again."))
    if leaves_post:
        _end_seats(CouncilSeat.objects.filter(holder=staff), last_day=timezone.localdate())
    else:
        _seats_follow_transfer(staff)
    for meeting in _invitations_to_come(staff).select_for_update(of=("self",)).order_by("pk"):
        _fit_invitations(meeting, selectors.meeting_day(meeting))


def _seats_held(staff: Staff) -> QuerySet[CouncilSeat]:
    """Someone's seats not yet over: held now, or from a day to come."""
    return CouncilSeat.objects.filter(holder=staff, ends_on__gt=timezone.localdate())


def _invitations_not_held(staff: Staff) -> QuerySet[Meeting]:
    """The meetings still scheduled that invite someone by name."""
    return Meeting.objects.filter(invited_people=staff, status=MeetingStatus.SCHEDULED)


def _invitations_to_come(staff: Staff) -> QuerySet[Meeting]:
    """Those of them not yet begun: one begun keeps whom it invited on its day."""
    return _invitations_not_held(staff).filter(starts_at__gt=timezone.now())


def _seats_follow_transfer(staff: Staff) -> None:
    """A seat held for the school left behind ends today; a group-wide seat (chair,
    secretary-general) goes on when the new school is a member of that group too, and names the
    new school."""
    today = timezone.localdate()
    seats = _seats_held(staff).select_for_update(of=("self",))
    kept = [
        seat
        for seat in seats.filter(role__in=GROUP_WIDE_ROLES).select_related("group")
        if staff.school_id in member_school_ids_on(group=seat.group, day=today)
    ]
    for seat in kept:
        seat.school = staff.school
        save_validated(seat)
    _end_seats(
        CouncilSeat.objects.filter(holder=staff).exclude(pk__in=[s.pk for s in kept]),
        last_day=today,
    )


def _end_seats(seats, *, last_day: datetime.date) -> None:
    for seat in seats.select_for_update().filter(ends_on__gt=last_day):
        if seat.starts_on > last_day:
            # A term that had not begun is withdrawn, not ended: it cannot end before it starts.
            # The audit trail keeps it.
            seat.delete()
            continue
        seat.ends_on = _term_cut(seat.starts_on, last_day=last_day)
        save_validated(seat)


def _term_cut(starts_on: datetime.date, *, last_day: datetime.date) -> datetime.date:
    """The end of a term cut short on `last_day`. A term lasts at least a day (the database
    says so): one begun on the last day ends the day after."""
    return max(last_day, starts_on + datetime.timedelta(days=1))


@transaction.atomic
def meeting_schedule(
    *,
    group: SchoolGroup,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    by: User,
    place: str = "",
    online_link: str = "",
    host_school: School | None = None,
    agenda: list[str] | tuple[str, ...] = (),
    invited_schools: list[School] | None = None,
    invited_people: list[Staff] | None = None,
) -> Meeting:
    """Schedule a meeting; every school that is a member on its day is invited unless schools
    are named."""
    require_role(meeting_may_schedule(by, group))
    # As committed, held until the meeting is: a dissolution (which calls off the meetings it
    # finds) or a school's leaving (the invitations) waits, or this reads what it committed.
    group = SchoolGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_active:
        raise ValidationError({"group": _("A dissolved group holds no meetings.")})
    day = _meeting_day_in(group, starts_at)
    if host_school is not None:
        _require_member(group, host_school, day, "host_school")
    meeting = Meeting(
        group=group,
        kind=kind,
        title=title,
        starts_at=starts_at,
        place=place,
        online_link=online_link,
        host_school=host_school,
        invites_every_member=not invited_schools,
    )
    save_validated(meeting)
    titles = [title.strip() for title in agenda]
    _check_agenda(titles)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, title=t) for n, t in enumerate(titles, start=1)
    )
    _invite(meeting, invited_schools, invited_people or [])
    return meeting


def _meeting_day_in(group: SchoolGroup, starts_at: datetime.datetime) -> datetime.date:
    """The local day of a meeting starting then, refused before the group was founded."""
    day = timezone.localtime(starts_at).date()
    if day < group.founded_on:
        raise ValidationError(
            {
                "starts_at": _("A meeting cannot be dated before the group was founded (%(day)s).")
                % {"day": group.founded_on.isoformat()}
            }
        )
    return day


_KEPT = object()  # a move that names no host keeps the meeting's


@transaction.atomic
def meeting_reschedule(
    *,
    meeting: Meeting,
    by: User,
    starts_at: datetime.datetime,
    place: str = "",
    online_link: str = "",
    host_school: School | None | object = _KEPT,
) -> Meeting:
    """Postpone, bring forward or move a meeting not yet held: a new time, later than now, a new
    place or link, and another host school (or none) if one is named. Attendance recorded ahead
    stays, for the officer to review, but for a school no longer a member on the new day: its
    invitations go too, and a school that joined by then is invited when no school was named."""
    meeting = _locked_not_held(meeting, by, _("The meeting was held: it can no longer be moved."))
    if not meeting.group.is_active:  # its meetings can still be cancelled
        raise ValidationError(_("A dissolved group holds no meetings."))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Give a time later than now.")})
    day = _meeting_day_in(meeting.group, starts_at)
    # Another host is refused beside its own field; the one kept, beside the time that moved.
    host_field = "starts_at" if host_school is _KEPT else "host_school"
    if host_school is not _KEPT:
        meeting.host_school = host_school
    if meeting.host_school_id is not None:
        _require_member(meeting.group, meeting.host_school, day, host_field)
    meeting.starts_at, meeting.place, meeting.online_link = starts_at, place, online_link
    if not _fit_invitations(meeting, day):
        save_validated(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Call off a meeting not yet held. It leaves everyone's to-do list and is kept, with its
    reason; the cadence still counts the meeting it was to be as missing."""
    meeting = _locked_not_held(
        meeting, by, _("The meeting was held: close it instead of cancelling it.")
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling the meeting.")})
    _call_off(meeting, reason=reason.strip())
    return meeting


def meetings_cancel_with_group(
    *, group: SchoolGroup, dissolved_on: datetime.date, reason: str
) -> None:
    """A dissolved group's meetings from its dissolution day on are called off, with the reason
    (alliance's group_dissolve calls this, in its transaction): no school is a member on their
    day. One a school was recorded present at was held, and stays to be closed."""
    first = timezone.make_aware(datetime.datetime.combine(dissolved_on, datetime.time.min))
    planned = (
        Meeting.objects.select_for_update()
        .filter(group=group, status=MeetingStatus.SCHEDULED, starts_at__gte=first)
        .exclude(attendance__status__in=COUNTED_PRESENT)
    )
    note = recorded(gettext_lazy("The group was dissolved: %(reason)s"), reason=reason)
    cancel_reason = Truncator(note).chars(Meeting._meta.get_field("cancel_reason").max_length)
    for meeting in planned:
        _call_off(meeting, reason=cancel_reason)


def invitations_follow_membership(*, membership: Membership) -> None:
    """A school joins or leaves the group: the meetings not yet held from that day on invite the
    members of their own day (members' services call this, in their transaction, the group
    locked)."""
    since = membership.left_on or membership.approved_on
    first = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    planned = (
        Meeting.objects.select_for_update()
        .filter(group_id=membership.group_id, status=MeetingStatus.SCHEDULED, starts_at__gte=first)
        .exclude(attendance__status__in=COUNTED_PRESENT)
        .order_by("pk")
    )
    for meeting in planned:
        _fit_invitations(meeting, selectors.meeting_day(meeting))


def _fit_invitations(meeting: Meeting, day: datetime.date) -> bool:
    """Invite the members of `day` only: every one if no school was named, else those named who
    still are, and the people named who are in post at a school invited. An absence recorded
    ahead for a school no longer a member goes with its invitation (the audit trail keeps it),
    and a host school no longer a member stops hosting: the meeting names no host (a move would
    be refused for it).
    Saves the meeting, and says so, if anything changed."""
    members = member_school_ids_on(group=meeting.group, day=day)
    gone = list(meeting.attendance.exclude(school_id__in=members))
    for attendance in gone:
        attendance.delete()
    host_gone = meeting.host_school_id is not None and meeting.host_school_id not in members
    if host_gone:
        meeting.host_school = None
    invited = set(meeting.invited_schools.values_list("pk", flat=True))
    schools = members if meeting.invites_every_member else invited & members
    # Locked (after the group and the meeting, as _invite takes them): a move being saved is
    # waited for and seen, not kept invited as it commits.
    named = meeting.invited_people.select_for_update(no_key=True, of=("self",)).order_by("pk")
    people = list(named.values_list("pk", "school_id", "is_active"))
    kept = {person for person, school, in_post in people if in_post and school in schools}
    if schools != invited or len(kept) != len(people):
        _set_invitations(meeting, schools, kept)
    elif host_gone or gone:  # its attendance is the meeting's too: a sync fetches it again
        save_validated(meeting)
    else:
        return False
    return True


def _call_off(meeting: Meeting, *, reason: str) -> None:
    """The one way a meeting becomes cancelled: its status and reason go together (the
    database says so)."""
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason
    save_validated(meeting)


def _locked_not_held(meeting: Meeting, by: User, held: str) -> Meeting:
    """The meeting, locked, if its officers may still change its time or call it off: it is
    scheduled, and no school has been recorded present (a vote needs one)."""
    meeting = _locked_meeting(meeting)
    require_role(selectors.runs_council(by, group_id=meeting.group_id))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be moved or cancelled."))
    if meeting.attendance.filter(status__in=COUNTED_PRESENT).exists():
        raise ValidationError(held)
    return meeting


def _check_agenda(titles: list[str]) -> None:
    # bulk_create skips the model's validation, and PostgreSQL refuses an over-long title.
    longest = AgendaItem._meta.get_field("title").max_length
    if any(not title for title in titles):
        raise ValidationError({"agenda": _("An agenda item needs a title.")})
    for number, title in enumerate(titles, start=1):
        if len(title) > longest:
            raise ValidationError(
                {
                    "agenda": _(
                        "Agenda item %(number)d has %(length)d characters; at most %(max)d."
                    )
                    % {"number": number, "length": len(title), "max": longest}
                }
            )


def _invite(meeting: Meeting, schools: list[School] | None, people: list[Staff]) -> None:
    # The members on the meeting's day: one recorded afterwards does not invite, nor count
    # absent, a school that joined since.
    members = member_school_ids_on(group=meeting.group, day=selectors.meeting_day(meeting))
    if not schools:  # none named: every member, as the page's help and the API's schema say
        schools = list(School.objects.filter(pk__in=members))
    if any(school.pk not in members for school in schools):
        raise ValidationError({"invited_schools": _("Invite member schools only.")})
    invited = {school.pk for school in schools}
    # As committed, held until the meeting is: someone moving or leaving post meanwhile
    # (staff_save waits for these rows) is seen, not invited as they go.
    locked = Staff.objects.select_for_update(no_key=True)
    people = list(locked.filter(pk__in=[person.pk for person in people]))
    if any(not person.is_active for person in people):
        raise ValidationError({"invited_people": _("Invite people in post only.")})
    if any(person.school_id not in invited for person in people):
        raise ValidationError({"invited_people": _("Invite people from the invited schools only.")})
    _set_invitations(meeting, invited, {person.pk for person in people})


def _set_invitations(meeting: Meeting, schools: set[int], people: set[int]) -> None:
    """Whom the meeting invites, in one line of its audit trail (not a line per school added
    or removed), and a new updated_at: a sync fetches it again."""
    with no_history_line(meeting):
        meeting.invited_schools.set(schools)
        meeting.invited_people.set(people)
    save_validated(meeting)


def _touch(model: type[Meeting | Resolution | ActionItem], pk: int) -> None:
    """A record shows what changed without being saved itself (a meeting its attendance, a
    resolution its votes): its updated_at moves all the same, so a sync fetches it again."""
    model.objects.filter(pk=pk).update(updated_at=timezone.now())


def _locked_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, its group's first. Every path takes them in one order, group, then
    meeting, then resolution (group_dissolve and approvals start at the group too), so none
    holds what another waits for while it waits for what that one holds (a deadlock)."""
    SchoolGroup.objects.select_for_update().get(pk=meeting.group_id)
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("group")
    return locked.get(pk=meeting.pk)


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled; nothing more is recorded for it."))


def _require_scheduled(meeting: Meeting, closed: str) -> None:
    """The meeting is still to come or under way; a cancelled one says so, a closed one `closed`."""
    _refuse_cancelled(meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(closed)


def _refuse_frozen(meeting: Meeting) -> None:
    """Minutes and documents change until the minutes are approved, unless it was cancelled."""
    _refuse_cancelled(meeting)
    if meeting.status == MeetingStatus.APPROVED:
        raise ValidationError(_("The minutes are approved; the meeting can no longer change."))


def _require_begun(meeting: Meeting, message: str, field: str | None = None) -> None:
    """Who is present, the votes and the close happen at the meeting, not before it."""
    if not meeting.has_begun:
        start = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
        error = message % {"start": start}
        raise ValidationError({field: error} if field else error)


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    school: School,
    status: str,
    by: User,
    person: Staff | None = None,
    reason: str = "",
    proxy_name: str = "",
) -> Attendance:
    """Record one member school's attendance (present / absent with reason / by proxy)."""
    meeting = _locked_meeting(meeting)
    require_role(selectors.runs_council(by, group_id=meeting.group_id))
    # The outcomes were computed from the attendance when the meeting closed.
    _require_scheduled(meeting, _("The meeting is closed; its attendance is final."))
    _require_member(meeting.group, school, selectors.meeting_day(meeting), "school")
    if status in COUNTED_PRESENT:
        _require_begun(
            meeting,
            _(
                "The meeting begins at %(start)s: record who is present then (an absence can be "
                "recorded ahead)."
            ),
            "status",
        )
    if person is not None and person.school_id != school.pk:
        raise ValidationError({"person": _("This person does not belong to that school.")})
    if status == AttendanceStatus.ABSENT and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the absence.")})
    if status == AttendanceStatus.PROXY and not proxy_name.strip():
        raise ValidationError({"proxy_name": _("Name the proxy.")})
    # The row's form comes filled with what was recorded: only an absence keeps a reason (the
    # page neither shows nor sends one for another status), and only a proxy a proxy's name.
    if status != AttendanceStatus.ABSENT:
        reason = ""
    if status != AttendanceStatus.PROXY:
        proxy_name = ""
    attendance = Attendance.objects.filter(meeting=meeting, school=school).first() or Attendance(
        meeting=meeting, school=school
    )
    attendance.status, attendance.person = status, person
    attendance.reason, attendance.proxy_name = reason.strip(), proxy_name.strip()
    save_validated(attendance)
    _touch(Meeting, meeting.pk)
    return attendance


class AttendanceRefused(ValidationError):
    """Rows of a meeting's attendance that broke a rule, each school's errors by its pk."""

    def __init__(self, by_school: dict[int, ValidationError]):
        super().__init__(_("Attendance was not recorded."))
        self.by_school = by_school


@transaction.atomic
def attendance_record_many(
    *, meeting: Meeting, records: list[tuple[School, dict]], by: User
) -> list[Attendance]:
    """Record several schools' attendance at once (the meeting page's one form): all of it or,
    a row refused, none. Each row is attendance_record's rule, under one lock of the meeting;
    every row is tried, so every refusal is known at once (AttendanceRefused)."""
    _locked_meeting(meeting)
    saved, refused = [], {}
    for school, data in records:
        try:
            saved.append(attendance_record(meeting=meeting, school=school, by=by, **data))
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise  # about the meeting (it closed), not the row
            refused[school.pk] = error
    if refused:
        raise AttendanceRefused(refused)
    return saved


@transaction.atomic
def resolution_propose(
    *,
    meeting: Meeting,
    title: str,
    by: User,
    text: str = "",
    kind: str = ResolutionKind.ORDINARY,
    charter_text: str = "",
    school: School | None = None,
    corrects: Resolution | None = None,
) -> Resolution:
    meeting = _locked_meeting(meeting)
    require_role(meeting_may_schedule(by, meeting.group))
    _require_scheduled(meeting, _("The meeting is closed; put the motion to a later meeting."))
    charter_text = charter_text.strip()
    if kind == ResolutionKind.CHARTER and not charter_text:
        raise ValidationError({"charter_text": _("Give the charter text to adopt.")})
    if kind != ResolutionKind.CHARTER and charter_text:
        # Kept on an ordinary resolution it would read as adopted, and nothing adopts it.
        raise ValidationError(
            {"charter_text": _("Only a charter motion adopts a charter text: choose that kind.")}
        )
    _check_expulsion(meeting, kind=kind, school=school, grounds=text)
    if corrects is not None:
        corrects = Resolution.objects.select_related("meeting").get(pk=corrects.pk)
    if corrects is not None and (
        corrects.meeting.group_id != meeting.group_id or not corrects.outcome
    ):
        raise ValidationError(
            {"corrects": _("Only a decided resolution of this group can be corrected.")}
        )
    resolution = Resolution(
        meeting=meeting,
        title=title,
        text=text,
        kind=kind,
        charter_text=charter_text,
        school=school,
        corrects=corrects,
    )
    save_validated(resolution)
    return resolution


def _check_expulsion(meeting: Meeting, *, kind: str, school: School | None, grounds: str) -> None:
    """An expulsion motion names a member other than the lead school, and says why: its
    grounds become the school's leave reason."""
    if kind != ResolutionKind.EXPULSION:
        if school is not None:
            raise ValidationError(
                {"school": _("Only an expulsion motion names a school to expel: choose that kind.")}
            )
        return
    if school is None:
        raise ValidationError({"school": _("Name the school to expel.")})
    if school.pk == meeting.group.lead_school_id:
        raise ValidationError({"school": _("The lead school cannot be expelled from its group.")})
    _require_member(meeting.group, school, selectors.meeting_day(meeting), "school")
    group = SchoolGroup.objects.filter(pk=meeting.group_id)
    if not current_member_schools(group).filter(pk=school.pk).exists():
        raise ValidationError({"school": _("Only a current member can be expelled.")})
    if not grounds.strip():
        raise ValidationError({"text": _("Give the grounds for the expulsion.")})


def _locked_resolution(resolution: Resolution) -> Resolution:
    """The resolution's row, after its meeting's (and group's): the order meeting_close takes."""
    _locked_meeting(Meeting.objects.only("group_id").get(pk=resolution.meeting_id))
    locked = Resolution.objects.select_for_update(of=("self",))
    return locked.select_related("meeting", "meeting__group").get(pk=resolution.pk)


@transaction.atomic
def vote_cast(*, resolution: Resolution, school: School, choice: str, by: User) -> Vote:
    """One school, one vote (000), cast by the school's representative: its principal."""
    resolution = _locked_resolution(resolution)
    meeting = resolution.meeting
    viewer = viewer_for(by)
    require_role(viewer.is_principal and viewer.school_id == school.pk)
    closed = _("Voting on this resolution is closed.")
    _require_scheduled(meeting, closed)
    if resolution.outcome:
        raise ValidationError(closed)
    _require_begun(meeting, _("Voting opens when the meeting begins, at %(start)s."))
    _require_member(meeting.group, school, selectors.meeting_day(meeting), "school")
    if not meeting.attendance.filter(school=school, status__in=COUNTED_PRESENT).exists():
        raise ValidationError(
            {"school": _("Only a school recorded present or represented by proxy votes.")}
        )
    if Vote.objects.filter(resolution=resolution, school=school).exists():
        raise ValidationError({"school": _("This school has already voted on this resolution.")})
    vote = Vote(resolution=resolution, school=school, choice=choice, cast_by=by)
    save_validated(vote)
    _touch(Resolution, resolution.pk)
    return vote


@transaction.atomic
def resolution_decide(*, resolution: Resolution, by: User) -> Resolution:
    """Count the votes against the quorum and majority rules; the outcome is never typed in."""
    resolution = _locked_resolution(resolution)
    meeting = resolution.meeting
    require_role(selectors.runs_council(by, group_id=meeting.group_id))
    _refuse_cancelled(meeting)
    if resolution.outcome:
        raise ValidationError(_("This resolution is already decided."))
    # Before the meeting no school can be present: the count would be "no quorum", for good.
    _require_begun(meeting, _("The votes are counted at the meeting, from %(start)s."))
    _decide(resolution, by=by)
    return resolution


def _decide(resolution: Resolution, *, by: User) -> None:
    meeting = resolution.meeting
    policy = selectors.policy_for(meeting.group)
    members = member_school_ids_on(group=meeting.group, day=selectors.meeting_day(meeting))
    present = set(
        meeting.attendance.filter(school_id__in=members, status__in=COUNTED_PRESENT).values_list(
            "school_id", flat=True
        )
    )
    votes = resolution.votes.filter(school_id__in=present)
    votes.update(counted=True)
    resolution.votes.exclude(school_id__in=present).update(counted=False)
    choices = list(votes.values_list("choice", flat=True))
    resolution.yes, resolution.no = choices.count("yes"), choices.count("no")
    resolution.abstain = choices.count("abstain")
    resolution.schools_present, resolution.member_schools = len(present), len(members)
    resolution.outcome = _outcome(resolution, policy, len(present), len(members))
    resolution.decided_at = timezone.now()
    save_validated(resolution, clean_first=False)
    if resolution.kind == ResolutionKind.CHARTER and resolution.outcome == Outcome.PASSED:
        CharterVersion.objects.create(
            group=meeting.group,
            text=resolution.charter_text,
            resolution=resolution,
            adopted_on=selectors.meeting_day(meeting),
        )
        group_services.group_charter_adopt(group=meeting.group, text=resolution.charter_text)
    if resolution.kind == ResolutionKind.EXPULSION and resolution.outcome == Outcome.PASSED:
        member_services.membership_expel_by_council(
            group=meeting.group,
            school=resolution.school,
            by=by,
            grounds=resolution.text,
            title=resolution.title,
            met_on=selectors.meeting_day(meeting),
        )


def _outcome(resolution: Resolution, policy: dict, present: int, members: int) -> str:
    if not selectors.ratio_met(present, members, policy["quorum_ratio"], inclusive=False):
        return Outcome.NO_QUORUM
    # A majority of the schools voting: abstaining schools are present but do not vote.
    cast = resolution.yes + resolution.no
    if resolution.kind == ResolutionKind.CHARTER:  # 000: 章程修改须理事会表决通过 (two thirds)
        passed = selectors.ratio_met(
            resolution.yes, cast, policy["charter_majority_ratio"], inclusive=True
        )
    else:
        passed = selectors.ratio_met(
            resolution.yes, cast, policy["majority_ratio"], inclusive=False
        )
    return Outcome.PASSED if passed else Outcome.REJECTED


@transaction.atomic
def meeting_close(*, meeting: Meeting, by: User) -> Meeting:
    """End the meeting: voting stops and every open resolution is decided."""
    meeting = _locked_meeting(meeting)
    require_role(selectors.runs_council(by, group_id=meeting.group_id))
    _require_scheduled(meeting, _("The meeting is already closed."))
    _require_begun(meeting, _("The meeting begins at %(start)s; it can be closed after that."))
    for resolution in meeting.resolutions.select_for_update().filter(outcome=""):
        resolution.meeting = meeting
        _decide(resolution, by=by)
    meeting.status = MeetingStatus.CLOSED
    save_validated(meeting, clean_first=False)
    return meeting


@transaction.atomic
def minutes_record(*, meeting: Meeting, minutes: str, by: User) -> Meeting:
    """Only the group's secretary-general or chair (or the bureau) records the minutes."""
    meeting = _locked_meeting(meeting)
    require_role(selectors.runs_council(by, group_id=meeting.group_id))
    _refuse_frozen(meeting)
    meeting.minutes = minutes
    save_validated(meeting, clean_first=False)
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, by: User) -> Meeting:
    """Approve the minutes of a closed meeting; from now on its outcomes are final."""
    meeting = _locked_meeting(meeting)
    require_role(selectors.runs_council(by, group_id=meeting.group_id))
    if meeting.status == MeetingStatus.APPROVED:
        raise ValidationError(_("The minutes are approved already."))
    if meeting.status != MeetingStatus.CLOSED:
        raise ValidationError(_("Close the meeting before approving its minutes."))
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("Record the minutes before approving them.")})
    meeting.status = MeetingStatus.APPROVED
    meeting.minutes_approved_by, meeting.minutes_approved_at = by, timezone.now()
    save_validated(meeting, clean_first=False)
    return meeting


@transaction.atomic
def action_item_add(
    *,
    resolution: Resolution,
    description: str,
    due_on: datetime.date,
    by: User,
    owner_school: School | None = None,
    owner_person: Staff | None = None,
) -> ActionItem:
    """Attach a follow-up to a resolution that passed."""
    resolution = _locked_resolution(resolution)
    require_role(selectors.runs_council(by, group_id=resolution.meeting.group_id))
    if resolution.outcome != Outcome.PASSED:
        raise ValidationError(_("Only a resolution that passed carries action items."))
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    # A follow-up is the council's to set within one term; a later date is a typing slip.
    years = selectors.policy_for(resolution.meeting.group)["seat_term_years"]
    if due_on > _term_end(today, years):
        raise ValidationError(
            {
                "due_on": _("The due date must fall within one term (%(years)d years) from today.")
                % {"years": years}
            }
        )
    if owner_school is not None:
        _require_member(resolution.meeting.group, owner_school, today, "owner_school")
    if owner_person is not None:
        # As committed, held until the item is: someone leaving post meanwhile (staff_save
        # waits for this row) is seen, not made the owner as they go.
        owner_person = Staff.objects.select_for_update(no_key=True).get(pk=owner_person.pk)
        if not owner_person.is_active:
            raise ValidationError({"owner_person": _("This person is no longer in post.")})
        _require_member(resolution.meeting.group, owner_person.school, today, "owner_person")
        if not staff_visible_to(by).filter(pk=owner_person.pk).exists():
            raise ValidationError(
                {"owner_person": _("Name only people you can see; name their school instead.")}
            )
    item = ActionItem(
        resolution=resolution,
        description=description,
        due_on=due_on,
        owner_school=owner_school,
        owner_person=owner_person,
    )
    save_validated(item)
    return item


def action_item_may_report(by: User, item: ActionItem, *, runs_council: bool | None = None) -> bool:
    """The owner person, the owner school's principal, or the council's officers.

    A list of one group's items passes `runs_council`, asked once, instead of once per item.
    """
    if runs_council is None:
        runs_council = selectors.runs_council(by, group_id=item.resolution.meeting.group_id)
    viewer = viewer_for(by)
    owner_school = item.owner_school_id or (item.owner_person and item.owner_person.school_id)
    return (
        runs_council
        or (viewer.staff is not None and viewer.staff.pk == item.owner_person_id)
        or (viewer.is_principal and viewer.school_id == owner_school)
    )


@transaction.atomic
def action_item_progress(
    *, item: ActionItem, note: str, by: User, done: bool = False
) -> ActionItem:
    """The owner or the council's officers note progress; `done` closes the item."""
    item = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("resolution__meeting", "owner_person")
        .get(pk=item.pk)
    )
    require_role(action_item_may_report(by, item))
    if not item.is_open:
        raise ValidationError(_("This action item is already done."))
    if not note.strip():
        raise ValidationError({"note": _("Describe the progress.")})
    ProgressNote.objects.create(action_item=item, note=note.strip(), by=by)
    if done:
        item.done_on = timezone.localdate()
        save_validated(item, clean_first=False)
    else:
        _touch(ActionItem, item.pk)
    return item


@transaction.atomic
def attachment_add(*, meeting: Meeting, upload, by: User) -> MeetingAttachment:
    """Attach a document; its type is read from its content and it gets a random name."""
    meeting = _locked_meeting(meeting)
    require_role(selectors.runs_council(by, group_id=meeting.group_id))
    _refuse_frozen(meeting)
    extension, content_type = uploads.sniff(upload)
    attachment = MeetingAttachment(
        meeting=meeting,
        original_name=os.path.basename(upload.name)[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(uploads.generated_name("meetings", extension), upload, save=False)
    # If the row cannot be saved, the stored file is removed again: nothing half-kept.
    try:
        save_validated(attachment, clean_first=False)
    except Exception:
        attachment.file.delete(save=False)
        raise
    _touch(Meeting, meeting.pk)
    return attachment
