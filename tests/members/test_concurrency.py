"""Races the row locks and unique indexes decide: two approvals for the last place in a group,
two groups founded with one name, one school applying to two groups at once, or applying to one
while it founds another, a change of stages against an approval, a group's new stage or a
founding. Only one of each gets through.

Needs PostgreSQL: SQLite has no row locks (it locks the whole database), so the test is
skipped there. CI runs it against the real server.
"""

import pytest
from django.core.exceptions import ValidationError

from alliance.models import GroupMode, SchoolGroup
from alliance.services import group_update
from members import services
from members.models import Membership, MembershipStatus, Stage
from tests.alliance.factories import make_group
from tests.conftest import join
from tests.locks import ON_POSTGRESQL, race, waits_holding_nothing_else
from tests.members.factories import SchoolFactory

pytestmark = ON_POSTGRESQL


def test_two_approvals_past_the_cap_let_only_one_through(bureau):
    group = make_group(by=bureau, mode=GroupMode.TIGHT)  # cap 3
    for _ in range(2):
        join(school=SchoolFactory(), group=group, by=bureau)
    first, second = (
        services.membership_apply(school=SchoolFactory(), group=group, by=bureau) for _ in range(2)
    )
    outcome = race(
        lambda: services.membership_approve(membership=first, by=bureau),
        lambda: services.membership_approve(membership=second, by=bureau),
    )
    # The second approval waited on the group's row lock, then counted the first's member.
    assert outcome["second_waited"]
    assert isinstance(outcome["second"], ValidationError) and outcome["second"].code == "member_cap"
    current = Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE)
    assert current.exclude(school=group.lead_school).count() == 3
    assert Membership.objects.get(pk=second.pk).status == MembershipStatus.APPLIED


def test_two_groups_founded_with_one_name_at_once_give_a_field_error(bureau):
    # The second insert waits on the unique index until the first transaction ends.
    outcome = race(
        lambda: make_group(by=bureau, name="同名教育集团"),
        lambda: make_group(by=bureau, name="同名教育集团"),
    )
    assert outcome["first"].name == "同名教育集团"
    assert sorted(outcome["second"].message_dict) == ["name"]


def test_two_applications_by_one_school_to_two_groups_at_once_let_only_one_through(bureau):
    first_group, second_group = (make_group(by=bureau) for _ in range(2))
    school = SchoolFactory()
    outcome = race(
        lambda: services.membership_apply(school=school, group=first_group, by=bureau),
        lambda: services.membership_apply(school=school, group=second_group, by=bureau),
    )
    # The second waited on the school's row lock until the first application was committed.
    assert outcome["second_waited"]
    assert first_group.name in outcome["second"].message_dict["school"][0]
    assert list(Membership.objects.filter(school=school).values_list("group", flat=True)) == [
        first_group.pk
    ]


def test_a_school_founding_a_group_as_it_applies_to_another_is_refused(bureau):
    other = make_group(by=bureau)
    school = SchoolFactory()
    outcome = race(
        lambda: services.membership_apply(school=school, group=other, by=bureau),
        lambda: make_group(by=bureau, lead=school),  # a group of no stage (跨学段)
    )
    # The founding waited on the school's row lock, then found the application.
    assert outcome["second_waited"]
    assert other.name in outcome["second"].message_dict["lead_school"][0]
    assert list(Membership.objects.filter(school=school).values_list("group", flat=True)) == [
        other.pk
    ]


def test_a_school_dropping_a_stage_while_it_is_approved_into_a_group_of_it_is_refused(bureau):
    """001 同学段: the bureau approves a kindergarten while the school drops 学前."""
    preschool, primary = (Stage.objects.get(code=code) for code in ("preschool", "primary"))
    group = make_group(by=bureau, lead=SchoolFactory(stages=["preschool"]), stage=preschool)
    school = SchoolFactory(stages=["preschool"])
    application = services.membership_apply(school=school, group=group, by=bureau)
    outcome = race(
        lambda: services.membership_approve(membership=application, by=bureau),
        lambda: services.school_save(school=school, by=bureau, stages=[primary]),
    )
    # The change of stages waited on the school's row lock, then found it a member.
    assert outcome["second_waited"]
    assert group.name in outcome["second"].message_dict["stages"][0]
    assert list(school.stages.values_list("code", flat=True)) == ["preschool"]


@pytest.mark.parametrize("group_first", [True, False], ids=["group-first", "school-first"])
def test_a_group_taking_a_stage_while_a_member_drops_it_lets_only_one_through(bureau, group_first):
    primary, junior = (Stage.objects.get(code=code) for code in ("primary", "junior"))
    group = make_group(by=bureau, lead=SchoolFactory(stages=["primary", "junior"]))
    school = SchoolFactory(stages=["primary", "junior"])
    join(school=school, group=group, by=bureau)
    calls = [
        lambda: group_update(group=group, by=bureau, stage=junior),
        lambda: services.school_save(school=school, by=bureau, stages=[primary]),
    ]
    outcome = race(*(calls if group_first else reversed(calls)))
    # The second waited on the school's row lock, then saw what the first committed.
    assert outcome["second_waited"]
    refusal = outcome["second"].message_dict
    group.refresh_from_db()
    if group_first:
        assert group.name in refusal["stages"][0]
        assert group.stage == junior
        assert set(school.stages.values_list("code", flat=True)) == {"primary", "junior"}
    else:
        assert school.name in refusal["stage"][0]
        assert group.stage is None


def test_a_lead_school_dropping_a_stage_while_it_founds_a_group_of_it_is_refused(bureau):
    primary, junior = (Stage.objects.get(code=code) for code in ("primary", "junior"))
    lead = SchoolFactory(stages=["primary", "junior"])
    outcome = race(
        lambda: services.school_save(school=lead, by=bureau, stages=[junior]),
        lambda: make_group(by=bureau, lead=lead, stage=primary),
    )
    # The founding waited on the school's row lock, then found it without 小学.
    assert outcome["second_waited"]
    assert lead.name in outcome["second"].message_dict["stage"][0]
    assert not Membership.objects.filter(school=lead).exists()


@pytest.mark.parametrize("action", ["reject", "cancel", "warn"])
def test_an_action_on_a_membership_waits_for_its_group_before_taking_the_membership(bureau, action):
    """An approval locks the group, then the membership. Reject, withdraw-application and warn
    took the membership first (with its group, in one statement): a principal withdrawing an
    application while the bureau approved it left each waiting for the other, and PostgreSQL
    ended one with a deadlock error. Here the group is held as an approval holds it; the
    action must wait without having taken the membership, which is still free to lock."""
    group = make_group(by=bureau)
    school = SchoolFactory()
    membership = services.membership_apply(school=school, group=group, by=bureau)
    if action == "warn":
        services.membership_approve(membership=membership, by=bureau)
    act = {
        "reject": lambda: services.membership_reject(membership=membership, by=bureau, reason="x"),
        "cancel": lambda: services.membership_cancel(membership=membership, by=bureau),
        "warn": lambda: services.membership_warn(membership=membership, by=bureau, reason="x"),
    }[action]
    waits_holding_nothing_else(
        hold=lambda: SchoolGroup.objects.select_for_update().get(pk=group.pk),  # as approving
        act=act,
        # The approval's next lock: free, not held by the waiting action.
        next_lock=lambda: Membership.objects.select_for_update(nowait=True).get(pk=membership.pk),
    )
