"""Data migrations that change what an existing deployment's users may do."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alliance.services import BUREAU_GROUP_NAME

BEFORE = ("governance", "0007_change_history_names")
GRANT = ("governance", "0008_bureau_reads_action_items")


def migrate_to(*targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())


@pytest.fixture
def latest_after():
    yield
    migrate_to()  # every app at its newest migration again, for the tests that follow


# Migrations run outside a test's transaction; the data migrations' rows come back afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_bureau_role_is_granted_to_read_action_items(latest_after):
    migrate_to(BEFORE)
    bureau = Group.objects.create(name=BUREAU_GROUP_NAME)
    migrate_to(GRANT)
    codenames = set(bureau.permissions.values_list("codename", flat=True))
    assert {"view_actionitem", "view_progressnote"} <= codenames


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_bureau_role_is_granted_to_keep_accounts(latest_after):
    migrate_to(("alliance", "0006_member_cap_validator"))
    bureau = Group.objects.create(name=BUREAU_GROUP_NAME)
    migrate_to(("alliance", "0007_bureau_keeps_accounts"))
    codenames = set(bureau.permissions.values_list("codename", flat=True))
    assert {"view_user", "add_user", "change_user"} <= codenames


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_the_new_constraints_refuse_are_settled_before_the_constraints_are_added(
    latest_after, county
):
    """Without these steps the upgrade stopped on rows the code had accepted before."""
    from governance.models import CouncilPolicy, Resolution
    from members.models import Membership, MembershipStatus
    from tests.governance.factories import meeting
    from tests.members.factories import SchoolFactory, past

    motion = Resolution.objects.create(meeting=meeting(county), title="动议", text="正文")
    school = SchoolFactory()
    first = Membership.objects.create(group=county.group_a, school=school, applied_on=past(9))
    migrate_to(("members", "0006_membership_cancelled"), ("governance", "0010_updated_at"))
    Resolution.objects.filter(pk=motion.pk).update(charter_text="新章程")
    second = Membership.objects.create(group=county.group_b, school=school, applied_on=past(2))
    CouncilPolicy.objects.create(group=county.group_a, seat_term_years=0)
    migrate_to()
    motion.refresh_from_db()
    assert (motion.text, motion.charter_text) == ("正文\n\n新章程", "")
    statuses = dict(Membership.objects.filter(school=school).values_list("pk", "status"))
    assert statuses == {first.pk: MembershipStatus.APPLIED, second.pk: MembershipStatus.CANCELLED}
    assert CouncilPolicy.objects.get(group=county.group_a).seat_term_years is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_upgrade_uninvites_people_who_moved_before_invitations_followed_them(
    latest_after, county
):
    from governance.models import Meeting
    from members.models import Staff
    from tests.governance.factories import meeting
    from tests.members.factories import StaffFactory

    stayed, moved = StaffFactory(school=county.a1), StaffFactory(school=county.a2)
    coming = meeting(county, days_ago=-10, invited_people=[stayed, moved])
    held = meeting(county, title="上月会议", days_ago=20, invited_people=[moved])
    Staff.objects.filter(pk=moved.pk).update(school=county.b1)  # as the old code left it
    migrate_to(("governance", "0015_counted_votes_and_invitations"))
    migrate_to(("governance", "0016_invitations_follow_people"))
    assert list(Meeting.objects.get(pk=coming.pk).invited_people.all()) == [stayed]
    assert list(Meeting.objects.get(pk=held.pk).invited_people.all()) == [moved]
    line = coming.history.first()
    assert line.history_change_reason == "系统升级：受邀人员随其调动、离岗调整"
    assert line.history_user is None
    change = {c.field: c for c in line.diff_against(line.prev_record).changes}
    assert set(change) == {"invited_people"}
