"""Action items from the pages: officers add them under a passed resolution on the meeting page;
the owner or an officer notes progress and closes them on the council page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import ActionItem, Meeting, Resolution
from governance.views import PAGE_SIZE
from members import services as member_services
from members.models import Membership
from tests.conftest import inline_error
from tests.governance.factories import action_item, meeting, passed_resolution
from tests.members.factories import past

pytestmark = pytest.mark.django_db

DUE = timezone.localdate() + datetime.timedelta(days=14)


def meeting_page(client, resolution) -> str:
    url = reverse("dashboard:meeting-detail", args=[resolution.meeting_id])
    return client.get(url).content.decode()


def council_page(client, county) -> str:
    return client.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()


def add_url(resolution) -> str:
    return reverse("dashboard:meeting-act", args=[resolution.meeting_id, "action-item"])


def add(client, resolution, **data):
    return client.post(add_url(resolution), {"resolution": resolution.pk, **data}, follow=True)


def report(client, item, **data):
    return client.post(reverse("dashboard:action-item-progress", args=[item.pk]), data, follow=True)


def test_an_officer_adds_an_action_item_under_a_passed_resolution(english, county):
    resolution = passed_resolution(county)
    english.force_login(county.chair)
    assert add_url(resolution) in meeting_page(english, resolution)
    response = add(
        english,
        resolution,
        description="组织同课异构",
        owner_school=county.a1.pk,
        owner_person=county.teacher_a1.staff.pk,
        due_on=DUE.isoformat(),
    )
    item = ActionItem.objects.get()
    # Back at the new item, in its resolution's list, not at the page's top.
    assert (
        response.redirect_chain[-1][0]
        == reverse("dashboard:meeting-detail", args=[resolution.meeting_id])
        + f"#action-item-{item.pk}"
    )
    assert f'<li id="action-item-{item.pk}">' in response.content.decode()
    assert (item.resolution, item.owner_school, item.owner_person, item.due_on) == (
        resolution,
        county.a1,
        county.teacher_a1.staff,
        DUE,
    )
    text = response.content.decode()
    assert "The action item was added." in text
    assert "组织同课异构" in text and county.teacher_a1.staff.name in text


def test_a_resolution_that_did_not_pass_takes_no_action_items(english, county):
    open_motion = services.resolution_propose(meeting=meeting(county), title="x", by=county.chair)
    english.force_login(county.chair)
    assert add_url(open_motion) not in meeting_page(english, open_motion)
    response = add(
        english, open_motion, description="x", owner_school=county.a1.pk, due_on=DUE.isoformat()
    )
    assert response.status_code == 200
    assert "Select a valid choice." in inline_error(response.content.decode(), "resolution")
    assert not ActionItem.objects.exists()


def test_a_refused_action_item_comes_back_filled_in_with_the_error_beside_its_field(
    english, county
):
    resolution = passed_resolution(county)
    english.force_login(county.chair)
    no_owner = add(english, resolution, description="组织同课异构", due_on=DUE.isoformat())
    page = no_owner.content.decode()
    assert "Nothing was saved: correct the fields marked below." in page
    assert "Name the owner school or person." in page
    assert '<details id="add-action-item" open>' in page
    assert 'value="组织同课异构"' in page and f'value="{DUE.isoformat()}"' in page
    no_date = add(english, resolution, description="x", owner_school=county.a1.pk)
    assert inline_error(no_date.content.decode(), "due_on") == "This field is required."
    outsider = add(
        english,
        resolution,
        description="x",
        owner_person=county.principal_b1.staff.pk,
        due_on=DUE.isoformat(),
    )
    assert "Select a valid choice." in inline_error(outsider.content.decode(), "owner_person")
    assert not ActionItem.objects.exists()


def test_one_form_serves_every_passed_resolution_of_the_meeting(english, county):
    of = meeting(county)
    first = passed_resolution(county, title="决议一", of=of)
    second = passed_resolution(county, title="决议二", of=of)
    english.force_login(county.chair)
    page = meeting_page(english, first)
    assert page.count('name="owner_person"') == 1
    picker = page.split('name="resolution"')[1].split("</select>")[0]
    assert "决议一" in picker and '" selected>决议二' in picker  # the latest is preselected
    add(english, first, description="x", owner_school=county.a1.pk, due_on=DUE.isoformat())
    assert ActionItem.objects.get().resolution == first
    assert not second.action_items.exists()


def test_only_officers_see_the_form_to_add_action_items(english, county):
    resolution = passed_resolution(county)
    form = add_url(resolution)
    for user in (county.principal_a1, county.teacher_a1):
        english.force_login(user)
        assert form not in meeting_page(english, resolution)
    english.force_login(county.bureau)
    assert form in meeting_page(english, resolution)


def test_the_owner_notes_progress_and_the_list_shows_the_latest_note(english, county):
    item = action_item(county, passed_resolution(county))
    services.action_item_progress(item=item, note="已上传5节", by=county.chair)
    english.force_login(county.principal_a1)  # principal of the owner school
    form = reverse("dashboard:action-item-progress", args=[item.pk])
    assert form in council_page(english, county)
    response = report(english, item, note="已上传12节")
    assert response.redirect_chain[-1][0].endswith("#action-items")
    text = response.content.decode()
    assert "The progress was recorded." in text
    assert "已上传12节" in text and "已上传5节" not in text  # the latest note only
    assert timezone.localdate().strftime("%Y-%m-%d") in text
    item.refresh_from_db()
    assert item.is_open


def test_the_meeting_page_gives_an_items_every_progress_report_oldest_first(english, county):
    item = action_item(county, passed_resolution(county))
    for note in ("已上传5节", "已上传12节"):
        services.action_item_progress(item=item, note=note, by=county.principal_a1)
    english.force_login(county.chair)
    council = council_page(english, county)
    history = reverse("dashboard:meeting-detail", args=[item.resolution.meeting_id])
    assert f'href="{history}#action-item-{item.pk}"' in council
    text = meeting_page(english, item.resolution)
    assert "2 progress reports" in text
    assert text.index("已上传5节") < text.index("已上传12节")
    assert '已上传12节 · <span class="muted">recorded by principal_a1</span>' in text


def test_an_item_whose_owner_is_gone_is_marked_for_the_officers(english, county):
    resolution = passed_resolution(county)
    action_item(county, resolution, description="汇编校本课程")  # A1, which leaves
    teacher = county.teacher_a1.staff
    action_item(county, resolution, description="执教公开课", owner_person=teacher)
    action_item(county, resolution, description="整理课例", owner_school=county.a2)
    membership = Membership.objects.get(group=county.group_a, school=county.a1)
    member_services.membership_withdraw(
        membership=membership, by=county.bureau, notice_on=past(10), left_on=past(0)
    )
    english.force_login(county.chair)
    rows = {
        row.split("</td>", 1)[0]: row
        for row in council_page(english, county).split('<td data-label="What">')[1:]
    }
    assert "No longer in the group" in rows["汇编校本课程"]
    assert "No longer in the group" in rows["执教公开课"]  # A1's teacher, with A1
    assert "No longer" not in rows["整理课例"]
    teacher.is_active = False
    teacher.save()
    assert "No longer in post" in council_page(english, county)


def test_marking_an_item_done_takes_it_off_the_open_list(english, county):
    item = action_item(county, passed_resolution(county), description="上传语文课例")
    english.force_login(county.chair)
    response = report(english, item, note="全部完成", done="on")
    text = response.content.decode()
    assert "The action item was marked done." in text
    assert "上传语文课例" not in text and "No open action items." in text
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    again = report(english, item, note="三校课例已汇总").content.decode()
    assert "This action item is already done." in again
    assert "Your note, not saved: 三校课例已汇总" in again  # given back, not lost


def test_an_empty_progress_note_is_refused_with_a_message(english, county):
    item = action_item(county, passed_resolution(county))
    english.force_login(county.chair)
    text = report(english, item, note="   ", done="on").content.decode()
    assert "Describe the progress." in text
    item.refresh_from_db()
    assert item.is_open and not item.notes.exists()


def test_a_person_who_owns_an_item_reports_on_it(english, county):
    resolution = passed_resolution(county)
    own = action_item(county, resolution, owner_person=county.teacher_a1.staff)
    schools = action_item(county, resolution, description="学校的事项")
    english.force_login(county.teacher_a1)
    text = council_page(english, county)
    assert reverse("dashboard:action-item-progress", args=[own.pk]) in text
    assert reverse("dashboard:action-item-progress", args=[schools.pk]) not in text
    assert "学校的事项" in text  # seen, not reported on
    assert "The progress was recorded." in report(english, own, note="备课中").content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("bureau", 302),
        ("chair", 302),
        ("principal_a1", 403),
        ("teacher_a1", 403),
        ("principal_b1", 404),
    ],
)
def test_who_may_add_an_action_item(client, county, role, status):
    resolution = passed_resolution(county)
    client.force_login(getattr(county, role))
    url = add_url(resolution)
    data = {
        "resolution": resolution.pk,
        "description": "x",
        "owner_school": county.a1.pk,
        "due_on": DUE.isoformat(),
    }
    assert client.post(url, data).status_code == status
    assert ActionItem.objects.exists() == (status == 302)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("bureau", 302),
        ("chair", 302),
        ("principal_a1", 302),  # heads the owner school
        ("teacher_a1", 403),
        ("principal_b1", 404),
    ],
)
def test_who_may_report_progress(client, county, role, status):
    item = action_item(county, passed_resolution(county))
    client.force_login(getattr(county, role))
    url = reverse("dashboard:action-item-progress", args=[item.pk])
    assert client.post(url, {"note": "x", "done": "on"}).status_code == status
    item.refresh_from_db()
    assert item.is_open == (status != 302)


def test_the_new_routes_take_posts_only(client, county):
    item = action_item(county, passed_resolution(county))
    client.force_login(county.chair)
    assert client.get(reverse("dashboard:action-item-progress", args=[item.pk])).status_code == 405
    assert client.get(add_url(item.resolution)).status_code == 405


@pytest.mark.parametrize("role", ["chair", "principal_a1", "teacher_a1"])
def test_the_council_page_stays_within_its_queries_with_many_meetings_and_items(
    client, county, role, django_assert_max_num_queries
):
    resolution = passed_resolution(county)
    for n in range(45):
        meeting(county, title=f"理事会议 {n}", days_ago=n + 1)
    for n in range(15):
        owner = {"owner_person": county.teacher_a1.staff} if n % 3 else {}
        item = action_item(county, resolution, description=f"事项 {n}", **owner)
        for note in ("开始", "进行中"):
            services.action_item_progress(item=item, note=f"{note} {n}", by=county.chair)
    client.force_login(getattr(county, role))
    with django_assert_max_num_queries(25):
        text = council_page(client, county)
    assert "事项 14" in text and "进行中 14" in text and "开始 14" not in text


def test_the_meeting_page_stays_within_its_queries_with_items_and_forms(
    client, county, django_assert_max_num_queries
):
    of = meeting(county)
    for n in range(4):
        resolution = passed_resolution(county, title=f"决议 {n}", of=of)
        for m in range(3):
            item = action_item(county, resolution, description=f"事项 {n}-{m}")
            for week in range(2):
                services.action_item_progress(item=item, note=f"第{week}周", by=county.chair)
    client.force_login(county.chair)
    meeting_page(client, resolution)  # content types are read once per process
    # 22, the group's voting rule, and the action items' progress reports
    with django_assert_max_num_queries(24):
        text = meeting_page(client, resolution)
    assert text.count('name="owner_person"') == 1 and "事项 3-2" in text


def test_a_link_to_one_item_opens_the_page_of_open_items_it_is_on(client, county):
    resolution = passed_resolution(county)
    items = [
        action_item(county, resolution, description=f"事项{n:02}") for n in range(PAGE_SIZE + 3)
    ]
    client.force_login(county.chair)
    url = reverse("dashboard:council", args=[county.group_a.pk])

    def items_page(**params) -> int:
        return client.get(url, params).context["items_page"].number

    last = items[-1]  # same due date: ordered by id, so on page 2
    page = client.get(url, {"item": last.pk})
    assert page.context["items_page"].number == 2
    assert f'<tr id="item-{last.pk}">' in page.content.decode()
    assert items_page(item=last.pk, items=1) == 1  # the pager's links keep `item`
    assert items_page(item=items[0].pk) == 1
    services.action_item_progress(item=last, note="完成", done=True, by=county.chair)
    for unknown in (last.pk, "x", "²", "9" * 30, 10_000):  # done, junk, too long, no such id
        assert items_page(item=unknown) == 1


def test_another_groups_item_in_the_link_reveals_nothing(client, county):
    resolution = passed_resolution(county)
    for n in range(PAGE_SIZE + 3):
        action_item(county, resolution, description=f"事项{n:02}")
    # Group B's item, made in the database: group B has no council in these tests.
    other = ActionItem.objects.create(
        resolution=Resolution.objects.create(
            meeting=Meeting.objects.create(
                group=county.group_b,
                kind="council",
                title="B",
                place="会议室",
                starts_at=timezone.now(),
            ),
            title="B",
        ),
        description="B 的事项",
        owner_school=county.b1,
        due_on=DUE,
    )
    client.force_login(county.chair)
    url = reverse("dashboard:council", args=[county.group_a.pk])
    page = client.get(url, {"item": other.pk})
    assert page.context["items_page"].number == 1
    assert "B 的事项" not in page.content.decode()
