"""Lock order and races in the council's records. Each path takes the group first, then the
meeting, then the resolution, or the group, then the staff row, then the seats.

- A principal's vote took the resolution first (with its meeting and group, in one statement):
  cast as the chair closed the meeting, PostgreSQL ended one with a deadlock error.
- A secretary-general moved to another school while their school left the group: the move
  took the seats and then the group, the leaving the group and then the seats.
- A seat given to someone leaving post, or a meeting scheduled as its group was dissolved,
  each read what the other had not yet committed and kept what it should have refused.

Needs PostgreSQL (row locks); CI runs it against the real server.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from alliance.models import SchoolGroup
from alliance.services import group_dissolve
from governance import services
from governance.models import (
    ActionItem,
    CouncilSeat,
    Meeting,
    MeetingStatus,
    Resolution,
    SeatRole,
)
from members.models import Staff
from tests.governance.factories import leave, meeting, move, passed_resolution, secretary_general
from tests.locks import ON_POSTGRESQL, race, waits_holding_nothing_else
from tests.members.factories import past

pytestmark = ON_POSTGRESQL


def test_a_vote_waits_for_its_group_and_meeting_before_taking_the_resolution(county):
    held = meeting(county)
    for school in (county.a0, county.a1):
        services.attendance_record(meeting=held, school=school, status="present", by=county.chair)
    motion = services.resolution_propose(meeting=held, title="共建课程资源库", by=county.chair)

    def hold() -> None:  # as meeting_close holds them before it decides the open resolutions
        SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk)
        Meeting.objects.select_for_update().get(pk=held.pk)

    waits_holding_nothing_else(
        hold=hold,
        act=lambda: services.vote_cast(
            resolution=motion, school=county.a1, choice="yes", by=county.principal_a1
        ),
        # meeting_close's next lock: free, not held by the waiting vote.
        next_lock=lambda: Resolution.objects.select_for_update(nowait=True).get(pk=motion.pk),
    )


def test_a_move_to_another_school_waits_for_the_group_before_taking_the_seats(county):
    secretary = Staff.objects.get(user=secretary_general(county))  # of A1, in group A
    seat = CouncilSeat.objects.get(holder=secretary)

    waits_holding_nothing_else(
        hold=lambda: SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk),
        # B1 is a member of group B, not A: the seat ends.
        act=move(secretary, to=county.b1, by=county.bureau),
        # A1's leaving group A locks its seats next: free, not held by the waiting move.
        next_lock=lambda: CouncilSeat.objects.select_for_update(nowait=True).get(pk=seat.pk),
    )
    seat.refresh_from_db()
    assert seat.ends_on <= timezone.localdate() + datetime.timedelta(days=1)


def seat(county, holder: Staff):
    return lambda: services.seat_assign(
        group=county.group_a,
        role=SeatRole.DIRECTOR,
        holder=holder,
        starts_on=past(3),
        by=county.bureau,
    )


def test_someone_leaving_post_before_they_are_seated_is_not_seated(county):
    holder = Staff.objects.get(user=county.principal_a1)
    outcome = race(leave(holder, by=county.bureau), seat(county, holder))
    # The seat waited on the staff row, then read that they had left.
    assert outcome["second_waited"]
    assert outcome["second"].message_dict["holder"] == ["此人已不在岗。"]
    assert not CouncilSeat.objects.filter(holder=holder).exists()


def test_someone_leaving_post_as_they_are_named_an_items_owner_is_not_named(county):
    teacher = Staff.objects.get(user=county.teacher_a1)
    motion = passed_resolution(county)
    outcome = race(
        leave(teacher, by=county.bureau),
        lambda: services.action_item_add(
            resolution=motion,
            description="上传语文课例20节",
            due_on=timezone.localdate() + datetime.timedelta(days=30),
            owner_person=teacher,
            by=county.chair,
        ),
    )
    assert outcome["second_waited"]
    assert outcome["second"].message_dict["owner_person"] == ["此人已不在岗。"]
    assert not ActionItem.objects.exists()


def test_someone_seated_as_they_leave_post_is_asked_to_try_again_then_leaves_the_seat(county):
    """The leaving waited on the staff row while the seat was given, in a group it had not
    locked: ending that seat now could cross a school's leaving of the group. It is refused,
    nothing changed; a second try finds the seat and ends it."""
    holder = Staff.objects.get(user=county.principal_a1)
    outcome = race(seat(county, holder), leave(holder, by=county.bureau))
    assert outcome["second_waited"]
    assert outcome["second"].messages == ["其他人同时保存了相冲突的修改，请刷新后重试。"]
    held = CouncilSeat.objects.filter(holder=holder, ends_on__gt=timezone.localdate())
    assert held.exists() and Staff.objects.get(pk=holder.pk).is_active
    leave(holder, by=county.bureau)()
    assert not held.exists()


def test_the_bureau_saving_a_leaving_as_the_person_is_seated_sees_the_refusal_on_the_form(
    client, county
):
    """In the admin the same refusal is the form's error, the record as typed (a 500 before)."""
    holder = Staff.objects.get(user=county.principal_a1)
    client.force_login(county.bureau)
    url = reverse("admin:members_staff_change", args=[holder.pk])
    form = client.get(url).context["adminform"].form
    typed = {key: value for key, value in form.initial.items() if value not in (None, False)}
    del typed["is_active"]  # the box unticked: they leave post

    outcome = race(seat(county, holder), lambda: client.post(url, typed))
    page = outcome["second"]
    assert page.status_code == 200
    assert "其他人同时保存了相冲突的修改，请刷新后重试。" in page.content.decode()
    assert not page.context["adminform"].form["is_active"].value()
    assert Staff.objects.get(pk=holder.pk).is_active


def test_a_meeting_scheduled_as_its_group_is_dissolved_is_refused(county):
    outcome = race(
        lambda: group_dissolve(group=county.group_b, by=county.bureau, reason="考核不合格"),
        lambda: services.meeting_schedule(
            group=county.group_b,
            kind="council",
            title="理事会议",
            place="会议室",
            starts_at=timezone.now() + datetime.timedelta(days=3),
            by=county.bureau,
        ),
    )
    assert outcome["second_waited"]
    assert outcome["second"].messages == ["已撤销的集团不能召开会议。"]
    scheduled = Meeting.objects.filter(group=county.group_b, status=MeetingStatus.SCHEDULED)
    assert not scheduled.exists()


def invite(county, person: Staff):
    return lambda: meeting(county, days_ago=-10, invited_people=[person])


def test_someone_moving_out_as_they_are_invited_by_name_is_not_invited(county):
    teacher = Staff.objects.get(user=county.teacher_a1)
    outcome = race(move(teacher, to=county.b1, by=county.bureau), invite(county, teacher))
    # The meeting waited on the staff row, then read the school they had moved to.
    assert outcome["second_waited"]
    assert outcome["second"].message_dict["invited_people"] == ["只能邀请受邀学校的人员。"]
    assert not Meeting.objects.exists()


def test_someone_invited_by_name_as_they_move_out_is_asked_to_try_again_then_uninvited(county):
    """The move waited on the staff row while the meeting was scheduled, in a group it had not
    locked: it is refused, nothing changed; a second try finds the invitation and ends it."""
    teacher = Staff.objects.get(user=county.teacher_a1)
    outcome = race(invite(county, teacher), move(teacher, to=county.b1, by=county.bureau))
    assert outcome["second_waited"]
    assert outcome["second"].messages == ["其他人同时保存了相冲突的修改，请刷新后重试。"]
    invited = outcome["first"]
    assert list(invited.invited_people.all()) == [teacher]
    move(teacher, to=county.b1, by=county.bureau)()
    assert not invited.invited_people.exists()


def test_a_move_waits_for_the_group_whose_meeting_invites_them_before_taking_the_meeting(county):
    teacher = Staff.objects.get(user=county.teacher_a1)
    invited = invite(county, teacher)()
    waits_holding_nothing_else(
        # As a school's leaving holds them before it refits the meetings' invitations.
        hold=lambda: SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk),
        act=move(teacher, to=county.b1, by=county.bureau),
        next_lock=lambda: Meeting.objects.select_for_update(nowait=True).get(pk=invited.pk),
    )
    assert not invited.invited_people.exists()


def test_a_move_waits_for_the_group_of_a_begun_meeting_that_names_them_before_their_row(county):
    """A school leaving refits the group's meetings not yet held, begun ones too, locking the
    rows of the people they name after the group: a move takes that group first, else the two
    could each hold a row the other waits for."""
    teacher = Staff.objects.get(user=county.teacher_a1)
    meeting(county, days_ago=1, invited_people=[teacher])  # begun yesterday, not held
    waits_holding_nothing_else(
        hold=lambda: SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk),
        act=move(teacher, to=county.b1, by=county.bureau),
        next_lock=lambda: Staff.objects.select_for_update(nowait=True).get(pk=teacher.pk),
    )
