"""Lock order in the council's records: group, then meeting, then resolution, as closing a
meeting takes them. A principal's vote took the resolution first (with its meeting and group,
in one statement): cast as the chair closed the meeting, each waited for the other and
PostgreSQL ended one with a deadlock error.

Needs PostgreSQL (row locks); CI runs it against the real server.
"""

import pytest
from django.db import connection

from alliance.models import SchoolGroup
from governance import services
from governance.models import Meeting, Resolution
from tests.governance.factories import meeting
from tests.locks import waits_holding_nothing_else

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_vote_waits_for_the_meeting_before_taking_the_resolution(county):
    held = meeting(county)
    for school in (county.a0, county.a1):
        services.attendance_record(meeting=held, school=school, status="present", by=county.chair)
    motion = services.resolution_propose(meeting=held, title="共建课程资源库", by=county.chair)

    def hold() -> None:  # as meeting_close holds them before it decides the open resolutions
        SchoolGroup.objects.select_for_update().get(pk=county.group_a.pk)
        Meeting.objects.select_for_update().get(pk=held.pk)

    waits_holding_nothing_else(
        hold=hold,
        act=lambda: services.vote_cast(
            resolution=motion, school=county.a1, choice="yes", by=county.principal_a1
        ),
        # meeting_close's next lock: free, not held by the waiting vote.
        next_lock=lambda: Resolution.objects.select_for_update(nowait=True).get(pk=motion.pk),
    )
