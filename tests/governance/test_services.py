import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance import services as group_services
from governance import selectors, services
from governance.models import (
    CharterVersion,
    CouncilSeat,
    MeetingKind,
    Outcome,
    ResolutionKind,
    SeatRole,
)
from members import services as member_services
from members.models import Membership, Post
from tests.conftest import fresh, staff_user
from tests.governance.factories import secretary_general, vice_chair_a1
from tests.members.factories import SchoolFactory, StaffFactory, past

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(county):
    return services.meeting_schedule(
        group=county.group_a,
        kind=MeetingKind.COUNCIL,
        title="十一月理事会议",
        starts_at=timezone.now(),
        place="青溪县实验小学会议室",
        agenda=["审议年度计划", "章程修订"],
        by=county.chair,
    )


@pytest.fixture
def principal_a2(county):
    return staff_user(school=county.a2, post=Post.PRINCIPAL, username="principal_a2").user


def attend(county, meeting, *schools):
    for school in schools:
        services.attendance_record(
            meeting=meeting, school=school, status="present", by=county.chair
        )


def motion(county, meeting, **kwargs):
    return services.resolution_propose(meeting=meeting, title="动议", by=county.chair, **kwargs)


def vote(resolution, school, choice, by):
    return services.vote_cast(resolution=resolution, school=school, choice=choice, by=by)


def test_a_meeting_keeps_its_agenda_in_order(meeting):
    assert list(meeting.agenda.values_list("position", "title")) == [
        (1, "审议年度计划"),
        (2, "章程修订"),
    ]


def test_a_majority_of_schools_present_and_voting_passes_a_motion(county, meeting, principal_a2):
    attend(county, meeting, county.a0, county.a1, county.a2)
    resolution = motion(county, meeting)
    vote(resolution, county.a0, "yes", county.chair)
    vote(resolution, county.a1, "no", county.principal_a1)
    vote(resolution, county.a2, "yes", principal_a2)
    resolution = services.resolution_decide(resolution=resolution, by=county.chair)
    assert (resolution.outcome, resolution.yes, resolution.no) == (Outcome.PASSED, 2, 1)
    assert (resolution.schools_present, resolution.member_schools) == (3, 3)


def test_a_school_recorded_absent_does_not_vote(county, meeting, principal_a2):
    attend(county, meeting, county.a0)
    services.attendance_record(
        meeting=meeting, school=county.a2, status="absent", reason="外出培训", by=county.chair
    )
    resolution = motion(county, meeting)
    with pytest.raises(ValidationError, match="recorded present"):
        vote(resolution, county.a2, "yes", principal_a2)


def test_a_vote_of_a_school_recorded_absent_after_voting_stays_on_record_not_counted(
    county, meeting, principal_a2
):
    attend(county, meeting, county.a0, county.a1, county.a2)
    resolution = motion(county, meeting)
    vote(resolution, county.a0, "yes", county.chair)
    vote(resolution, county.a2, "no", principal_a2)
    services.attendance_record(
        meeting=meeting, school=county.a2, status="absent", reason="提前离会", by=county.chair
    )
    resolution = services.resolution_decide(resolution=resolution, by=county.chair)
    assert (resolution.outcome, resolution.yes, resolution.no) == (Outcome.PASSED, 1, 0)
    counted = dict(resolution.votes.values_list("school", "counted"))
    assert counted == {county.a0.pk: True, county.a2.pk: False}


def test_abstentions_do_not_count_against_a_motion(county, meeting, principal_a2):
    attend(county, meeting, county.a0, county.a1, county.a2)
    resolution = motion(county, meeting)
    vote(resolution, county.a0, "yes", county.chair)
    vote(resolution, county.a1, "abstain", county.principal_a1)
    vote(resolution, county.a2, "abstain", principal_a2)
    resolution = services.resolution_decide(resolution=resolution, by=county.chair)
    assert (resolution.outcome, resolution.yes, resolution.abstain) == (Outcome.PASSED, 1, 2)


def test_half_of_the_schools_voting_yes_is_not_a_majority(county, meeting, principal_a2):
    attend(county, meeting, county.a0, county.a1, county.a2)
    resolution = motion(county, meeting)
    vote(resolution, county.a0, "yes", county.chair)
    vote(resolution, county.a1, "no", county.principal_a1)
    resolution = services.resolution_decide(resolution=resolution, by=county.chair)
    assert resolution.outcome == Outcome.REJECTED


def test_without_more_than_half_present_there_is_no_quorum(county, meeting):
    attend(county, meeting, county.a0)
    resolution = motion(county, meeting)
    vote(resolution, county.a0, "yes", county.chair)
    resolution = services.resolution_decide(resolution=resolution, by=county.chair)
    assert resolution.outcome == Outcome.NO_QUORUM


def test_a_per_group_quorum_replaces_the_default(county, meeting):
    from governance.models import CouncilPolicy

    CouncilPolicy.objects.create(group=county.group_a, quorum_ratio="1/4")
    attend(county, meeting, county.a0)
    resolution = motion(county, meeting)
    vote(resolution, county.a0, "yes", county.chair)
    resolution = services.resolution_decide(resolution=resolution, by=county.chair)
    assert resolution.outcome == Outcome.PASSED


def test_a_charter_amendment_needs_two_thirds_and_then_becomes_the_charter(
    county, meeting, principal_a2
):
    attend(county, meeting, county.a0, county.a1, county.a2)
    amendment = motion(county, meeting, kind=ResolutionKind.CHARTER, charter_text="新章程第一条")
    vote(amendment, county.a0, "yes", county.chair)
    vote(amendment, county.a1, "yes", county.principal_a1)
    vote(amendment, county.a2, "no", principal_a2)
    services.meeting_close(meeting=meeting, by=county.chair)
    amendment.refresh_from_db()
    assert amendment.outcome == Outcome.PASSED
    county.group_a.refresh_from_db()
    assert county.group_a.charter == "新章程第一条"
    assert CharterVersion.objects.get(group=county.group_a).resolution == amendment


def test_a_charter_amendment_short_of_two_thirds_fails(county, meeting, principal_a2):
    attend(county, meeting, county.a0, county.a1, county.a2)
    amendment = motion(county, meeting, kind=ResolutionKind.CHARTER, charter_text="x")
    vote(amendment, county.a0, "yes", county.chair)
    vote(amendment, county.a1, "no", county.principal_a1)
    amendment = services.resolution_decide(resolution=amendment, by=county.chair)
    assert amendment.outcome == Outcome.REJECTED
    assert not CharterVersion.objects.exists()


def test_an_ordinary_motion_with_a_charter_text_is_refused_and_not_put(county, meeting):
    """Kept, the text would read as adopted on a resolution that adopts nothing."""
    with pytest.raises(ValidationError) as refused:
        motion(county, meeting, kind=ResolutionKind.ORDINARY, charter_text="新章程第一条")
    assert "charter_text" in refused.value.message_dict
    assert not meeting.resolutions.exists()


def test_only_a_schools_representative_votes_for_it(county, meeting):
    resolution = motion(county, meeting)
    with pytest.raises(PermissionDenied):
        vote(resolution, county.a1, "yes", county.teacher_a1)
    with pytest.raises(PermissionDenied):
        vote(resolution, county.a1, "yes", county.chair)


def test_a_school_votes_once(county, meeting):
    attend(county, meeting, county.a1)
    resolution = motion(county, meeting)
    vote(resolution, county.a1, "yes", county.principal_a1)
    with pytest.raises(ValidationError, match="already voted"):
        vote(resolution, county.a1, "no", county.principal_a1)


def test_a_school_not_a_member_on_the_meeting_date_cannot_vote(county, meeting):
    resolution = motion(county, meeting)
    with pytest.raises(ValidationError, match="not a member school"):
        vote(resolution, county.b1, "yes", county.principal_b1)


def test_no_vote_after_the_meeting_is_closed(county, meeting):
    resolution = motion(county, meeting)
    services.meeting_close(meeting=meeting, by=county.chair)
    with pytest.raises(ValidationError, match="closed"):
        vote(resolution, county.a1, "yes", county.principal_a1)


def test_attendance_only_for_member_schools_and_their_own_staff(county, meeting):
    with pytest.raises(ValidationError, match="not a member school"):
        services.attendance_record(
            meeting=meeting, school=county.b1, status="present", by=county.chair
        )
    stranger = StaffFactory(school=county.b1)
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            meeting=meeting, school=county.a1, status="present", person=stranger, by=county.chair
        )
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            meeting=meeting, school=county.a1, status="absent", by=county.chair
        )
    assert "reason" in error.value.message_dict


def test_attendance_of_several_schools_is_recorded_all_or_none(county, meeting):
    records = [
        (county.a0, {"status": "present"}),
        (county.a1, {"status": "absent"}),  # no reason
        (county.b1, {"status": "present"}),  # not a member
    ]
    with pytest.raises(services.AttendanceRefused) as refused:
        services.attendance_record_many(meeting=meeting, records=records, by=county.chair)
    assert set(refused.value.by_school) == {county.a1.pk, county.b1.pk}  # every refusal, named
    assert "reason" in refused.value.by_school[county.a1.pk].message_dict
    assert not meeting.attendance.exists()  # A0's row, valid, was not kept either
    records[1] = (county.a1, {"status": "absent", "reason": "外出"})
    services.attendance_record_many(meeting=meeting, records=records[:2], by=county.chair)
    assert dict(meeting.attendance.values_list("school", "status")) == {
        county.a0.pk: "present",
        county.a1.pk: "absent",
    }
    with pytest.raises(PermissionDenied):
        services.attendance_record_many(
            meeting=meeting, records=records[:1], by=county.principal_a1
        )
    services.meeting_close(meeting=meeting, by=county.chair)
    with pytest.raises(ValidationError, match="attendance is final"):
        services.attendance_record_many(meeting=meeting, records=records[:1], by=county.chair)


def test_only_the_secretary_general_or_chair_records_minutes(county, meeting):
    with pytest.raises(PermissionDenied):
        services.minutes_record(meeting=meeting, minutes="x", by=county.principal_a1)
    services.minutes_record(meeting=meeting, minutes="会议纪要", by=secretary_general(county))


def test_approved_minutes_freeze_the_meeting_and_corrections_are_new_records(county, meeting):
    attend(county, meeting, county.a0, county.a1)
    original = motion(county, meeting)
    services.meeting_close(meeting=meeting, by=county.chair)
    with pytest.raises(ValidationError, match="Record the minutes"):
        services.minutes_approve(meeting=meeting, by=county.chair)
    services.minutes_record(meeting=meeting, minutes="纪要", by=county.chair)
    services.minutes_approve(meeting=meeting, by=county.chair)
    with pytest.raises(ValidationError, match="attendance is final"):
        services.attendance_record(
            meeting=meeting, school=county.a2, status="present", by=county.chair
        )
    with pytest.raises(ValidationError, match="already decided"):
        services.resolution_decide(resolution=original, by=county.chair)
    later = services.meeting_schedule(
        group=county.group_a,
        kind=MeetingKind.COUNCIL,
        title="十二月理事会议",
        starts_at=timezone.now(),
        online_link="https://meet.example.cn/a",
        by=county.chair,
    )
    correction = motion(county, later, corrects=original)
    assert list(original.corrections.all()) == [correction]


def test_seat_terms_of_the_same_seat_cannot_overlap(county):
    chair_staff = county.chair.staff
    services.seat_assign(
        group=county.group_a,
        role=SeatRole.CHAIR,
        holder=chair_staff,
        starts_on=past(100),
        by=county.bureau,
    )
    seat = chair_staff.seats.get()
    assert (seat.ends_on - seat.starts_on).days in (1826, 1827)  # five years by default
    with pytest.raises(ValidationError, match="overlaps"):
        services.seat_assign(
            group=county.group_a,
            role=SeatRole.CHAIR,
            holder=county.principal_a1.staff,
            starts_on=past(10),
            by=county.bureau,
        )
    with pytest.raises(ValidationError) as error:
        services.seat_assign(
            group=county.group_a,
            role=SeatRole.DIRECTOR,
            holder=county.principal_a1.staff,
            starts_on=past(10),
            ends_on=past(20),
            by=county.bureau,
        )
    assert "ends_on" in error.value.message_dict


def test_the_council_can_be_shown_on_a_past_date(county):
    services.seat_assign(
        group=county.group_a,
        role=SeatRole.VICE_CHAIR,
        holder=county.principal_a1.staff,
        starts_on=past(200),
        ends_on=past(50),
        by=county.bureau,
    )
    assert selectors.seats_on(group=county.group_a, day=past(100)).count() == 1
    assert selectors.seats_on(group=county.group_a, day=past(10)).count() == 0


def test_the_next_host_is_the_member_that_hosted_longest_ago(county):
    for school, days_ago in [(county.a0, 60), (county.a1, 30)]:
        services.meeting_schedule(
            group=county.group_a,
            kind=MeetingKind.COUNCIL,
            title=f"会议{days_ago}",
            starts_at=timezone.now() - datetime.timedelta(days=days_ago),
            place="会议室",
            host_school=school,
            by=county.chair,
        )
    assert (
        selectors.next_host_suggestion(group=county.group_a, kind=MeetingKind.COUNCIL) == county.a2
    )


def test_a_teacher_cannot_schedule_meetings(county):
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(
            group=county.group_a,
            kind=MeetingKind.COUNCIL,
            title="x",
            starts_at=timezone.now(),
            place="x",
            by=county.teacher_a1,
        )


def test_a_meeting_needs_a_place_or_a_link(county):
    with pytest.raises(ValidationError, match="place or an online link"):
        services.meeting_schedule(
            group=county.group_a,
            kind=MeetingKind.COUNCIL,
            title="x",
            starts_at=timezone.now(),
            by=county.chair,
        )


def test_every_member_school_is_invited_unless_schools_are_named(county, meeting):
    assert set(meeting.invited_schools.all()) == {county.a0, county.a1, county.a2}
    named = services.meeting_schedule(
        group=county.group_a,
        kind=MeetingKind.PRINCIPALS,
        title="校长联席会议",
        starts_at=timezone.now(),
        place="会议室",
        invited_schools=[county.a0, county.a1],
        invited_people=[county.principal_a1.staff],
        by=county.chair,
    )
    assert set(named.invited_schools.all()) == {county.a0, county.a1}
    assert list(named.invited_people.all()) == [county.principal_a1.staff]


def test_only_member_schools_and_their_people_are_invited(county):
    def schedule(**invites):
        return services.meeting_schedule(
            group=county.group_a,
            kind=MeetingKind.COUNCIL,
            title="x",
            starts_at=timezone.now(),
            place="x",
            by=county.chair,
            **invites,
        )

    with pytest.raises(ValidationError) as error:
        schedule(invited_schools=[county.b1])
    assert "invited_schools" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        schedule(invited_schools=[county.a0], invited_people=[county.principal_a1.staff])
    assert "invited_people" in error.value.message_dict


def test_with_a_rotating_chair_the_seat_holder_chairs_not_the_lead_principal(county, meeting):
    from governance.models import CouncilPolicy

    CouncilPolicy.objects.create(group=county.group_a, rotating_chair=True)
    with pytest.raises(PermissionDenied):
        services.meeting_close(meeting=meeting, by=fresh(county.chair))
    services.seat_assign(
        group=county.group_a,
        role=SeatRole.CHAIR,
        holder=county.principal_a1.staff,
        starts_on=past(5),
        by=county.bureau,
    )
    services.meeting_close(meeting=meeting, by=fresh(county.principal_a1))


def test_a_term_beyond_the_calendar_is_a_field_error(county):
    with pytest.raises(ValidationError) as error:
        services.seat_assign(
            group=county.group_a,
            role=SeatRole.DIRECTOR,
            holder=county.principal_a1.staff,
            starts_on=datetime.date(9998, 1, 1),
            by=county.bureau,
        )
    assert "starts_on" in error.value.message_dict


def test_a_cadence_must_name_known_kinds_periods_and_counts(county):
    from governance.models import CouncilPolicy

    for bad in ({"party": ["month", 1]}, {"council": 1}, {"council": ["week", 1]}, [1]):
        with pytest.raises(ValidationError):
            CouncilPolicy(group=county.group_a, cadence=bad).full_clean()
    CouncilPolicy(group=county.group_a, cadence={"council": ["year", 10]}).full_clean()


def test_a_school_that_leaves_leaves_the_council_on_its_last_day(county):
    """Seats of an expelled or withdrawn school stayed current for years (vice-chair to 2031)."""

    def seat(holder, role):
        return services.seat_assign(
            group=county.group_a, role=role, holder=holder, starts_on=past(200), by=county.bureau
        )

    vice_chair = seat(county.principal_a1.staff, SeatRole.VICE_CHAIR)
    a2_vice_chair = seat(
        staff_user(school=county.a2, post=Post.PRINCIPAL, username="p_a2"),
        SeatRole.VICE_CHAIR,
    )
    chair = seat(county.chair.staff, SeatRole.CHAIR)
    member_services.membership_withdraw(
        membership=Membership.objects.get(school=county.a1, group=county.group_a),
        by=county.bureau,
        notice_on=past(20),
        left_on=past(10),
    )
    vice_chair.refresh_from_db()
    assert vice_chair.ends_on == past(11)
    assert vice_chair.history.first().history_type == "~"  # in the audit trail
    assert not selectors.seat_held_by(county.principal_a1)
    member_services.membership_expel(
        membership=Membership.objects.get(school=county.a2, group=county.group_a),
        by=county.bureau,
        reason="连续缺席",
    )
    a2_vice_chair.refresh_from_db()
    assert a2_vice_chair.ends_on == past(1)
    chair.refresh_from_db()
    assert chair.ends_on > timezone.localdate()  # the lead school stays


def test_a_seat_not_yet_begun_is_withdrawn_when_its_school_leaves(county):
    """Seated for the next term, a school that left kept the seat from its start to 2031."""
    next_term = services.seat_assign(
        group=county.group_a,
        role=SeatRole.VICE_CHAIR,
        holder=county.principal_a1.staff,
        starts_on=timezone.localdate() + datetime.timedelta(days=30),
        by=county.bureau,
    )
    member_services.membership_withdraw(
        membership=Membership.objects.get(school=county.a1, group=county.group_a),
        by=county.bureau,
        notice_on=past(1),
    )
    assert not county.principal_a1.staff.seats.exists()
    assert next_term.history.filter(history_type="-").exists()  # the audit trail keeps it


def test_someone_who_leaves_their_post_leaves_the_council(api, county):
    """A retired principal stayed vice-chair to the end of the term."""
    holder = county.principal_a1.staff
    seat = vice_chair_a1(county, starts_on=past(100))
    api.force_authenticate(county.bureau)
    left = api.patch(f"/api/v1/staff/{holder.pk}/", {"is_active": False}, format="json")
    assert left.status_code == 200, left.content
    seat.refresh_from_db()
    assert seat.ends_on == timezone.localdate()  # today is the last day in the seat


def test_votes_are_not_counted_before_the_meeting_begins(county):
    """Counted a week ahead, no school could be present: "no quorum", for good."""
    ahead = services.meeting_schedule(
        group=county.group_a,
        kind=MeetingKind.COUNCIL,
        title="下月理事会议",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        place="会议室",
        by=county.chair,
    )
    resolution = motion(county, ahead)
    with pytest.raises(ValidationError):
        services.resolution_decide(resolution=resolution, by=county.chair)
    resolution.refresh_from_db()
    assert not resolution.outcome


def test_a_seat_goes_only_to_someone_in_post(county):
    gone = staff_user(school=county.a1, post=Post.VICE_PRINCIPAL, username="gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError) as refused:
        services.seat_assign(
            group=county.group_a,
            role=SeatRole.DIRECTOR,
            holder=gone,
            starts_on=timezone.localdate(),
            by=county.bureau,
        )
    assert "holder" in refused.value.message_dict


def test_a_seat_recorded_late_ends_with_the_membership_its_school_has_since_left(county):
    """Dated back to a time the school was a member, a seat ran its full five years although
    the school had left ten days ago."""
    member_services.membership_withdraw(
        membership=Membership.objects.get(school=county.a1, group=county.group_a),
        by=county.bureau,
        notice_on=past(20),
        left_on=past(10),
    )
    seat = services.seat_assign(
        group=county.group_a,
        role=SeatRole.VICE_CHAIR,
        holder=county.principal_a1.staff,
        starts_on=past(100),
        by=county.bureau,
    )
    assert (seat.starts_on, seat.ends_on) == (past(100), past(11))  # its last day as a member


def test_a_term_typed_longer_than_the_groups_term_is_refused(county):
    with pytest.raises(ValidationError) as refused:
        services.seat_assign(
            group=county.group_a,
            role=SeatRole.DIRECTOR,
            holder=county.principal_a1.staff,
            starts_on=past(0),
            ends_on=past(0).replace(year=past(0).year + 30),
            by=county.bureau,
        )
    assert refused.value.message_dict == {"ends_on": ["A term lasts at most 5 years."]}


def test_a_dissolved_group_seats_no_one(county):
    group_services.group_dissolve(
        group=county.group_b, by=county.bureau, reason="撤销", dissolved_on=past(5)
    )
    with pytest.raises(ValidationError) as refused:
        services.seat_assign(
            group=county.group_b,
            role=SeatRole.DIRECTOR,
            holder=county.principal_b1.staff,
            starts_on=past(50),
            by=county.bureau,
        )
    assert refused.value.message_dict == {
        "group": ["A dissolved group seats no one on its council."]
    }
    assert not CouncilSeat.objects.filter(group=county.group_b, role=SeatRole.DIRECTOR).exists()


def test_someone_moved_to_another_school_leaves_the_council_of_the_group_left_behind(county):
    """A secretary-general transferred to a school of another group still ran the old council."""
    officer = secretary_general(county)
    staff = officer.staff
    staff.school = county.b1
    member_services.staff_save(staff=staff, by=county.bureau)
    # Today is their last day in the seat, as for someone who leaves their post.
    assert CouncilSeat.objects.get(holder=staff).ends_on == timezone.localdate()


def test_a_group_wide_officer_moved_within_the_group_keeps_the_seat_a_schools_seat_ends(
    county,
):
    """Moved from A1 to A2, the secretary-general lost the seat: it is the group's, not A1's.
    A vice-chair's seat is held for the school and ends with the move."""
    officer = secretary_general(county).staff
    officer.school = county.a2
    member_services.staff_save(staff=officer, by=county.bureau)
    seat = CouncilSeat.objects.get(holder=officer)
    assert seat.ends_on > timezone.localdate() and seat.school == county.a2
    vice_chair = vice_chair_a1(county).holder
    vice_chair.school = county.a2
    member_services.staff_save(staff=vice_chair, by=county.bureau)
    assert CouncilSeat.objects.get(holder=vice_chair).ends_on == timezone.localdate()


def test_a_meeting_recorded_afterwards_invites_the_members_of_its_day_only(county):
    """A school that joined since was invited, then counted absent from a meeting before it."""
    late = SchoolFactory()
    application = member_services.membership_apply(
        school=late, group=county.group_a, by=county.bureau, applied_on=past(20)
    )
    member_services.membership_approve(
        membership=application, by=county.bureau, approved_on=past(10)
    )
    held = services.meeting_schedule(
        group=county.group_a,
        kind=MeetingKind.COUNCIL,
        title="补录会议",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        place="会议室",
        by=county.chair,
    )
    assert set(held.invited_schools.all()) == {county.a0, county.a1, county.a2}


def test_only_an_absence_keeps_a_reason(county, meeting):
    """A proxy recorded over the API kept a reason the page neither shows nor sends: the next
    table sent from the page then rewrote the row."""
    record = services.attendance_record(
        meeting=meeting,
        school=county.a1,
        status="proxy",
        proxy_name="王副校长",
        reason="校长出差",
        by=county.chair,
    )
    assert (record.proxy_name, record.reason) == ("王副校长", "")


def test_a_charter_text_of_spaces_is_no_charter_text(county, meeting):
    """It passed the service's check, then the database's refused it as a non-field error."""
    put = motion(county, meeting, kind=ResolutionKind.ORDINARY, charter_text="  \n ")
    assert put.charter_text == ""
