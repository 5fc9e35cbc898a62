import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance import services
from alliance.models import GroupStatus, SchoolGroup
from governance.services import seat_assign
from members.models import Membership, MembershipStatus
from members.services import membership_apply
from tests.alliance.factories import make_group
from tests.members.factories import SchoolFactory, past

pytestmark = pytest.mark.django_db


def test_only_the_bureau_founds_groups(county):
    with pytest.raises(PermissionDenied):
        make_group(by=county.chair)


def test_an_invalid_group_changes_nothing(bureau):
    lead = SchoolFactory()
    with pytest.raises(ValidationError) as error:
        make_group(by=bureau, lead=lead, mode="federation")
    assert "mode" in error.value.message_dict
    assert not SchoolGroup.objects.exists()
    assert not Membership.objects.exists()


def test_dissolving_ends_every_membership_and_keeps_history(county):
    pending = Membership.objects.create(
        group=county.group_a, school=SchoolFactory(), applied_on=past(3)
    )
    chair = seat_assign(
        group=county.group_a,
        role="chair",
        holder=county.chair.staff,
        starts_on=past(30),
        by=county.bureau,
    )
    services.group_dissolve(
        group=county.group_a, by=county.bureau, reason="考核不合格", dissolved_on=past(1)
    )
    chair.refresh_from_db()
    assert chair.ends_on == past(2)  # the council ends with the group
    county.group_a.refresh_from_db()
    assert county.group_a.status == GroupStatus.DISSOLVED
    statuses = set(county.group_a.memberships.values_list("status", flat=True))
    assert statuses == {MembershipStatus.CLOSED, MembershipStatus.REJECTED}
    # Nobody gave written notice: the dissolution is not recorded as a withdrawal.
    assert not county.group_a.memberships.filter(notice_on__isnull=False).exists()
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.REJECTED


def test_a_dissolved_group_takes_no_applications(county):
    services.group_dissolve(group=county.group_b, by=county.bureau, reason="合并")
    with pytest.raises(ValidationError, match="dissolved"):
        membership_apply(school=SchoolFactory(), group=county.group_b, by=county.bureau)


def test_the_lead_school_cannot_be_changed_by_an_update(county):
    with pytest.raises(ValidationError) as error:
        services.group_update(group=county.group_a, by=county.bureau, lead_school=county.b1)
    assert "lead_school" in error.value.message_dict


def test_a_member_cap_below_one_is_refused(county):
    with pytest.raises(ValidationError):
        services.group_update(group=county.group_a, by=county.bureau, member_cap_override=0)


def test_the_cap_cannot_be_lowered_below_the_current_members(county):
    with pytest.raises(ValidationError) as error:
        services.group_update(group=county.group_a, by=county.bureau, member_cap_override=1)
    assert "member_cap_override" in error.value.message_dict
    services.group_update(group=county.group_a, by=county.bureau, member_cap_override=2)


def test_a_mode_whose_cap_is_below_the_members_is_refused(county, settings):
    settings.GROUP_MEMBER_CAPS = {"alliance": 5, "tight": 1, "entrusted": 5}
    with pytest.raises(ValidationError) as error:
        services.group_update(group=county.group_a, by=county.bureau, mode="tight")
    # Beside the mode sent, not an override the client never named.
    assert error.value.message_dict == {
        "mode": ["The group has 2 member schools besides the lead school; its cap cannot be lower."]
    }
    county.group_a.refresh_from_db()
    assert county.group_a.mode == "alliance"


def test_a_dissolved_group_cannot_be_changed(county):
    services.group_dissolve(group=county.group_b, by=county.bureau, reason="合并")
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.group_update(group=county.group_b, by=county.bureau, charter="新章程")


def test_an_application_cannot_predate_the_group(county):
    with pytest.raises(ValidationError, match="cannot be before"):
        membership_apply(
            school=SchoolFactory(), group=county.group_a, by=county.bureau, applied_on=past(4000)
        )


def test_an_update_that_changes_nothing_saves_nothing(county):
    """A sync tool PATCHing what it read moved updated_at and wrote an audit line every night."""
    group = county.group_a
    before = (group.updated_at, group.history.count())
    services.group_update(group=group, by=county.bureau, name=group.name, mode=group.mode)
    group.refresh_from_db()
    assert (group.updated_at, group.history.count()) == before
    services.group_update(group=group, by=county.bureau, name="青溪县实验小学教育联盟")
    assert group.history.count() == before[1] + 1


def test_a_school_with_an_open_application_cannot_found_a_group_until_it_is_closed(county):
    """Left open, the application could never be approved and kept the school from applying
    anywhere else."""
    school = SchoolFactory()
    application = membership_apply(
        school=school, group=county.group_b, by=county.bureau, applied_on=past(10)
    )
    with pytest.raises(ValidationError) as refused:
        make_group(by=county.bureau, lead=school)
    assert county.group_b.name in refused.value.message_dict["lead_school"][0]
    assert not SchoolGroup.objects.filter(lead_school=school).exists()
    application.refresh_from_db()
    assert application.status == MembershipStatus.APPLIED


def test_a_change_refused_for_a_cap_lowered_since_is_refused_as_a_whole(county, settings):
    """Neither the mode nor an override was sent: no field of the request is to blame."""
    settings.GROUP_MEMBER_CAPS = {"alliance": 1, "tight": 1, "entrusted": 1}
    with pytest.raises(ValidationError) as error:
        services.group_update(group=county.group_a, by=county.bureau, name="青溪县实验教育集团")
    assert list(error.value.message_dict) == ["__all__"]
