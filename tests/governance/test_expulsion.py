"""Expelling a member school is the council's decision (000 第十三条: 理事会有权……取消其联盟成员
资格): an expulsion motion, passed by the council's vote, expels the school it names."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from governance import selectors, services
from governance.models import Outcome, Resolution, ResolutionKind, SeatRole
from members import services as member_services
from members.models import Membership, MembershipAction, MembershipStatus, Post
from tests.conftest import staff_user
from tests.governance.factories import meeting, secretary_general
from tests.members.factories import past

pytestmark = pytest.mark.django_db

GROUNDS = "连续三次无故缺席理事会议，经警告仍不参加集团活动。"


@pytest.fixture
def principal_a2(county):
    return staff_user(school=county.a2, post=Post.PRINCIPAL, username="principal_a2").user


def expulsion(county, held, school, *, grounds=GROUNDS, by=None):
    return services.resolution_propose(
        meeting=held,
        title=f"取消{school.name}成员资格",
        text=grounds,
        kind=ResolutionKind.EXPULSION,
        school=school,
        by=by or county.chair,
    )


def council_votes(county, held, resolution, principal_a2, *, a1="yes"):
    """A0, A1 and A2 present; A0 yes, A2 (the school named) no, A1 as given."""
    for school in (county.a0, county.a1, county.a2):
        services.attendance_record(meeting=held, school=school, status="present", by=county.chair)
    services.vote_cast(resolution=resolution, school=county.a0, choice="yes", by=county.chair)
    services.vote_cast(resolution=resolution, school=county.a1, choice=a1, by=county.principal_a1)
    services.vote_cast(resolution=resolution, school=county.a2, choice="no", by=principal_a2)


def a2_membership(county) -> Membership:
    return Membership.objects.get(school=county.a2, group=county.group_a)


def test_a_passed_expulsion_motion_expels_the_school_from_the_day_after_the_meeting(
    county, principal_a2
):
    held = meeting(county, days_ago=3)
    resolution = expulsion(county, held, county.a2)
    council_votes(county, held, resolution, principal_a2)
    officer = secretary_general(county)  # who counts need not be the chair
    services.meeting_close(meeting=held, by=officer)
    resolution.refresh_from_db()
    assert (resolution.outcome, resolution.yes, resolution.no) == (Outcome.PASSED, 2, 1)
    membership = a2_membership(county)
    assert membership.status == MembershipStatus.EXPELLED
    assert (membership.left_on, membership.leave_reason) == (past(2), GROUNDS)
    event = membership.events.get(action=MembershipAction.EXPELLED)
    assert (event.by, event.effective_on) == (officer, past(2))
    assert f"取消{county.a2.name}成员资格" in event.note and GROUNDS in event.note
    # It was a member at the meeting that expelled it: the roll and the counts keep it.
    assert county.a2 in selectors.schools_on_meeting_day(held)
    assert resolution.member_schools == 3


def test_the_expulsion_is_noted_in_chinese_whatever_language_the_officer_reads(
    county, principal_a2
):
    """The note is read by everyone, later: it was written in the counting officer's language."""
    held = meeting(county, days_ago=3)
    resolution = expulsion(county, held, county.a2)
    council_votes(county, held, resolution, principal_a2)
    with translation.override("en"):
        services.meeting_close(meeting=held, by=county.chair)
    event = a2_membership(county).events.get(action=MembershipAction.EXPELLED)
    assert event.note == f"理事会决议“取消{county.a2.name}成员资格”：{GROUNDS}"


def test_the_expelled_school_leaves_the_council_and_may_not_apply_again(county, principal_a2):
    seat = services.seat_assign(
        group=county.group_a,
        role=SeatRole.DIRECTOR,
        holder=staff_user(school=county.a2, post=Post.VICE_PRINCIPAL, username="a2_vp"),
        starts_on=past(30),
        by=county.bureau,
    )
    held = meeting(county)
    resolution = expulsion(county, held, county.a2)
    council_votes(county, held, resolution, principal_a2)
    services.resolution_decide(resolution=resolution, by=county.chair)
    seat.refresh_from_db()
    assert seat.ends_on == selectors.meeting_day(held)  # its last day is the meeting's
    with pytest.raises(ValidationError):
        member_services.membership_apply(school=county.a2, group=county.group_a, by=principal_a2)


def test_an_expulsion_voted_down_leaves_the_school_a_member(county, principal_a2):
    held = meeting(county)
    resolution = expulsion(county, held, county.a2)
    council_votes(county, held, resolution, principal_a2, a1="no")
    resolution = services.resolution_decide(resolution=resolution, by=county.chair)
    assert resolution.outcome == Outcome.REJECTED
    assert a2_membership(county).status == MembershipStatus.ACTIVE


@pytest.mark.parametrize(
    "kind, school, grounds, field",
    [
        (ResolutionKind.EXPULSION, None, GROUNDS, "school"),
        (ResolutionKind.EXPULSION, "a0", GROUNDS, "school"),  # the lead school
        (ResolutionKind.EXPULSION, "b1", GROUNDS, "school"),  # another group's school
        (ResolutionKind.EXPULSION, "a2", "  ", "text"),
        (ResolutionKind.ORDINARY, "a2", GROUNDS, "school"),
        (ResolutionKind.CHARTER, "a2", GROUNDS, "school"),
    ],
)
def test_an_expulsion_motion_names_a_member_other_than_the_lead_and_says_why(
    county, kind, school, grounds, field
):
    held = meeting(county)
    with pytest.raises(ValidationError) as refused:
        services.resolution_propose(
            meeting=held,
            title="取消成员资格",
            text=grounds,
            kind=kind,
            charter_text="章程" if kind == ResolutionKind.CHARTER else "",
            school=getattr(county, school) if school else None,
            by=county.chair,
        )
    assert field in refused.value.message_dict
    assert not Resolution.objects.exists()


def test_a_school_that_left_is_not_named_for_expulsion(county):
    member_services.membership_withdraw(
        membership=a2_membership(county), by=county.bureau, notice_on=past(10), left_on=past(1)
    )
    held = meeting(county, days_ago=3)  # A2 was still a member that day
    with pytest.raises(ValidationError, match="current member"):
        expulsion(county, held, county.a2)


def test_a_school_that_withdrew_before_the_count_stays_withdrawn(county, principal_a2):
    held = meeting(county, days_ago=2)
    resolution = expulsion(county, held, county.a2)
    council_votes(county, held, resolution, principal_a2)
    member_services.membership_withdraw(
        membership=a2_membership(county), by=county.bureau, notice_on=past(10)
    )
    services.resolution_decide(resolution=resolution, by=county.chair)
    membership = a2_membership(county)
    assert (membership.status, membership.left_on) == (MembershipStatus.WITHDRAWN, past(0))


# --- Through the meeting page and the API -------------------------------------------------------


def test_the_chair_puts_an_expulsion_motion_from_the_meeting_page(client, county, principal_a2):
    held = meeting(county)
    client.force_login(county.chair)
    page = client.get(reverse("dashboard:meeting-detail", args=[held.pk])).content.decode()
    assert '<option value="expulsion">取消成员资格</option>' in page
    choices = page.split('name="school"')[1].split("</select>")[0]
    assert county.a2.name in choices and county.a1.name in choices
    assert county.a0.name not in choices  # the lead school is not offered
    url = reverse("dashboard:meeting-act", args=[held.pk, "propose"])
    body = {"title": "取消成员资格", "text": GROUNDS, "kind": "expulsion", "school": county.a2.pk}
    page = client.post(url, body, follow=True).content.decode()
    assert f"取消{county.a2.name}的成员资格" in page
    resolution = Resolution.objects.get()
    council_votes(county, held, resolution, principal_a2)
    client.post(
        reverse("dashboard:meeting-act", args=[held.pk, "decide"]), {"resolution": resolution.pk}
    )
    assert a2_membership(county).status == MembershipStatus.EXPELLED
    page = client.get(reverse("dashboard:meeting-detail", args=[held.pk])).content.decode()
    assert "会议次日起不再是集团成员" in page


def test_an_expulsion_motion_without_grounds_comes_back_with_the_error(client, county):
    held = meeting(county)
    client.force_login(county.chair)
    url = reverse("dashboard:meeting-act", args=[held.pk, "propose"])
    body = {"title": "取消成员资格", "kind": "expulsion", "school": county.a2.pk}
    page = client.post(url, body).content.decode()
    assert "请写明取消成员资格的理由" in page
    assert f'<option value="{county.a2.pk}" selected>' in page
    assert not Resolution.objects.exists()


def test_the_api_puts_an_expulsion_motion_and_refuses_a_school_out_of_sight(api, county):
    held = meeting(county)
    api.force_authenticate(county.chair)
    body = {
        "meeting": held.pk,
        "title": "取消成员资格",
        "text": GROUNDS,
        "kind": "expulsion",
        "school": county.b1.pk,
    }
    refused = api.post("/api/v1/resolutions/", body, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["school"]
    created = api.post("/api/v1/resolutions/", {**body, "school": county.a2.pk}, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["kind"], created.json()["school"]) == ("expulsion", county.a2.pk)


def test_the_chair_cannot_expel_over_the_api_either(api, county):
    api.force_authenticate(county.chair)
    url = f"/api/v1/memberships/{a2_membership(county).pk}/expel/"
    refused = api.post(url, {"reason": GROUNDS}, format="json")
    assert refused.status_code == 403
    assert "理事会" in refused.json()["detail"]
    assert a2_membership(county).status == MembershipStatus.ACTIVE


def test_a_day_after_the_meeting_is_the_first_day_out(county, principal_a2):
    """Held today, the meeting expels from tomorrow: today the school is still a member."""
    held = meeting(county)
    resolution = expulsion(county, held, county.a2)
    council_votes(county, held, resolution, principal_a2)
    services.resolution_decide(resolution=resolution, by=county.chair)
    tomorrow = selectors.meeting_day(held) + datetime.timedelta(days=1)
    assert a2_membership(county).left_on == tomorrow
