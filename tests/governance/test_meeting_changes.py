"""A meeting not yet held can be moved (a new time, place or link) or called off, with a reason;
once a school is recorded present it was held, and is closed instead."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alliance import services as group_services
from governance import selectors, services
from governance.cadence import cadence_report
from governance.models import Meeting, MeetingStatus
from tests.governance.factories import meeting, secretary_general
from tests.members.factories import past

pytestmark = pytest.mark.django_db

REASON = "与县教育局工作会议时间冲突"


def in_days(days: int) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def upcoming(county, *, days=2, host_school=None) -> Meeting:
    return services.meeting_schedule(
        group=county.group_a,
        kind="council",
        title="十二月理事会议",
        starts_at=in_days(days),
        place="青溪县实验小学会议室",
        host_school=host_school,
        by=county.chair,
    )


def present(county, held, school):
    services.attendance_record(meeting=held, school=school, status="present", by=county.chair)


def test_an_officer_postpones_a_meeting_and_the_change_is_in_its_history(county):
    planned = upcoming(county)
    officer = secretary_general(county)
    services.meeting_reschedule(
        meeting=planned, by=officer, starts_at=in_days(9), place="东河镇中心小学报告厅"
    )
    planned.refresh_from_db()
    assert (planned.starts_at, planned.place) == (in_days(9), "东河镇中心小学报告厅")
    assert planned.status == MeetingStatus.SCHEDULED
    assert planned.history.first().history_type == "~"


@pytest.mark.parametrize("days", [-1, 0])
def test_a_meeting_is_moved_to_a_time_later_than_now(county, days):
    planned = upcoming(county)
    with pytest.raises(ValidationError) as refused:
        services.meeting_reschedule(
            meeting=planned, by=county.chair, starts_at=in_days(days), place="会议室"
        )
    assert "starts_at" in refused.value.message_dict
    planned.refresh_from_db()
    assert planned.starts_at == in_days(2)


def test_a_moved_meeting_still_needs_a_place_or_a_link(county):
    planned = upcoming(county)
    with pytest.raises(ValidationError, match="place or an online link"):
        services.meeting_reschedule(meeting=planned, by=county.chair, starts_at=in_days(5))
    planned.refresh_from_db()
    assert planned.place == "青溪县实验小学会议室"


def test_a_meeting_with_a_school_present_was_held_and_is_neither_moved_nor_cancelled(county):
    held = meeting(county)
    present(county, held, county.a0)
    with pytest.raises(ValidationError, match="held"):
        services.meeting_reschedule(meeting=held, by=county.chair, starts_at=in_days(3), place="x")
    with pytest.raises(ValidationError, match="close it instead"):
        services.meeting_cancel(meeting=held, by=county.chair, reason=REASON)
    held.refresh_from_db()
    assert held.status == MeetingStatus.SCHEDULED


def test_a_meeting_whose_minutes_are_approved_is_not_cancelled(county):
    from tests.governance.factories import passed_resolution

    held = passed_resolution(county).meeting
    services.meeting_close(meeting=held, by=county.chair)
    with pytest.raises(ValidationError, match="scheduled meeting"):
        services.meeting_cancel(meeting=held, by=county.chair, reason=REASON)


def dissolve(county, *, days_ago=0):
    group_services.group_dissolve(
        group=county.group_a, by=county.bureau, dissolved_on=past(days_ago), reason="考核不合格"
    )


def test_dissolving_a_group_cancels_its_meetings_to_come_with_the_reason(api, county):
    """In Chinese, though the bureau's system asked for English: everyone reads the record."""
    planned = upcoming(county)
    api.force_authenticate(county.bureau)
    dissolved = api.post(
        f"/api/v1/groups/{county.group_a.pk}/dissolve/",
        {"reason": "考核不合格"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert dissolved.status_code == 200, dissolved.content
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.CANCELLED
    assert planned.cancel_reason == "集团撤销：考核不合格"
    assert planned.history.first().history_type == "~"


def test_a_meeting_held_after_a_backdated_dissolution_stays_to_be_closed(county):
    held = meeting(county, days_ago=1)
    present(county, held, county.a1)
    dissolve(county, days_ago=2)
    assert Meeting.objects.get(pk=held.pk).status == MeetingStatus.SCHEDULED


def test_a_dissolved_groups_earlier_meeting_is_not_moved(county):
    earlier = meeting(county, days_ago=3)  # before the group's last day: not called off
    dissolve(county, days_ago=1)
    assert Meeting.objects.get(pk=earlier.pk).status == MeetingStatus.SCHEDULED
    with pytest.raises(ValidationError, match="dissolved"):
        services.meeting_reschedule(
            meeting=earlier, by=county.bureau, starts_at=in_days(5), place="x"
        )
    services.meeting_cancel(meeting=earlier, by=county.bureau, reason="集团已撤销")
    assert Meeting.objects.get(pk=earlier.pk).status == MeetingStatus.CANCELLED


def test_only_the_councils_officers_move_or_cancel_a_meeting(county):
    planned = upcoming(county)
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=planned, by=county.principal_a1, reason=REASON)
    with pytest.raises(PermissionDenied):
        services.meeting_reschedule(
            meeting=planned, by=county.principal_a1, starts_at=in_days(5), place="x"
        )
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.SCHEDULED


def test_cancelling_needs_a_reason(county):
    planned = upcoming(county)
    with pytest.raises(ValidationError) as refused:
        services.meeting_cancel(meeting=planned, by=county.chair, reason="  ")
    assert "reason" in refused.value.message_dict
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.SCHEDULED


def test_a_cancelled_meeting_leaves_the_to_do_lists_but_not_the_records(county):
    missed = meeting(county, days_ago=1)  # begun, never closed: it was on the minutes to-do
    planned = upcoming(county)
    groups = {county.group_a.pk}
    assert missed in selectors.meetings_awaiting_minutes(county.chair, council_group_ids=groups)
    assert planned in selectors.meetings_upcoming_for(county.chair, council_group_ids=groups)
    for called_off in (missed, planned):
        services.meeting_cancel(meeting=called_off, by=county.chair, reason=REASON)
    assert not selectors.meetings_awaiting_minutes(county.chair, council_group_ids=groups)
    assert not selectors.meetings_upcoming_for(county.chair, council_group_ids=groups)
    missed.refresh_from_db()
    assert (missed.status, missed.cancel_reason) == (MeetingStatus.CANCELLED, REASON)


def test_a_cancelled_council_meeting_is_not_counted_as_held(county):
    held = meeting(county)
    present(county, held, county.a0)
    services.meeting_close(meeting=held, by=county.chair)
    called_off = meeting(county, title="补开理事会议")
    services.meeting_cancel(meeting=called_off, by=county.chair, reason=REASON)
    council = next(row for row in cadence_report(group=county.group_a) if row["code"] == "council")
    this_month = next(period for period in council["periods"] if period.current)
    assert this_month.held == 1


def test_nothing_more_is_recorded_for_a_cancelled_meeting(county):
    called_off = meeting(county)
    motion = services.resolution_propose(meeting=called_off, title="动议", by=county.chair)
    services.meeting_cancel(meeting=called_off, by=county.chair, reason=REASON)
    refusals = [
        lambda: present(county, called_off, county.a0),
        lambda: services.resolution_propose(meeting=called_off, title="动议", by=county.chair),
        lambda: services.resolution_decide(resolution=motion, by=county.chair),
        lambda: services.meeting_close(meeting=called_off, by=county.chair),
        lambda: services.minutes_record(meeting=called_off, minutes="纪要", by=county.chair),
        lambda: services.attachment_add(
            meeting=called_off,
            upload=SimpleUploadedFile("议程.pdf", b"%PDF-1.4\n%%EOF\n"),
            by=county.chair,
        ),
    ]
    for refused in refusals:
        with pytest.raises(ValidationError, match="cancelled"):
            refused()
    motion.refresh_from_db()
    assert motion.outcome == ""


# --- Through the meeting page and the API -------------------------------------------------------


def meeting_page(client, held) -> str:
    return client.get(reverse("dashboard:meeting-detail", args=[held.pk])).content.decode()


def test_the_secretary_moves_and_then_cancels_a_meeting_from_its_page(client, county):
    planned = upcoming(county)
    client.force_login(secretary_general(county))
    page = meeting_page(client, planned)
    assert "更改时间、地点或承办学校" in page and 'class="danger">取消会议</button>' in page
    act = "dashboard:meeting-act"
    local = timezone.localtime(in_days(9))
    moved = {"starts_at": local.strftime("%Y-%m-%dT%H:%M"), "place": "东河镇中心小学"}
    page = client.post(reverse(act, args=[planned.pk, "reschedule"]), moved, follow=True)
    assert "会议时间、地点和承办学校已保存" in page.content.decode()
    assert local.strftime("%Y-%m-%d %H:%M") in page.content.decode()
    page = client.post(reverse(act, args=[planned.pk, "cancel"]), {"reason": REASON}, follow=True)
    page = page.content.decode()
    assert "会议已取消" in page and REASON in page
    assert "更改时间、地点或承办学校" not in page
    assert "批准纪要" not in page  # no minutes to approve for a meeting never held
    assert "会议已取消，没有纪要" in page


def test_a_cancellation_without_reason_comes_back_with_the_error(client, county):
    planned = upcoming(county)
    client.force_login(county.chair)
    url = reverse("dashboard:meeting-act", args=[planned.pk, "cancel"])
    page = client.post(url, {"reason": ""}).content.decode()
    assert '<details id="cancel" open>' in page
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.SCHEDULED


def test_a_held_meeting_offers_neither_change(client, county):
    held = meeting(county)
    present(county, held, county.a0)
    client.force_login(county.chair)
    page = meeting_page(client, held)
    assert "更改时间、地点或承办学校" not in page and "取消会议" not in page


def test_a_member_principal_is_offered_neither_change(client, county):
    client.force_login(county.principal_a1)
    page = meeting_page(client, upcoming(county))
    assert "更改时间、地点或承办学校" not in page and "取消会议" not in page


def test_the_api_moves_and_cancels_a_meeting(api, county):
    planned = upcoming(county)
    api.force_authenticate(county.chair)
    url = f"/api/v1/meetings/{planned.pk}/"
    body = {"starts_at": in_days(9).isoformat(), "online_link": "https://meeting.example.cn/123"}
    moved = api.post(url + "reschedule/", body, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["online_link"] == "https://meeting.example.cn/123"
    assert moved.json()["place"] == ""
    refused = api.post(url + "cancel/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["reason"]
    cancelled = api.post(url + "cancel/", {"reason": REASON}, format="json")
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        REASON,
    )
    again = api.post(url + "cancel/", {"reason": REASON}, format="json")
    assert again.status_code == 400


def test_the_secretary_moves_a_meeting_to_another_host_school(client, county):
    planned = upcoming(county, host_school=county.a0)
    client.force_login(secretary_general(county))
    page = meeting_page(client, planned)
    assert f'<option value="{county.a0.pk}" selected>' in page  # the host it has
    moved = {
        "starts_at": timezone.localtime(in_days(9)).strftime("%Y-%m-%dT%H:%M"),
        "place": "东河镇中心小学",
        "host_school": county.a1.pk,
    }
    url = reverse("dashboard:meeting-act", args=[planned.pk, "reschedule"])
    page = client.post(url, moved, follow=True).content.decode()
    assert f"<dt>承办学校</dt><dd>{county.a1.name}</dd>" in page
    last = planned.history.first()
    assert {"host_school", "starts_at", "place"} <= set(
        last.diff_against(last.prev_record).changed_fields
    )


def test_the_api_keeps_the_host_unless_it_names_another_or_none(api, county):
    planned = upcoming(county, host_school=county.a0)
    api.force_authenticate(county.chair)
    url = f"/api/v1/meetings/{planned.pk}/reschedule/"
    body = {"starts_at": in_days(9).isoformat(), "place": "会议室"}
    kept = api.post(url, body, format="json").json()["host_school"]
    assert kept["id"] == county.a0.pk
    other_group = api.post(url, {**body, "host_school": county.b1.pk}, format="json")
    assert other_group.status_code == 400 and list(other_group.json()) == ["host_school"]
    none = api.post(url, {**body, "host_school": None}, format="json")
    assert none.status_code == 200 and none.json()["host_school"] is None
