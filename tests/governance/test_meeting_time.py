"""A meeting happens in time: not before its group was founded, and who is present, the votes
and the close only once it has begun (a reviewer closed next month's meeting today, and the
cadence counted it as held)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance import services
from governance.models import Attendance, MeetingKind, MeetingStatus

pytestmark = pytest.mark.django_db


def schedule(county, starts_at: datetime.datetime):
    return services.meeting_schedule(
        group=county.group_a,
        kind=MeetingKind.COUNCIL,
        title="理事会议",
        starts_at=starts_at,
        place="会议室",
        by=county.chair,
    )


def test_a_meeting_before_the_group_was_founded_is_refused(county):
    founded = county.group_a.founded_on
    before = timezone.make_aware(datetime.datetime.combine(founded, datetime.time(9)))
    with pytest.raises(ValidationError) as refused:
        schedule(county, before - datetime.timedelta(days=1))
    assert refused.value.message_dict == {
        "starts_at": [
            f"A meeting cannot be dated before the group was founded ({founded.isoformat()})."
        ]
    }
    assert schedule(county, before).pk  # the founding day itself is fine


def test_before_a_meeting_begins_only_absences_are_recorded(county):
    meeting = schedule(county, timezone.now() + datetime.timedelta(days=14))
    for status in ("present", "proxy"):
        with pytest.raises(ValidationError) as refused:
            services.attendance_record(
                meeting=meeting,
                school=county.a1,
                status=status,
                proxy_name="王老师",
                by=county.chair,
            )
        assert "status" in refused.value.message_dict
    services.attendance_record(
        meeting=meeting, school=county.a2, status="absent", reason="外出培训", by=county.chair
    )
    assert Attendance.objects.get(meeting=meeting).school == county.a2


def test_votes_and_the_close_wait_for_the_meeting_to_begin(county):
    meeting = schedule(county, timezone.now() + datetime.timedelta(hours=2))
    resolution = services.resolution_propose(meeting=meeting, title="动议", by=county.chair)
    with pytest.raises(ValidationError, match="Voting opens when the meeting begins"):
        services.vote_cast(resolution=resolution, school=county.a0, choice="yes", by=county.chair)
    with pytest.raises(ValidationError, match="it can be closed after that"):
        services.meeting_close(meeting=meeting, by=county.chair)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and not resolution.votes.exists()


def test_attendance_keeps_only_what_its_status_has(county):
    meeting = schedule(county, timezone.now())
    record = {"meeting": meeting, "school": county.a1, "by": county.chair}
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(status="proxy", proxy_name=" ", **record)
    assert refused.value.message_dict == {"proxy_name": ["Name the proxy."]}
    services.attendance_record(
        status="absent", reason="校内活动冲突", proxy_name="王老师", **record
    )
    assert Attendance.objects.get().proxy_name == ""
    # The row's form comes back filled with the recorded reason; now present, it is dropped.
    services.attendance_record(status="present", reason="校内活动冲突", **record)
    assert Attendance.objects.get().reason == ""
