"""Whom a meeting not yet held invites follows the group's members on its day: as schools join
or leave, and as the meeting moves. Before, a school approved after the secretary scheduled the
next meeting was not invited to it (nor saw it on its to-do list), and one that had left still
was."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Meeting
from members import services as member_services
from members.models import Membership, Post, Staff
from tests.conftest import staff_user
from tests.governance.factories import leave, meeting, move
from tests.members.factories import SchoolFactory, StaffFactory, past

pytestmark = pytest.mark.django_db


def upcoming(
    county, title="十二月理事会议", *, days=20, schools=None, people=(), host=None
) -> Meeting:
    """A meeting of group A in `days` days (a negative number: that many days ago)."""
    return meeting(
        county,
        title=title,
        days_ago=-days,
        host_school=host,
        invited_schools=schools,
        invited_people=list(people),
    )


def invited(meeting: Meeting) -> set[int]:
    return set(meeting.invited_schools.values_list("pk", flat=True))


def joins(county, school, *, on=None) -> Membership:
    application = member_services.membership_apply(
        school=school, group=county.group_a, by=county.bureau, applied_on=on
    )
    return member_services.membership_approve(
        membership=application, by=county.bureau, approved_on=on
    )


def a2_withdraws(county, *, on: datetime.date) -> None:
    member_services.membership_withdraw(
        membership=Membership.objects.get(group=county.group_a, school=county.a2),
        by=county.bureau,
        notice_on=past(30),
        left_on=on,
    )


def test_a_school_approved_after_the_meeting_was_scheduled_is_invited_and_sees_it(client, county):
    every = upcoming(county)
    named = upcoming(county, "校长联席会议", schools=[county.a0, county.a1])
    late = SchoolFactory()
    principal = staff_user(school=late, post=Post.PRINCIPAL, username="late_principal").user
    joins(county, late)
    assert late.pk in invited(every) and late.pk not in invited(named)
    client.force_login(principal)
    home = client.get(reverse("dashboard:home")).content.decode()
    assert "十二月理事会议" in home and "校长联席会议" not in home


def test_a_school_that_left_is_no_longer_invited_nor_its_people_nor_its_absence(county):
    teacher = staff_user(school=county.a2, username="teacher_a2")
    coming = upcoming(county, people=[teacher])
    services.attendance_record(
        meeting=coming, school=county.a2, status="absent", reason="外出培训", by=county.chair
    )
    a2_withdraws(county, on=timezone.localdate())
    assert invited(coming) == {county.a0.pk, county.a1.pk}
    assert not coming.invited_people.exists()
    assert not coming.attendance.exists()
    # The audit trail keeps what was recorded, and that it went; the meeting's, whom it invites
    # before and after, in one line.
    assert [h.history_type for h in coming.attendance.model.history.all()] == ["-", "+"]
    last = coming.history.first()
    change = {c.field: c for c in last.diff_against(last.prev_record).changes}
    assert set(change) == {"invited_schools", "invited_people"}
    assert len(change["invited_schools"].old) == 3 and len(change["invited_schools"].new) == 2


def test_a_named_meeting_keeps_only_the_people_of_the_schools_it_still_invites(county):
    teacher = staff_user(school=county.a2, username="teacher_a2")
    coming = upcoming(county, schools=[county.a1, county.a2], people=[teacher])
    before = coming.history.count()
    joins(county, SchoolFactory())  # not named: nothing changes, not even a line in the trail
    assert invited(coming) == {county.a1.pk, county.a2.pk}
    assert coming.history.count() == before
    a2_withdraws(county, on=timezone.localdate())
    assert invited(coming) == {county.a1.pk} and not coming.invited_people.exists()


def test_a_meeting_before_the_school_left_keeps_it(county):
    held_earlier = upcoming(county, "十一月理事会议", days=-3)
    a2_withdraws(county, on=timezone.localdate())
    assert county.a2.pk in invited(held_earlier)


def test_a_meeting_moved_invites_the_members_of_its_new_day(county):
    """Dated before a school joined, a meeting does not invite it; moved to after, it does."""
    late = SchoolFactory()
    moved = upcoming(county, days=-1)
    joins(county, late, on=timezone.localdate())
    assert late.pk not in invited(moved)  # its day is before the school joined
    services.meeting_reschedule(
        meeting=moved,
        by=county.chair,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        place="报告厅",
    )
    assert late.pk in invited(moved)


def test_a_meeting_whose_named_schools_all_left_says_it_invites_no_one(client, county):
    coming = upcoming(county, schools=[county.a2])
    a2_withdraws(county, on=timezone.localdate())
    client.force_login(county.chair)
    page = client.get(reverse("dashboard:meeting-detail", args=[coming.pk])).content.decode()
    assert "<dt>受邀</dt><dd>—</dd>" in page


def test_a_host_school_that_left_no_longer_hosts_and_the_meeting_can_still_be_moved(county):
    coming = upcoming(county, host=county.a2)
    a2_withdraws(county, on=timezone.localdate())
    coming.refresh_from_db()
    assert coming.host_school is None
    services.meeting_reschedule(
        meeting=coming,
        by=county.chair,
        starts_at=timezone.now() + datetime.timedelta(days=14),
        place="报告厅",
    )
    coming.refresh_from_db()
    assert coming.place == "报告厅"


def test_the_bureau_reads_whom_a_meeting_invited_on_its_history_page_in_bounded_queries(
    client, county, django_assert_max_num_queries
):
    coming = upcoming(county)
    client.force_login(county.bureau)
    url = reverse("admin:governance_meeting_history", args=[coming.pk])
    for n in range(3):  # schools join, up to the cap: a line each
        joins(county, SchoolFactory(name=f"新成员第{n}小学"))
    with django_assert_max_num_queries(30) as few:
        page = client.get(url).content.decode()
    for n in range(8):
        services.meeting_reschedule(
            meeting=coming,
            by=county.chair,
            starts_at=timezone.now() + datetime.timedelta(days=21 + n),
            place=f"会议室{n}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    before = f"{county.a0.name}、{county.a1.name}、{county.a2.name}"
    assert f"{before} → {before}、新成员第0小学" in page.replace("&nbsp;&rarr;&nbsp;", " → ")


def test_an_absence_gone_with_its_school_moves_the_meetings_updated_at(county):
    """A named meeting that did not invite A2 had its absence recorded all the same: the row
    goes when A2 leaves, and a sync asking what changed since must fetch the meeting again."""
    coming = upcoming(county, schools=[county.a0, county.a1])
    services.attendance_record(
        meeting=coming, school=county.a2, status="absent", reason="外出培训", by=county.chair
    )
    before = Meeting.objects.get(pk=coming.pk).updated_at
    a2_withdraws(county, on=timezone.localdate())
    assert not coming.attendance.exists()
    assert Meeting.objects.get(pk=coming.pk).updated_at > before


def test_someone_moved_out_of_the_group_is_no_longer_invited_by_name_to_its_meetings(
    client, county
):
    """Before, the meeting page went on naming among the people invited a teacher who had moved
    to a school of another group."""
    teacher = StaffFactory(school=county.a2, name="周老师")
    coming = upcoming(county, people=[teacher])
    earlier = upcoming(county, "十一月理事会议", days=-3, people=[teacher])
    move(teacher, to=county.b1, by=county.bureau)()
    assert not coming.invited_people.exists()
    assert list(earlier.invited_people.all()) == [teacher]  # as it was on its day
    client.force_login(county.chair)
    page = client.get(reverse("dashboard:meeting-detail", args=[coming.pk])).content.decode()
    assert "周老师" not in page
    last = coming.history.first()
    assert [c.field for c in last.diff_against(last.prev_record).changes] == ["invited_people"]


def test_someone_moved_to_another_school_the_meeting_invites_stays_invited(county):
    teacher = staff_user(school=county.a2, username="teacher_a2")
    coming = upcoming(county, people=[teacher])
    before = coming.history.count()
    move(teacher, to=county.a1, by=county.bureau)()
    assert list(coming.invited_people.all()) == [teacher]
    assert coming.history.count() == before


def test_someone_who_left_post_is_no_longer_invited_by_name(county):
    teacher = staff_user(school=county.a2, username="teacher_a2")
    coming = upcoming(county, people=[teacher])
    leave(teacher, by=county.bureau)()
    assert not coming.invited_people.exists()


def test_the_api_refuses_to_invite_someone_no_longer_in_post(api, county):
    teacher = staff_user(school=county.a1, username="gone_teacher")
    Staff.objects.filter(pk=teacher.pk).update(is_active=False)
    api.force_authenticate(county.chair)
    response = api.post(
        "/api/v1/meetings/",
        {
            "group": county.group_a.pk,
            "kind": "council",
            "title": "十二月理事会议",
            "starts_at": (timezone.now() + datetime.timedelta(days=9)).isoformat(),
            "place": "会议室",
            "invited_people": [teacher.pk],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json()["invited_people"] == ["只能邀请在岗人员。"]
    assert not Meeting.objects.exists()
