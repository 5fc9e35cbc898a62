"""A secretary schedules a meeting, records attendance, principals vote, the outcome shows."""

import pytest
from django.urls import reverse

from governance import services
from governance.models import Meeting, MeetingStatus, Resolution
from members.models import Post
from tests.conftest import inline_error, staff_user
from tests.governance.factories import meeting, passed_resolution

pytestmark = pytest.mark.django_db


def act(client, meeting, action, **data):
    url = reverse("dashboard:meeting-act", args=[meeting.pk, action])
    return client.post(url, data, follow=True)


def attendance(*present, absent=None) -> dict:
    """The attendance table as sent: these schools present, `absent` absent with no reason."""
    data = {f"attend-{school.pk}-status": "present" for school in present}
    if absent is not None:
        data[f"attend-{absent.pk}-status"] = "absent"
    return data


def test_a_meeting_from_the_dashboard(client, county, django_assert_max_num_queries):
    principal_a2 = staff_user(school=county.a2, post=Post.PRINCIPAL, username="principal_a2").user
    client.force_login(county.chair)
    new = reverse("dashboard:meeting-new", args=[county.group_a.pk])
    assert client.get(new).status_code == 200
    client.post(
        new,
        {
            "kind": "council",
            "title": "十一月理事会议",
            "starts_at": "2026-11-20T15:00",
            "place": "实验小学会议室",
            "agenda": "审议计划\n经费",
        },
    )
    meeting = Meeting.objects.get()
    assert list(meeting.agenda.values_list("title", flat=True)) == ["审议计划", "经费"]
    page = act(client, meeting, "attend", **attendance(county.a0, county.a1, absent=county.a2))
    assert "请填写缺席原因" in page.content.decode()  # refused, shown, nothing saved
    assert not meeting.attendance.exists()
    act(client, meeting, "attend", **attendance(county.a0, county.a1))
    act(client, meeting, "propose", title="通过年度计划", kind="ordinary")
    resolution = Resolution.objects.get()
    act(client, meeting, "vote", resolution=resolution.pk, choice="yes")
    client.force_login(county.principal_a1)
    act(client, meeting, "vote", resolution=resolution.pk, choice="yes")
    client.force_login(principal_a2)
    act(client, meeting, "vote", resolution=resolution.pk, choice="no")
    assert act(client, meeting, "close").status_code == 403  # a principal does not close
    client.force_login(county.chair)
    page = act(client, meeting, "close").content.decode()
    assert "通过" in page and "赞成 2" in page
    act(client, meeting, "minutes", minutes="会议审议通过年度计划。")
    act(client, meeting, "approve")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    # 23: the officer's view also lists action items and offers their owners (schools, staff),
    # and says the group's voting rule.
    with django_assert_max_num_queries(23):
        assert client.get(reverse("dashboard:meeting-detail", args=[meeting.pk])).status_code == 200


def test_a_teacher_cannot_schedule_and_another_group_cannot_see(client, county):
    client.force_login(county.teacher_a1)
    assert client.get(reverse("dashboard:meeting-new", args=[county.group_a.pk])).status_code == 403
    client.force_login(county.principal_b1)
    assert client.get(reverse("dashboard:meeting-new", args=[county.group_a.pk])).status_code == 404


def test_the_motion_form_is_offered_only_to_who_may_put_a_motion(english, county):
    """A teacher used to get the form and, on sending it, a 403 with the motion lost."""
    url = reverse("dashboard:meeting-detail", args=[meeting(county).pk])
    for user, offered in ((county.teacher_a1, False), (county.principal_a1, True)):
        english.force_login(user)
        page = english.get(url).content.decode()
        assert ("Put a motion to the vote" in page) is offered
        assert ("Put one to the vote below." in page) is offered


def test_the_charter_text_box_belongs_to_a_charter_motion_and_is_refused_on_another(
    english, county
):
    held = meeting(county)
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:meeting-detail", args=[held.pk])).content.decode()
    # static/js/shown-when.js shows the box only while the kind is a charter motion.
    assert 'data-shown-when="kind=charter"' in page.split('id="id_charter_text"')[0][-300:]
    sent = {"title": "通过年度计划", "kind": "ordinary", "charter_text": "新章程第一条"}
    page = act(english, held, "propose", **sent).content.decode()
    assert inline_error(page, "charter_text") == (
        "Only a charter motion adopts a charter text: choose that kind."
    )
    assert "新章程第一条</textarea>" in page  # what was typed is kept
    assert not held.resolutions.exists()


def test_each_attendance_row_shows_what_is_recorded_with_labelled_fields_of_its_own(client, county):
    client.force_login(county.chair)
    client.post(
        reverse("dashboard:meeting-new", args=[county.group_a.pk]),
        {
            "kind": "council",
            "title": "理事会议",
            "starts_at": "2026-11-20T15:00",
            "place": "会议室",
        },
    )
    meeting = Meeting.objects.get()
    row = f"attend-{county.a1.pk}"
    act(client, meeting, "attend", **{f"{row}-status": "absent", f"{row}-reason": "校内活动冲突"})
    page = client.get(reverse("dashboard:meeting-detail", args=[meeting.pk])).content.decode()
    assert f'id="id_attend-{county.a1.pk}-status"' in page
    assert page.count('id="id_status"') == 0  # no id repeated row after row
    row = page.split(f'id="id_attend-{county.a1.pk}-status"')[1].split("</tr>")[0]
    assert '<option value="absent" selected>' in row
    assert 'value="校内活动冲突"' in row
    assert '：缺席原因"' in page  # named with its school: "<school>：缺席原因"
    assert 'aria-label="None"' not in page and 'placeholder="None"' not in page


def test_a_meeting_not_yet_begun_offers_no_close_and_no_count(english, county):
    english.force_login(county.chair)
    ahead = meeting(county, days_ago=-1)
    Resolution.objects.create(meeting=ahead, title="通过年度计划")
    page = english.get(reverse("dashboard:meeting-detail", args=[ahead.pk])).content.decode()
    assert "通过年度计划" in page
    assert "Close the meeting and count all votes" not in page
    assert "Count the votes" not in page
    assert "once it has begun" in page


def test_an_online_link_without_its_scheme_is_taken_as_https(client, county):
    """The browser refused such a link in a type="url" box, which the server accepts."""
    new = reverse("dashboard:meeting-new", args=[county.group_a.pk])
    client.force_login(county.chair)
    assert 'inputmode="url"' in client.get(new).content.decode()
    client.post(
        new,
        {
            "kind": "council",
            "title": "线上理事会议",
            "starts_at": "2026-11-20T15:00",
            "online_link": "meet.example.cn/123",
        },
    )
    assert Meeting.objects.get().online_link == "https://meet.example.cn/123"


def test_an_over_long_agenda_line_is_a_field_error_and_the_form_keeps_what_was_typed(
    english, county
):
    """PostgreSQL refused the line with a 500 and everything typed was lost."""
    english.force_login(county.chair)
    agenda = "审议年度工作计划\n" + "讨" * 201
    response = english.post(
        reverse("dashboard:meeting-new", args=[county.group_a.pk]),
        {
            "kind": "council",
            "title": "理事会议",
            "starts_at": "2026-11-20T15:00",
            "place": "会议室",
            "agenda": agenda,
        },
    )
    assert response.status_code == 200
    assert inline_error(response.content.decode(), "agenda") == (
        "Agenda item 2 has 201 characters; at most 200."
    )
    assert "审议年度工作计划" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_passed_and_a_failed_motion_and_a_meeting_under_way_look_apart(client, county):
    """Every badge was the same pink: a rejected motion looked like a passed one."""
    passed = passed_resolution(county)
    failed = Resolution.objects.create(meeting=passed.meeting, title="增设分校区")
    services.resolution_decide(resolution=failed, by=county.chair)  # no one voted for it
    client.force_login(county.chair)
    page = client.get(reverse("dashboard:meeting-detail", args=[passed.meeting.pk])).content
    page = page.decode()
    assert '<span class="badge ok">通过</span>' in page
    assert '<span class="badge alert">未通过</span>' in page
    assert '<h1>十一月理事会议 <span class="badge warn">进行中</span></h1>' in page
