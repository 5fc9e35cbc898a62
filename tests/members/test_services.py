import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from alliance.models import GroupMode
from members import services
from members.models import Membership, MembershipEvent, MembershipStatus, Post
from tests.alliance.factories import make_group
from tests.conftest import fresh, join, staff_user
from tests.members.factories import SchoolFactory, past

pytestmark = pytest.mark.django_db


def apply(school, group, by, **kwargs):
    return services.membership_apply(school=school, group=group, by=by, **kwargs)


def db_state():
    return (
        list(Membership.objects.order_by("pk").values()),
        list(MembershipEvent.objects.order_by("pk").values()),
    )


def test_lead_school_is_an_active_member_of_its_own_group(bureau):
    group = make_group(by=bureau)
    membership = Membership.objects.get(group=group, school=group.lead_school)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.events.get().action == "founded"


def test_approval_makes_a_member_and_records_who_and_when(county):
    school = SchoolFactory()
    membership = apply(school, county.group_a, county.bureau, applied_on=past(10))
    services.membership_approve(membership=membership, by=county.bureau, approved_on=past(5))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.approved_on == past(5)
    events = list(membership.events.values_list("action", "from_status", "to_status", "by"))
    assert events == [
        ("applied", "", "applied", county.bureau.pk),
        ("approved", "applied", "active", county.bureau.pk),
    ]


@pytest.mark.parametrize(
    ("mode", "cap"), [(GroupMode.ALLIANCE, 5), (GroupMode.TIGHT, 3), (GroupMode.ENTRUSTED, 5)]
)
def test_the_cap_for_each_mode_refuses_one_more_member(bureau, mode, cap):
    group = make_group(by=bureau, mode=mode)
    for _ in range(cap):
        join(school=SchoolFactory(), group=group, by=bureau)
    extra = apply(SchoolFactory(), group, bureau)
    before = db_state()
    with pytest.raises(ValidationError, match=f"cap for this .* group is {cap}"):
        services.membership_approve(membership=extra, by=bureau)
    assert db_state() == before


def test_a_per_group_override_replaces_the_mode_cap(bureau):
    group = make_group(by=bureau, mode=GroupMode.TIGHT, member_cap_override=1)
    join(school=SchoolFactory(), group=group, by=bureau)
    with pytest.raises(ValidationError, match="is 1"):
        services.membership_approve(membership=apply(SchoolFactory(), group, bureau), by=bureau)


@override_settings(GROUP_MEMBER_CAPS={"alliance": 1, "tight": 3, "entrusted": 5})
def test_the_deployment_setting_sets_the_default_cap(bureau):
    group = make_group(by=bureau)
    join(school=SchoolFactory(), group=group, by=bureau)
    with pytest.raises(ValidationError, match="is 1"):
        services.membership_approve(membership=apply(SchoolFactory(), group, bureau), by=bureau)


def test_a_school_can_be_a_current_member_of_only_one_group(county):
    one_group = f"This school is a member of {county.group_a.name}; a school belongs to one group"
    with pytest.raises(ValidationError, match=one_group):
        apply(county.a1, county.group_b, county.bureau)  # refused when applying, not later
    school = SchoolFactory()
    join(school=school, group=county.group_a, by=county.bureau)
    # An application left open from before: refused again when it comes to approval.
    earlier = Membership.objects.create(school=school, group=county.group_b, applied_on=past(3))
    with pytest.raises(ValidationError, match=one_group):
        services.membership_approve(membership=earlier, by=county.bureau)


def test_a_school_has_one_open_application_at_a_time(county):
    school = SchoolFactory()
    apply(school, county.group_b, county.bureau)
    before = db_state()
    with pytest.raises(
        ValidationError, match="open application to 东河镇中心小学教育集团; withdraw it"
    ):
        apply(school, county.group_a, county.bureau)
    assert db_state() == before


def test_the_database_refuses_a_second_current_membership(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            group=county.group_b, school=county.a1, status="active", applied_on=past(1)
        )


def test_a_lead_school_cannot_found_a_second_group(county):
    with pytest.raises(ValidationError, match="already a member"):
        make_group(by=county.bureau, lead=county.a0)
    assert county.a0.led_groups.count() == 1


def test_a_second_open_application_to_the_same_group_is_refused(county):
    school = SchoolFactory()
    apply(school, county.group_a, county.bureau)
    with pytest.raises(ValidationError, match="open application"):
        apply(school, county.group_a, county.bureau)


def test_a_school_that_withdrew_cannot_reapply_without_bureau_override(county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    services.membership_withdraw(membership=membership, by=county.bureau, notice_on=past(20))
    with pytest.raises(ValidationError, match="may not apply again"):
        apply(county.a1, county.group_a, county.principal_a1)
    with pytest.raises(PermissionDenied):
        apply(county.a1, county.group_a, county.principal_a1, override_reason="理事会同意")
    again = apply(county.a1, county.group_a, county.bureau, override_reason="县教育局同意重新加入")
    assert again.rejoin_override_by == county.bureau
    assert "县教育局同意重新加入" in again.events.get().note


def test_an_expelled_school_cannot_reapply_either(county):
    membership = Membership.objects.get(school=county.a2, group=county.group_a)
    services.membership_expel(membership=membership, by=county.bureau, reason="长期不参与活动")
    with pytest.raises(ValidationError, match="may not apply again"):
        apply(county.a2, county.group_a, county.bureau)


def test_only_the_bureau_approves(county):
    membership = apply(SchoolFactory(), county.group_a, county.bureau)
    for user in (county.chair, county.principal_a1, county.teacher_a1):
        with pytest.raises(PermissionDenied):
            services.membership_approve(membership=membership, by=user)
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.APPLIED


def test_the_chair_warns_the_bureau_expels_and_a_principal_does_neither(county):
    """The chair's expulsion is the council's vote (000 第十三条), not a button."""
    membership = Membership.objects.get(school=county.a2, group=county.group_a)
    with pytest.raises(PermissionDenied):
        services.membership_warn(membership=membership, by=county.principal_a1, reason="x")
    services.membership_warn(membership=membership, by=county.chair, reason="两次缺席理事会议")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.WARNED
    for user in (county.chair, county.principal_a1):
        with pytest.raises(PermissionDenied):
            services.membership_expel(membership=membership, by=user, reason="警告后仍不参与")
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.WARNED
    services.membership_expel(membership=membership, by=county.bureau, reason="警告后仍不参与")
    membership.refresh_from_db()
    assert (membership.status, membership.left_on) == (MembershipStatus.EXPELLED, past(0))


def test_a_principal_withdraws_own_school_only(county):
    own = Membership.objects.get(school=county.a1, group=county.group_a)
    other = Membership.objects.get(school=county.a2, group=county.group_a)
    with pytest.raises(PermissionDenied):
        services.membership_withdraw(membership=other, by=county.principal_a1, notice_on=past(3))
    services.membership_withdraw(membership=own, by=county.principal_a1, notice_on=past(3))
    own.refresh_from_db()
    assert (own.status, own.notice_on) == (MembershipStatus.WITHDRAWN, past(3))


def test_a_withdrawal_needs_the_written_notice_date(county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    with pytest.raises(ValidationError) as error:
        services.membership_withdraw(membership=membership, by=county.bureau, notice_on=None)
    assert "notice_on" in error.value.message_dict


def test_the_lead_school_cannot_leave_or_be_warned(county):
    lead = Membership.objects.get(school=county.a0, group=county.group_a)
    with pytest.raises(ValidationError, match="lead school"):
        services.membership_withdraw(membership=lead, by=county.bureau, notice_on=past(1))
    with pytest.raises(ValidationError, match="lead school"):
        services.membership_warn(membership=lead, by=county.bureau, reason="x")


@pytest.mark.parametrize(
    "call",
    [
        lambda m, by: services.membership_reject(membership=m, by=by, reason="x"),
        lambda m, by: services.membership_approve(membership=m, by=by),
    ],
)
def test_a_decided_application_cannot_be_decided_again(county, call):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    before = db_state()
    with pytest.raises(ValidationError, match="open application"):
        call(membership, county.bureau)
    assert db_state() == before


def test_dates_cannot_be_in_the_future_or_out_of_order(county):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        apply(SchoolFactory(), county.group_a, county.bureau, applied_on=tomorrow)
    membership = apply(SchoolFactory(), county.group_a, county.bureau, applied_on=past(5))
    with pytest.raises(ValidationError, match="cannot be before"):
        services.membership_approve(membership=membership, by=county.bureau, approved_on=past(6))


def test_a_rejection_needs_a_reason_and_keeps_history(county):
    membership = apply(SchoolFactory(), county.group_a, county.bureau)
    with pytest.raises(ValidationError) as error:
        services.membership_reject(membership=membership, by=county.bureau, reason="  ")
    assert "reason" in error.value.message_dict
    services.membership_reject(membership=membership, by=county.bureau, reason="学段不符")
    assert list(membership.events.values_list("action", flat=True)) == ["applied", "rejected"]


def test_a_principal_applies_for_own_school_only(county):
    school = SchoolFactory()
    with pytest.raises(PermissionDenied):
        apply(school, county.group_a, county.principal_a1)
    assert not Membership.objects.filter(school=school).exists()


def test_allowed_actions_follow_role_and_status(county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    allowed = services.membership_allowed_actions
    assert allowed(membership=membership, by=county.bureau) == ["warn", "withdraw", "expel"]
    assert allowed(membership=membership, by=county.chair) == ["warn"]
    assert allowed(membership=membership, by=fresh(county.principal_a1)) == ["withdraw"]
    assert allowed(membership=membership, by=county.teacher_a1) == []


def test_a_principal_withdraws_the_schools_open_application_and_may_apply_again(county):
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    wrong = apply(school, county.group_b, principal)
    assert services.membership_allowed_actions(membership=wrong, by=principal) == ["cancel"]
    services.membership_cancel(membership=wrong, by=principal, reason="申请错了集团")
    wrong.refresh_from_db()
    assert wrong.status == MembershipStatus.CANCELLED
    assert list(wrong.events.values_list("action", "note")) == [
        ("applied", ""),
        ("cancelled", "申请错了集团"),
    ]
    assert services.membership_allowed_actions(membership=wrong, by=principal) == []
    # Not a departure (000): the school may apply again.
    assert apply(school, county.group_a, principal).status == MembershipStatus.APPLIED


def test_only_the_schools_principal_or_the_bureau_withdraws_an_application(county):
    application = apply(SchoolFactory(), county.group_a, county.bureau)
    before = db_state()
    for outsider in (county.chair, county.principal_a1, county.teacher_a1):
        with pytest.raises(PermissionDenied):
            services.membership_cancel(membership=application, by=fresh(outsider))
    assert db_state() == before
    services.membership_cancel(membership=application, by=county.bureau)
    assert Membership.objects.get(pk=application.pk).status == MembershipStatus.CANCELLED


def test_only_an_open_application_can_be_withdrawn(county):
    member = Membership.objects.get(school=county.a1, group=county.group_a)
    before = db_state()
    with pytest.raises(ValidationError, match="open application"):
        services.membership_cancel(membership=member, by=fresh(county.principal_a1))
    assert db_state() == before


def test_the_groups_open_to_an_application_are_those_the_apply_rule_accepts(county):
    """What the apply form offers and what `membership_apply` accepts are the same rule."""
    for who in (county.a1, county.a2):
        membership = Membership.objects.get(school=who, group=county.group_a)
        services.membership_withdraw(membership=membership, by=county.bureau, notice_on=past(5))
    dissolved = make_group(by=county.bureau, name="已撤销集团")
    dissolved.status, dissolved.dissolved_on = "dissolved", past(1)
    dissolved.save()
    offered = set(services.membership_groups_open_to(school=county.a1, by=county.principal_a1))
    assert offered == {county.group_b}
    services.membership_apply(school=county.a1, group=county.group_b, by=county.principal_a1)
    for refused in (county.group_a, dissolved):
        with pytest.raises(ValidationError):
            apply(county.a2, refused, county.bureau)
    # The bureau may re-admit a school that left (with a reason), so it is offered the group.
    by_bureau = set(services.membership_groups_open_to(school=county.a2, by=county.bureau))
    assert by_bureau == {county.group_a, county.group_b}
