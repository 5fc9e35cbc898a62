"""Lock order and races between a school's leaving the group and the council's votes, between a
resolution's count and the votes or the meeting's close, and between the minutes and the votes.
Every path takes the group first (then the meeting, the resolution, or the membership and its
seats), so each pair runs one after the other and the second sees what the first committed.

Needs PostgreSQL (row locks); CI runs it against the real server.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from alliance.models import SchoolGroup
from governance import selectors, services
from governance.models import (
    CouncilSeat,
    Meeting,
    MeetingStatus,
    Outcome,
    Resolution,
    ResolutionKind,
    SeatRole,
    Vote,
)
from members import services as member_services
from members.models import Membership, MembershipAction, MembershipStatus, Post
from tests.conftest import fresh, staff_user
from tests.governance.factories import meeting, vice_chair_a1
from tests.locks import ON_POSTGRESQL, race, waits_holding_nothing_else
from tests.members.factories import past

pytestmark = ON_POSTGRESQL

GROUNDS = "连续三次无故缺席理事会议，经警告仍不参加集团活动。"
MINUTES = "会议审议通过共建课程资源库的决议。"
CLOSED = "该决议的表决已结束。"
DECIDED = "该决议已表决。"


# --- Set-up ---------------------------------------------------------------------------------


def open_motion(county) -> Resolution:
    """A motion of today's meeting of group A: A0, A1 and A2 present, A0 voted yes. A1's "no"
    counted makes it rejected (1 to 1); without it, it passes (1 to 0)."""
    held = meeting(county)
    for school in (county.a0, county.a1, county.a2):
        services.attendance_record(meeting=held, school=school, status="present", by=county.chair)
    motion = services.resolution_propose(meeting=held, title="共建课程资源库", by=county.chair)
    services.vote_cast(resolution=motion, school=county.a0, choice="yes", by=county.chair)
    return motion


def a1_votes_no(county, motion: Resolution):
    return lambda: services.vote_cast(
        resolution=motion, school=county.a1, choice="no", by=fresh(county.principal_a1)
    )


def decide(county, motion: Resolution):
    return lambda: services.resolution_decide(resolution=motion, by=fresh(county.chair))


def close(county, motion: Resolution):
    return lambda: services.meeting_close(meeting=motion.meeting, by=fresh(county.chair))


def membership_of(county, school) -> Membership:
    return Membership.objects.get(group=county.group_a, school=school)


def a1_leaves(county, how: str, day: datetime.date):
    """A1 leaves group A with `day` as its first day out: it withdraws (its principal gives
    notice) or the bureau expels it."""
    membership = membership_of(county, county.a1)
    if how == "withdraw":
        return lambda: member_services.membership_withdraw(
            membership=membership, by=fresh(county.principal_a1), notice_on=past(30), left_on=day
        )
    return lambda: member_services.membership_expel(
        membership=membership, by=fresh(county.bureau), reason=GROUNDS, expelled_on=day
    )


def refusal(outcome: dict, name: str = "second") -> ValidationError:
    """The ValidationError a racing path ended with (not a deadlock, not a success)."""
    assert isinstance(outcome[name], ValidationError), outcome[name]
    return outcome[name]


def succeeded(outcome: dict, name: str = "first"):
    assert not isinstance(outcome[name], Exception), outcome[name]
    return outcome[name]


def counted(motion: Resolution) -> tuple:
    motion.refresh_from_db()
    return motion.outcome, motion.yes, motion.no, motion.member_schools


def left_once(membership: Membership, status: str) -> bool:
    """The membership ended once, with `status`: one leaving in its history, not two."""
    membership.refresh_from_db()
    leavings = membership.events.filter(
        action__in=[MembershipAction.WITHDRAWN, MembershipAction.EXPELLED]
    )
    return membership.status == status and leavings.count() == 1


# --- A school leaving the group against a vote for it -----------------------------------------


LEAVING = [("withdraw", MembershipStatus.WITHDRAWN), ("expel", MembershipStatus.EXPELLED)]


@pytest.mark.parametrize("how, status", LEAVING)
def test_a_vote_cast_as_the_school_leaves_that_day_waits_and_is_refused(county, how, status):
    motion = open_motion(county)
    seat = vice_chair_a1(county)
    day = selectors.meeting_day(motion.meeting)
    outcome = race(a1_leaves(county, how, day), a1_votes_no(county, motion))
    succeeded(outcome)
    # The vote waited on the group's row, then read that A1 was out on the meeting's day.
    assert outcome["second_waited"]
    assert refusal(outcome).message_dict["school"] == [f"该学校在 {day} 不是本集团成员学校。"]
    assert not Vote.objects.filter(resolution=motion, school=county.a1).exists()
    assert left_once(membership_of(county, county.a1), status)
    seat.refresh_from_db()
    assert seat.ends_on == day - datetime.timedelta(days=1)  # its last day as a member
    services.resolution_decide(resolution=motion, by=county.chair)
    assert counted(motion) == (Outcome.PASSED, 1, 0, 2)


@pytest.mark.parametrize("how, status", LEAVING)
def test_a_vote_cast_just_before_the_school_leaves_that_day_is_kept_and_not_counted(
    county, how, status
):
    """Whichever commits first, a school out on the meeting's day has no say in its outcome:
    the vote it cast a moment before stays on record, the count leaves it out."""
    motion = open_motion(county)
    seat = vice_chair_a1(county)
    day = selectors.meeting_day(motion.meeting)
    outcome = race(a1_votes_no(county, motion), a1_leaves(county, how, day))
    assert isinstance(succeeded(outcome), Vote)
    assert outcome["second_waited"]  # on the group's row, held by the vote
    assert succeeded(outcome, "second").status == status
    assert left_once(membership_of(county, county.a1), status)
    assert Vote.objects.filter(resolution=motion, school=county.a1, choice="no").exists()
    seat.refresh_from_db()
    assert seat.ends_on == day - datetime.timedelta(days=1)
    services.resolution_decide(resolution=motion, by=county.chair)
    assert counted(motion) == (Outcome.PASSED, 1, 0, 2)


def test_a_vote_waits_for_the_group_without_holding_the_membership_or_seats_a_leaving_locks(
    county,
):
    motion = open_motion(county)
    seat = vice_chair_a1(county)
    membership = membership_of(county, county.a1)

    def next_lock() -> None:  # what membership_withdraw locks after the group
        Membership.objects.select_for_update(nowait=True).get(pk=membership.pk)
        CouncilSeat.objects.select_for_update(nowait=True).get(pk=seat.pk)

    vote = waits_holding_nothing_else(
        hold=lambda: SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk),
        act=a1_votes_no(county, motion),
        next_lock=next_lock,
    )
    assert Vote.objects.filter(pk=vote.pk, school=county.a1).exists()


def test_a_school_leaving_waits_for_the_group_without_holding_the_meeting_or_motion_a_vote_locks(
    county,
):
    motion = open_motion(county)
    day = selectors.meeting_day(motion.meeting)

    def next_lock() -> None:  # what vote_cast locks after the group
        Meeting.objects.select_for_update(nowait=True).get(pk=motion.meeting_id)
        Resolution.objects.select_for_update(nowait=True).get(pk=motion.pk)

    left = waits_holding_nothing_else(
        hold=lambda: SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk),
        act=a1_leaves(county, "withdraw", day),
        next_lock=next_lock,
    )
    assert left.status == MembershipStatus.WITHDRAWN


# --- A school leaving the group as the council counts the motion to expel it ------------------


@pytest.fixture
def principal_a2(county):
    return staff_user(school=county.a2, post=Post.PRINCIPAL, username="principal_a2").user


@pytest.fixture
def expulsion(county, principal_a2):
    """Today's motion to expel A2, carried 2 to 1 (A0 and A1 yes, A2 no); A2's vice-principal
    sits on the council."""
    held = meeting(county)
    for school in (county.a0, county.a1, county.a2):
        services.attendance_record(meeting=held, school=school, status="present", by=county.chair)
    motion = services.resolution_propose(
        meeting=held,
        title=f"取消{county.a2.name}成员资格",
        text=GROUNDS,
        kind=ResolutionKind.EXPULSION,
        school=county.a2,
        by=county.chair,
    )
    for school, user, choice in [
        (county.a0, county.chair, "yes"),
        (county.a1, county.principal_a1, "yes"),
        (county.a2, principal_a2, "no"),
    ]:
        services.vote_cast(resolution=motion, school=school, choice=choice, by=user)
    services.seat_assign(
        group=county.group_a,
        role=SeatRole.DIRECTOR,
        holder=staff_user(school=county.a2, post=Post.VICE_PRINCIPAL, username="a2_vp"),
        starts_on=past(30),
        by=county.bureau,
    )
    return motion


def a2_withdraws(county, principal_a2):
    membership = membership_of(county, county.a2)
    return lambda: member_services.membership_withdraw(
        membership=membership, by=fresh(principal_a2), notice_on=past(30)
    )


def test_a_school_withdrawing_as_the_council_expels_it_is_refused(county, expulsion, principal_a2):
    outcome = race(decide(county, expulsion), a2_withdraws(county, principal_a2))
    succeeded(outcome)
    assert outcome["second_waited"]
    assert refusal(outcome).messages == ["只有现有成员学校才能退出。"]
    membership = membership_of(county, county.a2)
    assert left_once(membership, MembershipStatus.EXPELLED)
    day = selectors.meeting_day(expulsion.meeting)
    assert membership.left_on == day + datetime.timedelta(days=1)  # out from the next day
    assert counted(expulsion) == (Outcome.PASSED, 2, 1, 3)
    seat = CouncilSeat.objects.get(school=county.a2)
    assert seat.ends_on == day


def test_a_school_that_withdrew_as_the_council_counted_its_expulsion_stays_withdrawn(
    county, expulsion, principal_a2
):
    outcome = race(a2_withdraws(county, principal_a2), decide(county, expulsion))
    succeeded(outcome)
    assert outcome["second_waited"]
    # The count read the withdrawal: A2 was out on the meeting's day, its "no" not counted,
    # and there was no one left to expel.
    assert succeeded(outcome, "second").outcome == Outcome.PASSED
    assert counted(expulsion) == (Outcome.PASSED, 2, 0, 2)
    assert left_once(membership_of(county, county.a2), MembershipStatus.WITHDRAWN)


def test_a_withdrawal_waits_for_the_group_without_holding_what_the_expulsion_locks_next(
    county, expulsion, principal_a2
):
    seat = CouncilSeat.objects.get(school=county.a2)
    membership = membership_of(county, county.a2)

    def hold() -> None:  # as resolution_decide holds them before it carries out the expulsion
        SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk)
        Meeting.objects.select_for_update().get(pk=expulsion.meeting_id)
        Resolution.objects.select_for_update().get(pk=expulsion.pk)

    def next_lock() -> None:  # membership_expel_by_council's, then seats_end_with_membership's
        Membership.objects.select_for_update(nowait=True).get(pk=membership.pk)
        CouncilSeat.objects.select_for_update(nowait=True).get(pk=seat.pk)

    waits_holding_nothing_else(
        hold=hold, act=a2_withdraws(county, principal_a2), next_lock=next_lock
    )
    assert left_once(membership, MembershipStatus.WITHDRAWN)


def test_counting_an_expulsion_waits_for_the_group_without_holding_the_seats_a_withdrawal_locks(
    county, expulsion
):
    seat = CouncilSeat.objects.get(school=county.a2)
    membership = membership_of(county, county.a2)

    def hold() -> None:  # as membership_withdraw holds them before it ends the school's seats
        SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk)
        Membership.objects.select_for_update().get(pk=membership.pk)

    decided = waits_holding_nothing_else(
        hold=hold,
        act=decide(county, expulsion),
        next_lock=lambda: CouncilSeat.objects.select_for_update(nowait=True).get(pk=seat.pk),
    )
    assert decided.outcome == Outcome.PASSED
    assert left_once(membership, MembershipStatus.EXPELLED)


# --- A resolution's count against a vote, and against the meeting's close ---------------------


COUNTS = {"decide": decide, "close": close}  # a motion is counted when decided, or closed


@pytest.mark.parametrize("count", COUNTS)
def test_a_vote_cast_as_its_motion_is_counted_is_refused(county, count):
    motion = open_motion(county)
    outcome = race(COUNTS[count](county, motion), a1_votes_no(county, motion))
    succeeded(outcome)
    assert outcome["second_waited"]
    assert refusal(outcome).messages == [CLOSED]
    assert not Vote.objects.filter(resolution=motion, school=county.a1).exists()
    assert counted(motion) == (Outcome.PASSED, 1, 0, 3)


@pytest.mark.parametrize("count", COUNTS)
def test_a_vote_cast_as_its_motion_is_about_to_be_counted_is_counted(county, count):
    motion = open_motion(county)
    outcome = race(a1_votes_no(county, motion), COUNTS[count](county, motion))
    succeeded(outcome)
    succeeded(outcome, "second")
    assert outcome["second_waited"]
    assert counted(motion) == (Outcome.REJECTED, 1, 1, 3)


def test_a_resolution_decided_as_the_meeting_closes_is_counted_once(county):
    motion = open_motion(county)
    outcome = race(decide(county, motion), close(county, motion))
    first_count = succeeded(outcome).decided_at
    assert outcome["second_waited"]
    assert succeeded(outcome, "second").status == MeetingStatus.CLOSED
    # The close found it decided and left it: the count is the decision's, not a second one.
    motion.refresh_from_db()
    assert motion.decided_at == first_count
    assert counted(motion) == (Outcome.PASSED, 1, 0, 3)


def test_deciding_a_resolution_as_the_meeting_closes_is_refused_as_decided(county):
    motion = open_motion(county)
    outcome = race(close(county, motion), decide(county, motion))
    succeeded(outcome)
    assert outcome["second_waited"]
    assert refusal(outcome).messages == [DECIDED]
    assert Meeting.objects.get(pk=motion.meeting_id).status == MeetingStatus.CLOSED
    assert counted(motion) == (Outcome.PASSED, 1, 0, 3)


def test_a_decision_waits_for_its_group_and_meeting_before_taking_the_resolution(county):
    motion = open_motion(county)

    def hold() -> None:  # as meeting_close holds them before it decides the open resolutions
        SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk)
        Meeting.objects.select_for_update().get(pk=motion.meeting_id)

    decided = waits_holding_nothing_else(
        hold=hold,
        act=decide(county, motion),
        # meeting_close's next lock: free, not held by the waiting decision.
        next_lock=lambda: Resolution.objects.select_for_update(nowait=True).get(pk=motion.pk),
    )
    assert decided.outcome == Outcome.PASSED


# --- The minutes against votes and counts in the same meeting ----------------------------------


def record_minutes(county, motion: Resolution, text: str = MINUTES):
    return lambda: services.minutes_record(meeting=motion.meeting, minutes=text, by=county.chair)


def approve_minutes(county, motion: Resolution):
    return lambda: services.minutes_approve(meeting=motion.meeting, by=fresh(county.chair))


def closed_with_minutes(county) -> Resolution:
    """open_motion's meeting closed without A1's vote (the motion passed 1 to 0), its minutes
    recorded."""
    motion = open_motion(county)
    services.meeting_close(meeting=motion.meeting, by=county.chair)
    services.minutes_record(meeting=motion.meeting, minutes=MINUTES, by=county.chair)
    return motion


@pytest.mark.parametrize("minutes_first", [True, False], ids=["minutes-first", "vote-first"])
def test_minutes_recorded_as_a_vote_is_cast_keep_both(county, minutes_first):
    motion = open_motion(county)
    paths = [record_minutes(county, motion), a1_votes_no(county, motion)]
    outcome = race(*(paths if minutes_first else paths[::-1]))
    succeeded(outcome)
    succeeded(outcome, "second")
    assert outcome["second_waited"]
    assert Meeting.objects.get(pk=motion.meeting_id).minutes == MINUTES
    assert Vote.objects.filter(resolution=motion, school=county.a1, choice="no").exists()
    services.resolution_decide(resolution=motion, by=county.chair)
    assert counted(motion) == (Outcome.REJECTED, 1, 1, 3)


@pytest.mark.parametrize("minutes_first", [True, False], ids=["minutes-first", "count-first"])
def test_minutes_recorded_as_a_resolution_is_decided_keep_both(county, minutes_first):
    motion = open_motion(county)
    paths = [record_minutes(county, motion), decide(county, motion)]
    outcome = race(*(paths if minutes_first else paths[::-1]))
    succeeded(outcome)
    succeeded(outcome, "second")
    assert outcome["second_waited"]
    assert Meeting.objects.get(pk=motion.meeting_id).minutes == MINUTES
    assert counted(motion) == (Outcome.PASSED, 1, 0, 3)


def test_a_vote_cast_as_the_minutes_are_approved_is_refused_and_the_outcome_stands(county):
    motion = closed_with_minutes(county)
    outcome = race(approve_minutes(county, motion), a1_votes_no(county, motion))
    assert succeeded(outcome).status == MeetingStatus.APPROVED
    assert outcome["second_waited"]
    assert refusal(outcome).messages == [CLOSED]
    assert not Vote.objects.filter(resolution=motion, school=county.a1).exists()
    assert counted(motion) == (Outcome.PASSED, 1, 0, 3)


def test_a_resolution_decided_as_the_minutes_are_approved_is_refused_and_not_recounted(county):
    motion = closed_with_minutes(county)
    motion.refresh_from_db()
    decided_at = motion.decided_at
    outcome = race(approve_minutes(county, motion), decide(county, motion))
    succeeded(outcome)
    assert outcome["second_waited"]
    assert refusal(outcome).messages == [DECIDED]
    assert Meeting.objects.get(pk=motion.meeting_id).status == MeetingStatus.APPROVED
    motion.refresh_from_db()
    assert motion.decided_at == decided_at


def test_minutes_changed_as_they_are_approved_are_refused_and_the_approved_text_stays(county):
    motion = closed_with_minutes(county)
    outcome = race(approve_minutes(county, motion), record_minutes(county, motion, "改写的纪要"))
    succeeded(outcome)
    assert outcome["second_waited"]
    assert refusal(outcome).messages == ["会议纪要已审定，会议记录不能再修改。"]
    held = Meeting.objects.get(pk=motion.meeting_id)
    assert (held.status, held.minutes) == (MeetingStatus.APPROVED, MINUTES)


def test_minutes_changed_just_before_they_are_approved_are_the_ones_approved(county):
    motion = closed_with_minutes(county)
    outcome = race(record_minutes(county, motion, "改写的纪要"), approve_minutes(county, motion))
    succeeded(outcome)
    assert outcome["second_waited"]
    assert succeeded(outcome, "second").minutes == "改写的纪要"
    held = Meeting.objects.get(pk=motion.meeting_id)
    assert (held.status, held.minutes) == (MeetingStatus.APPROVED, "改写的纪要")


def test_a_vote_waits_for_the_group_without_holding_the_meeting_the_minutes_lock_next(county):
    motion = open_motion(county)
    vote = waits_holding_nothing_else(
        # minutes_record's and minutes_approve's first lock, then their next: the meeting.
        hold=lambda: SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk),
        act=a1_votes_no(county, motion),
        next_lock=lambda: Meeting.objects.select_for_update(nowait=True).get(pk=motion.meeting_id),
    )
    assert Vote.objects.filter(pk=vote.pk).exists()
