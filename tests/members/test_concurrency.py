"""Races the row locks decide: two approvals for the last place in a group, one school
applying to two groups at once. Only one of each gets through.

Needs PostgreSQL: SQLite has no row locks (it locks the whole database), so the test is
skipped there. CI runs it against the real server.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from alliance.models import GroupMode
from members import services
from members.models import Membership, MembershipStatus
from tests.alliance.factories import make_group
from tests.conftest import join
from tests.members.factories import SchoolFactory

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after each test would drop the stages a migration created.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_approvals_past_the_cap_let_only_one_through(bureau):
    group = make_group(by=bureau, mode=GroupMode.TIGHT)  # cap 3
    for _ in range(2):
        join(school=SchoolFactory(), group=group, by=bureau)
    first, second = (
        services.membership_apply(school=SchoolFactory(), group=group, by=bureau) for _ in range(2)
    )
    first_approved = threading.Event()
    release_first = threading.Event()
    second_done = threading.Event()
    outcome = {}

    def approve_first_and_hold_the_transaction():
        try:
            with transaction.atomic():
                services.membership_approve(membership=first, by=bureau)
                first_approved.set()
                release_first.wait(timeout=10)
        finally:
            connection.close()

    def approve_second():
        try:
            services.membership_approve(membership=second, by=bureau)
            outcome["second"] = "approved"
        except ValidationError as error:
            outcome["second"] = error.code
        finally:
            second_done.set()
            connection.close()

    holder = threading.Thread(target=approve_first_and_hold_the_transaction)
    holder.start()
    assert first_approved.wait(timeout=10)
    racer = threading.Thread(target=approve_second)
    racer.start()
    # While the first approval's transaction is open, the second waits on the group's row lock.
    assert not second_done.wait(timeout=1)
    release_first.set()
    holder.join(timeout=10)
    racer.join(timeout=10)

    assert outcome["second"] == "member_cap"
    current = Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE)
    assert current.exclude(school=group.lead_school).count() == 3
    assert Membership.objects.get(pk=second.pk).status == MembershipStatus.APPLIED


def test_two_groups_founded_with_one_name_at_once_give_a_field_error(bureau):
    first_saved = threading.Event()
    release_first = threading.Event()
    outcome = {}

    def found(name_holder: str, hold: bool):
        try:
            with transaction.atomic():
                make_group(by=bureau, name="同名教育集团")
                if hold:
                    first_saved.set()
                    release_first.wait(timeout=10)
            outcome[name_holder] = "founded"
        except ValidationError as error:
            outcome[name_holder] = sorted(error.message_dict)
        except Exception as error:  # surfaced in the assertion, not lost in the thread
            outcome[name_holder] = repr(error)
        finally:
            connection.close()

    holder = threading.Thread(target=found, args=("first", True))
    holder.start()
    assert first_saved.wait(timeout=10)
    # The second insert waits on the unique index until the first transaction ends.
    racer = threading.Thread(target=found, args=("second", False))
    racer.start()
    racer.join(timeout=1)
    release_first.set()
    holder.join(timeout=10)
    racer.join(timeout=10)
    assert outcome == {"first": "founded", "second": ["name"]}


def test_two_applications_by_one_school_to_two_groups_at_once_let_only_one_through(bureau):
    first_group, second_group = (make_group(by=bureau) for _ in range(2))
    school = SchoolFactory()
    first_applied = threading.Event()
    release_first = threading.Event()
    second_done = threading.Event()
    outcome = {}

    def apply_first_and_hold_the_transaction():
        try:
            with transaction.atomic():
                services.membership_apply(school=school, group=first_group, by=bureau)
                first_applied.set()
                release_first.wait(timeout=10)
        finally:
            connection.close()

    def apply_second():
        try:
            services.membership_apply(school=school, group=second_group, by=bureau)
            outcome["second"] = "applied"
        except ValidationError as error:
            outcome["second"] = error.message_dict["school"][0]
        finally:
            second_done.set()
            connection.close()

    holder = threading.Thread(target=apply_first_and_hold_the_transaction)
    holder.start()
    assert first_applied.wait(timeout=10)
    racer = threading.Thread(target=apply_second)
    racer.start()
    # The second waits on the school's row lock until the first application is committed.
    assert not second_done.wait(timeout=1)
    release_first.set()
    holder.join(timeout=10)
    racer.join(timeout=10)

    assert first_group.name in outcome["second"]
    assert list(Membership.objects.filter(school=school).values_list("group", flat=True)) == [
        first_group.pk
    ]
