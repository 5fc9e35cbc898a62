"""What the meeting and council pages offer each viewer, and how a refused action reads."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from governance import services
from governance.models import ActionItem
from tests.conftest import inline_error, staff_user
from tests.governance.factories import action_item, meeting, passed_resolution, secretary_general
from tests.members.factories import past

pytestmark = pytest.mark.django_db


def meeting_page(client, of) -> str:
    return client.get(reverse("dashboard:meeting-detail", args=[of.pk])).content.decode()


def act(client, of, action, **data):
    url = reverse("dashboard:meeting-act", args=[of.pk, action])
    return client.post(url, data, follow=True).content.decode()


def test_a_principal_sees_vote_buttons_only_once_the_school_is_recorded_present(client, county):
    of = meeting(county)
    services.resolution_propose(meeting=of, title="通过年度计划", by=county.chair)
    client.force_login(county.principal_a1)
    page = meeting_page(client, of)
    assert 'name="choice"' not in page
    assert "记录为出席或委托出席后" in page  # what to wait for
    services.attendance_record(
        meeting=of, school=county.a1, status="absent", reason="外出", by=county.chair
    )
    assert 'name="choice"' not in meeting_page(client, of)
    services.attendance_record(
        meeting=of, school=county.a1, status="proxy", proxy_name="王老师", by=county.chair
    )
    assert 'name="choice"' in meeting_page(client, of)


def test_after_voting_the_principal_sees_the_school_vote_instead_of_the_buttons(client, county):
    of = meeting(county)
    services.attendance_record(meeting=of, school=county.a1, status="present", by=county.chair)
    resolution = services.resolution_propose(meeting=of, title="通过年度计划", by=county.chair)
    client.force_login(county.principal_a1)
    act(client, of, "vote", resolution=resolution.pk, choice="no")
    page = meeting_page(client, of)
    assert 'name="choice"' not in page
    assert f"{county.a1.name}已投票：反对" in page


def test_a_refused_action_shows_its_error_beside_the_field_or_names_it(client, county):
    of = meeting(county)
    client.force_login(county.chair)
    page = act(client, of, "propose", title="", text="全文保留", kind="ordinary")
    # In the page's language: Chinese once the wording shared with the dashboard's forms is
    # translated.
    with translation.override("zh-hans"):
        refused = translation.gettext("Nothing was saved: correct the fields marked below.")
    assert refused in page and inline_error(page, "title") == "该字段是必填项。"
    assert "全文保留" in page  # what was typed comes back
    page = act(client, of, "minutes", minutes="  ")
    assert inline_error(page, "minutes") == "该字段是必填项。"
    row = f"attend-{county.a1.pk}"
    page = act(client, of, "attend", **{f"{row}-status": "absent", f"{row}-proxy_name": "李四"})
    assert "缺席原因：请填写缺席原因" in page  # beside the school's row, which keeps its input
    row = page.split(f'<tr id="attendance-{county.a1.pk}"')[1].split("</tr>")[0]
    assert '<option value="absent" selected>' in row and 'value="李四"' in row
    page = act(client, of, "attach")
    assert "文件：请选择要上传的文件。" in page
    services.meeting_close(meeting=of, by=county.chair)
    page = act(client, of, "approve")
    assert "请先记录会议纪要" in page  # a service error on a field the form does not have


def test_a_refused_form_the_page_no_longer_draws_is_told_in_a_message(client, county):
    of = meeting(county)
    client.force_login(county.chair)
    services.meeting_close(meeting=of, by=county.chair)  # in another tab, say
    page = act(client, of, "propose", title="补充动议", kind="ordinary")
    assert "未保存" not in page and 'name="title"' not in page  # no form to point to
    assert '<div class="flash error" role="alert">' in page  # the service's reason, as a message


def test_a_redrawn_meeting_page_switches_language_back_to_the_meeting(client, county):
    of = meeting(county)
    client.force_login(county.chair)
    page = act(client, of, "propose", title="", kind="ordinary")
    meeting_url = reverse("dashboard:meeting-detail", args=[of.pk])
    assert f'name="next" type="hidden" value="{meeting_url}"' in page


@pytest.mark.parametrize(
    ("days_from_today", "refusal"),
    [(-1, "完成时限不能早于今天"), (5 * 366, "完成时限须在自今日起一个任期（5年）内")],
    ids=["in the past", "past one council term"],
)
def test_an_action_item_is_due_from_today_to_one_council_term(
    client, county, days_from_today, refusal
):
    resolution = passed_resolution(county)
    client.force_login(county.chair)
    page = act(
        client,
        resolution.meeting,
        "action-item",
        resolution=resolution.pk,
        description="组织同课异构",
        owner_school=county.a1.pk,
        due_on=timezone.localdate() + datetime.timedelta(days=days_from_today),
    )
    assert refusal in inline_error(page, "due_on")
    assert not ActionItem.objects.exists()


def test_an_officer_who_sees_no_one_else_names_a_school_and_is_told_so(english, county):
    """The secretary-general may name only people she can see: herself alone. Her list of one
    person, under "type a name or a school to narrow the list", found nobody."""
    resolution = passed_resolution(county)
    secretary = secretary_general(county)
    teacher_a0 = staff_user(school=county.a0, username="teacher_a0")
    english.force_login(secretary)
    form = meeting_page(english, resolution.meeting).split('id="add-action-item"')[1]
    form = form.split("</details>")[0]
    assert 'name="owner_person"' not in form and "data-filter" not in form
    assert "Name the owner school; the school names the person in charge." in form
    assert county.a0.name in form.split('name="owner_school"')[1].split("</select>")[0]
    act(
        english,
        resolution.meeting,
        "action-item",
        resolution=resolution.pk,
        description="组织同课异构",
        owner_school=county.a0.pk,
        owner_person=teacher_a0.pk,  # sent anyway: not taken
        due_on=past(-7),
    )
    item = ActionItem.objects.get()
    assert (item.owner_school, item.owner_person) == (county.a0, None)
    # The chair sees the member schools' staff, so may name them.
    english.force_login(county.chair)
    owners = meeting_page(english, resolution.meeting).split('name="owner_person"')[1]
    assert teacher_a0.name in owners.split("</select>")[0]


def test_the_api_tells_an_unseen_owner_from_a_missing_one_by_nothing(client, county):
    """Another school's staff member, a group B school's teacher and an id that does not exist
    get the same answer: the error reveals nothing about people the officer cannot see."""
    resolution = passed_resolution(county)
    client.force_login(secretary_general(county))
    unseen = [
        staff_user(school=county.a0, username="teacher_a0").pk,  # member school, not visible
        staff_user(school=county.b1, username="teacher_b1").pk,  # another group
        999_999,  # no one
    ]
    answers = set()
    for pk in unseen:
        response = client.post(
            "/api/v1/action-items/",
            {
                "resolution": resolution.pk,
                "description": "组织同课异构",
                "owner_person": pk,
                "due_on": past(-7).isoformat(),
            },
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        answers.add(response.json()["owner_person"][0].replace(str(pk), "<pk>"))
    assert len(answers) == 1
    assert not ActionItem.objects.exists()


def test_open_action_items_are_paginated_and_overdue_ones_marked(
    client, county, django_assert_max_num_queries
):
    resolution = passed_resolution(county)
    for number in range(25):
        action_item(county, resolution, description=f"事项{number:02d}")
    ActionItem.objects.filter(description="事项00").update(due_on=past(3))
    client.force_login(county.chair)
    url = reverse("dashboard:council", args=[county.group_a.pk])
    with django_assert_max_num_queries(25):
        first = client.get(url).content.decode()
    assert "事项00" in first and "事项24" not in first
    assert "逾期" in first
    assert "?items=2#action-items" in first
    second = client.get(url, {"items": 2}).content.decode()
    assert "事项24" in second and "事项00" not in second


def test_principals_read_the_charter_text_they_vote_on(english, county):
    """A charter motion showed its title and the vote buttons: the text being voted on, which
    becomes the charter at two thirds, was nowhere on the page."""
    of = meeting(county)
    services.attendance_record(meeting=of, school=county.a1, status="present", by=county.chair)
    services.resolution_propose(
        meeting=of,
        title="修改章程第十三条",
        kind="charter",
        charter_text="第十三条 成员学校连续两年考核不合格的，经理事会表决取消其成员资格。",
        by=county.chair,
    )
    english.force_login(county.principal_a1)
    page = meeting_page(english, of)
    motion = page[page.index("修改章程第十三条") :]
    assert "<summary>The charter text put to the vote</summary>" in motion
    assert motion.index("经理事会表决取消其成员资格") < motion.index('name="choice"')


def test_the_attendance_boxes_stop_at_the_length_the_record_keeps(client, county):
    of = meeting(county)
    client.force_login(county.chair)
    page = meeting_page(client, of)
    reason = re.search(rf'<input[^>]*name="attend-{county.a1.pk}-reason"[^>]*>', page).group()
    proxy = re.search(rf'<input[^>]*name="attend-{county.a1.pk}-proxy_name"[^>]*>', page).group()
    assert 'maxlength="200"' in reason and 'maxlength="50"' in proxy


def test_the_meeting_page_says_what_passes_a_motion_with_the_groups_own_rules(client, county):
    """A motion passed on 1 yes of 4 present, and the page did not say why."""
    from governance.models import CouncilPolicy

    CouncilPolicy.objects.create(group=county.group_a, quorum_ratio="2/3")
    of = meeting(county)
    client.force_login(county.principal_a1)
    assert "动议通过须" not in meeting_page(client, of)  # nothing to vote on yet
    services.resolution_propose(meeting=of, title="通过年度计划", by=county.chair)
    rule = meeting_page(client, of).split('class="muted vote-rule">')[1].split("</p>")[0]
    assert "成员学校超过 2/3" in rule  # the group's own quorum
    assert "赞成票超过所投票数的 1/2" in rule and "至少 2/3" in rule  # the defaults
