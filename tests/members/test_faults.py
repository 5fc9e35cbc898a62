"""Nothing half-written when the database connection dies mid-operation.

An approval writes the membership, its event row and its audit row. A trigger makes the event
insert sleep; while the approval sits there, its backend is killed from outside. Afterwards
either all rows exist or none do — here none, since the kill lands before the commit.
"""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from members import services
from members.models import Membership, MembershipEvent, MembershipStatus
from tests.members.factories import SchoolFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL backends"),
]

SLOW_EVENT_INSERT = """
CREATE OR REPLACE FUNCTION slow_event_insert() RETURNS trigger AS $$
BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER slow_event_insert BEFORE INSERT ON members_membershipevent
FOR EACH ROW EXECUTE FUNCTION slow_event_insert();
"""


@pytest.fixture
def slow_event_insert():
    """Call to make every later event insert sleep; removed again after the test."""

    def install():
        with connection.cursor() as cursor:
            cursor.execute(SLOW_EVENT_INSERT)

    yield install
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS slow_event_insert ON members_membershipevent")
        cursor.execute("DROP FUNCTION IF EXISTS slow_event_insert()")


def wait_for_sleeping_backend(pid: int) -> None:
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute("SELECT wait_event FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "PgSleep":
                return
            time.sleep(0.1)
    raise AssertionError("the approval never reached the event insert")


def test_a_connection_killed_mid_approval_leaves_no_partial_rows(county, slow_event_insert):
    membership = services.membership_apply(
        school=SchoolFactory(), group=county.group_a, by=county.bureau
    )
    slow_event_insert()
    events_before = MembershipEvent.objects.count()
    history_before = Membership.history.count()
    started, outcome = threading.Event(), {}

    def approve():
        try:
            connections["default"].ensure_connection()
            outcome["pid"] = connections["default"].connection.info.backend_pid
            started.set()
            services.membership_approve(membership=membership, by=county.bureau)
            outcome["result"] = "committed"
        except OperationalError as error:
            outcome["result"] = type(error).__name__
        finally:
            connections["default"].close()

    worker = threading.Thread(target=approve)
    worker.start()
    assert started.wait(timeout=10)
    wait_for_sleeping_backend(outcome["pid"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [outcome["pid"]])
    worker.join(timeout=15)

    assert outcome["result"] == "OperationalError"
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPLIED
    assert membership.approved_on is None
    assert MembershipEvent.objects.count() == events_before
    assert Membership.history.count() == history_before
