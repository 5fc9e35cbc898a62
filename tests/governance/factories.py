"""Meetings, passed resolutions and action items of group A, made through the services."""

import datetime
from collections.abc import Callable

from django.utils import timezone

from governance import services
from governance.models import (
    ActionItem,
    CouncilPolicy,
    CouncilSeat,
    Meeting,
    Resolution,
    SeatRole,
)
from members import services as member_services
from members.models import Post, School, Staff
from tests.conftest import staff_user
from tests.members.factories import past


def meeting(
    county, *, title="理事会议", kind="council", place="会议室", days_ago=0, **options
) -> Meeting:
    """A meeting of group A, `days_ago` days ago (a negative number: in that many days);
    `options` are meeting_schedule's (host_school, invited_schools, invited_people)."""
    return services.meeting_schedule(
        group=county.group_a,
        kind=kind,
        title=title,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        place=place,
        by=county.chair,
        **options,
    )


def passed_resolution(county, *, title="共建课程资源库", of: Meeting | None = None) -> Resolution:
    """A0 and A1 present and voting yes: the motion passes."""
    of = of or meeting(county, title="十一月理事会议")
    for school in (county.a0, county.a1):
        services.attendance_record(meeting=of, school=school, status="present", by=county.chair)
    resolution = services.resolution_propose(meeting=of, title=title, by=county.chair)
    services.vote_cast(resolution=resolution, school=county.a0, choice="yes", by=county.chair)
    services.vote_cast(
        resolution=resolution, school=county.a1, choice="yes", by=county.principal_a1
    )
    return services.resolution_decide(resolution=resolution, by=county.chair)


def vote_left_out(county, held: Meeting) -> Resolution:
    """A0 and A1 present, A0 votes yes and A1 no; then A1 is recorded absent (it left early):
    the count leaves A1's vote out, and the motion passes 1 to 0."""
    for school in (county.a0, county.a1):
        services.attendance_record(meeting=held, school=school, status="present", by=county.chair)
    motion = services.resolution_propose(meeting=held, title="共建课程资源库", by=county.chair)
    services.vote_cast(resolution=motion, school=county.a0, choice="yes", by=county.chair)
    services.vote_cast(resolution=motion, school=county.a1, choice="no", by=county.principal_a1)
    services.attendance_record(
        meeting=held, school=county.a1, status="absent", reason="提前离会", by=county.chair
    )
    return services.resolution_decide(resolution=motion, by=county.chair)


def action_item(county, resolution, *, description="上传语文课例20节", **owner) -> ActionItem:
    return services.action_item_add(
        resolution=resolution,
        description=description,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        by=county.chair,
        **(owner or {"owner_school": county.a1}),
    )


def vice_chair_a1(county, *, starts_on=None) -> CouncilSeat:
    """A1's principal seated as vice-chair of group A by the bureau, 30 days ago by default."""
    return services.seat_assign(
        group=county.group_a,
        role=SeatRole.VICE_CHAIR,
        holder=county.principal_a1.staff,
        starts_on=starts_on or past(30),
        by=county.bureau,
    )


def secretary_general(county, *, group=None, username="sg"):
    """A vice-principal of a member school (A1 in group A, B1 in group B) seated as
    secretary-general by the bureau: an officer, not the chair."""
    group = group or county.group_a
    school = county.a1 if group == county.group_a else county.b1
    secretary = staff_user(school=school, post=Post.VICE_PRINCIPAL, username=username)
    services.seat_assign(
        group=group,
        role=SeatRole.SECRETARY_GENERAL,
        holder=secretary,
        starts_on=past(30),
        by=county.bureau,
    )
    return secretary.user


def rotating_chair(county, *, group=None, holder=None) -> None:
    """The group's chair rotates (000); `holder`, a principal's staff record, holds the chair
    seat since five days ago."""
    group = group or county.group_a
    CouncilPolicy.objects.create(group=group, rotating_chair=True)
    if holder is not None:
        services.seat_assign(
            group=group, role=SeatRole.CHAIR, holder=holder, starts_on=past(5), by=county.bureau
        )


def move(person: Staff, *, to: School, by) -> Callable[[], Staff]:
    """The bureau moving someone to another school, through staff_save, when called (a race
    runs it in its own thread)."""

    def moving() -> Staff:
        moved = Staff.objects.get(pk=person.pk)
        moved.school = to
        return member_services.staff_save(staff=moved, by=by)

    return moving


def leave(person: Staff, *, by) -> Callable[[], Staff]:
    """The bureau recording that someone left their post, when called."""

    def leaving() -> Staff:
        gone = Staff.objects.get(pk=person.pk)
        gone.is_active = False
        return member_services.staff_save(staff=gone, by=by)

    return leaving
