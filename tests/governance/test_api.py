"""The council's work over the API: schedule, attend, vote, decide, minutes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance import services
from governance.models import Meeting, Resolution
from members import services as member_services
from members.models import Membership, Post
from tests.conftest import staff_user
from tests.governance.factories import (
    action_item,
    meeting,
    passed_resolution,
    secretary_general,
    vice_chair_a1,
)
from tests.members.factories import past

pytestmark = pytest.mark.django_db


def post(api, user, url, body=None):
    api.force_authenticate(user)
    return api.post(url, body or {}, format="json")


def test_a_meeting_from_schedule_to_approved_minutes(api, county):
    principal_a2 = staff_user(school=county.a2, post=Post.PRINCIPAL, username="principal_a2").user
    body = {
        "group": county.group_a.pk,
        "kind": "council",
        "title": "十一月理事会议",
        "starts_at": timezone.now().isoformat(),
        "place": "实验小学会议室",
        "agenda": ["年度计划", "经费使用"],
    }
    meeting = post(api, county.chair, "/api/v1/meetings/", body)
    assert meeting.status_code == 201, meeting.content
    url = f"/api/v1/meetings/{meeting.json()['id']}/"
    for school in (county.a0, county.a1):
        post(api, county.chair, url + "attendance/", {"school": school.pk, "status": "present"})
    absent = {"school": county.a2.pk, "status": "absent", "reason": "上级检查"}
    assert post(api, county.chair, url + "attendance/", absent).status_code == 200
    motion = {"meeting": meeting.json()["id"], "title": "通过年度计划"}
    typed_in = post(
        api, county.principal_a1, "/api/v1/resolutions/", {**motion, "outcome": "passed"}
    )
    assert typed_in.status_code == 400  # an outcome is computed, never typed in
    assert list(typed_in.json()) == ["outcome"]
    created = post(api, county.principal_a1, "/api/v1/resolutions/", motion)
    assert created.status_code == 201
    assert created.json()["outcome"] == ""
    resolution = f"/api/v1/resolutions/{created.json()['id']}/"
    for user, school, choice in [
        (county.chair, county.a0, "yes"),
        (county.principal_a1, county.a1, "yes"),
    ]:
        voted = post(api, user, resolution + "vote/", {"school": school.pk, "choice": choice})
        assert voted.status_code == 200, voted.content
    absent_vote = post(
        api, principal_a2, resolution + "vote/", {"school": county.a2.pk, "choice": "no"}
    )
    assert absent_vote.status_code == 400  # a school recorded absent does not vote
    again = post(
        api, county.principal_a1, resolution + "vote/", {"school": county.a1.pk, "choice": "no"}
    )
    assert again.status_code == 400
    closed = post(api, county.chair, url + "close/")
    assert closed.json()["status"] == "closed"
    decided = api.get(resolution).json()
    assert (decided["outcome"], decided["yes"], decided["no"], decided["schools_present"]) == (
        "passed",
        2,
        0,
        2,
    )
    late = post(api, principal_a2, resolution + "vote/", {"school": county.a2.pk, "choice": "yes"})
    assert late.status_code == 400
    post(api, county.chair, url + "minutes/", {"minutes": "会议审议通过年度计划。"})
    approved = post(api, county.chair, url + "approve-minutes/")
    assert approved.json()["status"] == "approved"
    assert Resolution.objects.get().outcome == "passed"


def test_an_ordinary_motion_with_a_charter_text_is_a_400_on_that_field(api, county):
    body = {"meeting": meeting(county).pk, "title": "动议", "charter_text": "新章程第一条"}
    refused = post(api, county.chair, "/api/v1/resolutions/", body)
    assert refused.status_code == 400
    assert list(refused.json()) == ["charter_text"]
    assert not Resolution.objects.exists()


def test_the_council_names_any_member_school_over_the_api_as_on_the_page(api, county):
    """The API took only the schools the user sees in full: the secretary-general (of A1)
    could not record A0's attendance, nor a member principal name A2 as host."""
    officer = secretary_general(county)
    held = meeting(county)
    body = {"school": county.a0.pk, "status": "present"}
    recorded = post(api, officer, f"/api/v1/meetings/{held.pk}/attendance/", body)
    assert recorded.status_code == 200, recorded.content
    assert held.attendance.get().school == county.a0
    body = {
        "group": county.group_a.pk,
        "kind": "council",
        "title": "教研开放日",
        "place": "二楼会议室",
        "starts_at": timezone.now().isoformat(),
        "host_school": county.a2.pk,
    }
    scheduled = post(api, county.principal_a1, "/api/v1/meetings/", body)
    assert scheduled.status_code == 201, scheduled.content
    assert scheduled.json()["host_school"]["id"] == county.a2.pk
    # Another group's member school is still the same 400 as a missing one.
    body["host_school"] = county.b1.pk
    assert list(post(api, county.principal_a1, "/api/v1/meetings/", body).json()) == ["host_school"]


def test_a_principal_cannot_schedule_for_another_group(api, county):
    body = {
        "group": county.group_b.pk,
        "kind": "council",
        "title": "x",
        "starts_at": timezone.now().isoformat(),
        "place": "x",
    }
    response = post(api, county.principal_a1, "/api/v1/meetings/", body)
    assert response.status_code == 400  # group B is not among the choices: no leak
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "url", ["/api/v1/meetings/", "/api/v1/resolutions/", "/api/v1/council-seats/"]
)
def test_council_lists_run_a_bounded_number_of_queries(
    api, county, django_assert_max_num_queries, url
):
    for n in range(6):
        meeting = services.meeting_schedule(
            group=county.group_a,
            kind="council",
            title=f"会议{n}",
            starts_at=timezone.now(),
            place="会议室",
            agenda=["一", "二"],
            by=county.chair,
        )
        services.attendance_record(
            meeting=meeting, school=county.a1, status="present", by=county.chair
        )
        resolution = services.resolution_propose(meeting=meeting, title="动议", by=county.chair)
        services.vote_cast(
            resolution=resolution, school=county.a1, choice="yes", by=county.principal_a1
        )
    api.force_authenticate(county.chair)
    with django_assert_max_num_queries(12):
        assert api.get(url).status_code == 200


def test_an_owner_school_from_another_group_is_refused_without_naming_it(api, county):
    resolution = passed_resolution(county)
    body = {
        "resolution": resolution.pk,
        "description": "上传课例",
        "owner_school": county.b1.pk,  # group B's school: the chair may not see it
        "due_on": str(timezone.localdate()),
    }
    refused = post(api, county.chair, "/api/v1/action-items/", body)
    assert refused.status_code == 400
    assert "owner_school" in refused.json()
    assert county.b1.name not in refused.content.decode()


@pytest.mark.parametrize("items", [1, 12])
def test_the_action_item_list_runs_the_same_queries_for_one_item_or_many(
    api, county, django_assert_max_num_queries, items
):
    resolution = passed_resolution(county)
    for n in range(items):
        owner = {"owner_person": county.teacher_a1.staff} if n % 2 else {}
        item = action_item(county, resolution, description=f"事项 {n}", **owner)
        services.action_item_progress(item=item, note=f"进展 {n}", by=county.chair)
    api.force_authenticate(county.chair)
    with django_assert_max_num_queries(10):
        response = api.get("/api/v1/action-items/")
    assert response.json()["count"] == items


def test_meetings_at_the_same_hour_keep_one_place_across_pages(api, county):
    """Ordered by start time alone, the database may return tied rows in any order, page by
    page: a meeting could repeat on one page and miss the next. The id breaks the tie."""
    same_hour = timezone.now()
    for n in range(6):
        services.meeting_schedule(
            group=county.group_a,
            kind="council",
            title=f"同时会议{n}",
            starts_at=same_hour,
            place="会议室",
            by=county.chair,
        )
    api.force_authenticate(county.chair)
    for ordering in ("", "starts_at", "-starts_at"):
        seen = []
        for page in (1, 2, 3):
            with CaptureQueriesContext(connection) as queries:
                body = api.get(
                    "/api/v1/meetings/", {"page": page, "page_size": 2, "ordering": ordering}
                ).json()
            seen += [row["id"] for row in body["results"]]
            listed = next(
                q["sql"]
                for q in queries
                if 'FROM "governance_meeting"' in q["sql"] and "LIMIT 2" in q["sql"]
            )
            assert re.search(r'ORDER BY .*"governance_meeting"."id" ASC', listed)
        assert seen == sorted(seen)  # within the tie, in id order
        assert sorted(seen) == sorted(Meeting.objects.values_list("pk", flat=True))


def test_an_integrator_syncs_the_councils_records_that_changed_since_the_last_sync(api, county):
    """Meetings, resolutions, action items and seats had no updated_at: a sync re-read all."""
    held = meeting(county, title="十月理事会议")
    resolution = passed_resolution(county)
    item = action_item(county, resolution)
    untouched = action_item(county, resolution, description="未变")
    seat = vice_chair_a1(county)
    last_sync = timezone.now().isoformat()
    # What each shows changes, not the record itself: attendance, a progress note, an early end.
    services.attendance_record(meeting=held, school=county.a1, status="present", by=county.chair)
    services.action_item_progress(item=item, note="已上传 5 节", by=county.chair)
    member_services.membership_withdraw(
        membership=Membership.objects.get(school=county.a1, group=county.group_a),
        by=county.bureau,
        notice_on=past(2),
        left_on=past(1),
    )
    api.force_authenticate(county.bureau)
    since = f"?updated_at__gte={last_sync}".replace("+", "%2B")
    changed = {
        endpoint: {row["id"] for row in api.get(f"/api/v1/{endpoint}/{since}").json()["results"]}
        for endpoint in ["meetings", "resolutions", "action-items", "council-seats"]
    }
    assert changed == {
        "meetings": {held.pk},
        "resolutions": set(),
        "action-items": {item.pk},
        "council-seats": {seat.pk},
    }
    assert untouched.pk not in changed["action-items"]


def test_a_hidden_group_or_meeting_in_a_filter_is_the_same_400_as_a_missing_one(api, county):
    """A 200 with nothing for a hidden id and a 400 for a missing one told them apart."""
    held = meeting(county)
    api.force_authenticate(county.principal_b1)
    for path, hidden in [
        ("meetings/?group=", county.group_a.pk),
        ("council-seats/?group=", county.group_a.pk),
        ("resolutions/?meeting=", held.pk),
    ]:
        hidden_reply = api.get(f"/api/v1/{path}{hidden}")
        missing_reply = api.get(f"/api/v1/{path}99999")
        assert hidden_reply.status_code == missing_reply.status_code == 400, path
        assert list(hidden_reply.json()) == list(missing_reply.json())


def test_a_hidden_school_or_person_in_a_request_is_the_same_400_as_a_missing_one(api, county):
    """ "Invite member schools only." for group B's school, "Invalid pk" for no school at all."""
    api.force_authenticate(county.chair)
    body = {"group": county.group_a.pk, "kind": "council", "title": "理事会议"}
    body |= {"starts_at": timezone.now().isoformat(), "place": "会议室"}
    hidden_school, hidden_person = county.b1.pk, county.principal_b1.staff.pk
    for field, hidden in [
        ("invited_schools", [hidden_school]),
        ("host_school", hidden_school),
        ("invited_people", [hidden_person]),
    ]:
        missing = [99999] if isinstance(hidden, list) else 99999
        replies = [
            api.post("/api/v1/meetings/", body | {field: value}, format="json")
            for value in (hidden, missing)
        ]
        assert [reply.status_code for reply in replies] == [400, 400], field
        hidden_error, missing_error = (
            re.sub(r"\d+", "N", str(reply.json()[field])) for reply in replies
        )
        assert hidden_error == missing_error, field
    assert not Meeting.objects.exists()


def test_a_seat_names_its_holders_staff_record_so_a_sync_can_join_them(api, county):
    seat = vice_chair_a1(county)
    api.force_authenticate(county.bureau)
    row = api.get(f"/api/v1/council-seats/{seat.pk}/").json()
    staff = api.get(f"/api/v1/staff/{row['holder_id']}/").json()
    assert staff["name"] == row["holder"] and staff["created_at"]


def test_an_empty_invitation_list_invites_every_member_school_as_the_page_does(api, county):
    """Sent as [], the meeting invited no school: the schema says every member by default."""
    body = {
        "group": county.group_a.pk,
        "kind": "council",
        "title": "十二月理事会议",
        "starts_at": timezone.now().isoformat(),
        "place": "会议室",
        "invited_schools": [],
    }
    created = post(api, county.chair, "/api/v1/meetings/", body)
    assert created.status_code == 201, created.content
    invited = set(created.json()["invited_schools"])
    assert invited == {county.a0.pk, county.a1.pk, county.a2.pk}


def test_the_api_does_not_blank_the_minutes_the_page_requires(api, county):
    held = meeting(county)
    services.minutes_record(meeting=held, minutes="会议纪要草稿", by=county.chair)
    blanked = post(api, county.chair, f"/api/v1/meetings/{held.pk}/minutes/", {"minutes": ""})
    assert blanked.status_code == 400 and "minutes" in blanked.json()
    held.refresh_from_db()
    assert held.minutes == "会议纪要草稿"


def test_approving_minutes_approved_already_says_so(api, county):
    """It said "Close the meeting before approving its minutes" of a meeting long closed."""
    url = f"/api/v1/meetings/{passed_resolution(county).meeting_id}/"
    post(api, county.chair, url + "close/")
    post(api, county.chair, url + "minutes/", {"minutes": "会议审议通过年度计划。"})
    assert post(api, county.chair, url + "approve-minutes/").status_code == 200
    again = post(api, county.chair, url + "approve-minutes/")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["会议纪要已审定。"]}


def test_a_teacher_adding_a_document_is_refused_in_the_words_of_every_other_refusal(api, county):
    held = meeting(county)
    api.force_authenticate(county.teacher_a1)
    refused = api.post(f"/api/v1/meetings/{held.pk}/attachments/", {}, format="multipart")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "您的角色无权执行此操作。"}


@pytest.mark.parametrize("action", ["attendance", "reschedule", "cancel", "minutes"])
def test_a_teacher_is_refused_for_the_role_before_the_body_is_read(api, county, action):
    """It answered {"reason": ["This field is required."]}: as if filling it in would do."""
    held = meeting(county, days_ago=-3)
    refused = post(api, county.teacher_a1, f"/api/v1/meetings/{held.pk}/{action}/")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "您的角色无权执行此操作。"}


def test_votes_progress_and_seat_ends_refuse_a_role_before_the_body(api, county):
    motion = passed_resolution(county)
    item = action_item(county, resolution=motion)  # A1's: its principal reports, not a teacher
    seat = vice_chair_a1(county)
    for user, url in [
        (county.teacher_a1, f"/api/v1/resolutions/{motion.pk}/vote/"),
        (county.teacher_a1, f"/api/v1/action-items/{item.pk}/progress/"),
        (secretary_general(county), f"/api/v1/council-seats/{seat.pk}/end/"),  # the chair's
    ]:
        refused = post(api, user, url)
        assert refused.status_code == 403, url
