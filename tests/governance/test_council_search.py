"""The council page's lists: meetings searched by title or place and filtered by kind and status;
open action items searched by what or owner and narrowed to the overdue."""

import pytest
from django.urls import reverse

from governance import services
from governance.models import ActionItem
from tests.governance.factories import action_item, meeting, passed_resolution
from tests.members.factories import past

pytestmark = pytest.mark.django_db


def council_page(client, county, **params):
    url = reverse("dashboard:council", args=[county.group_a.pk])
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    return [m.title for m in response.context["page"].object_list]


@pytest.fixture
def meetings(county):
    september = meeting(county, title="九月理事会议", place="实验小学会议室", days_ago=60)
    services.meeting_close(meeting=september, by=county.chair)
    meeting(county, title="十月理事会议", place="二小报告厅", days_ago=30)
    meeting(county, title="校长联席会议", kind="principals", place="实验小学会议室", days_ago=10)


def test_the_search_matches_the_title_or_the_place(english, county, meetings):
    english.force_login(county.principal_a1)
    assert titles(council_page(english, county, q="报告厅")) == ["十月理事会议"]
    assert titles(council_page(english, county, q="理事")) == ["十月理事会议", "九月理事会议"]


def test_meetings_filter_by_kind_and_by_status(english, county, meetings):
    english.force_login(county.teacher_a1)
    assert titles(council_page(english, county, kind="principals")) == ["校长联席会议"]
    assert titles(council_page(english, county, status="closed")) == ["九月理事会议"]
    both = council_page(english, county, q="实验小学", kind="council", status="scheduled")
    assert titles(both) == []


def test_a_search_with_no_match_says_how_to_clear_it(english, county, meetings):
    english.force_login(county.chair)
    text = council_page(english, county, q="不存在的会议").content.decode()
    council = reverse("dashboard:council", args=[county.group_a.pk])
    assert "No meetings match these filters." in text
    assert f'href="{council}#meetings">Clear the filters' in text
    assert "No meetings yet." not in text


def test_unknown_filter_values_are_shown_and_ignored(english, county, meetings):
    english.force_login(county.chair)
    response = council_page(english, county, kind="banquet", status="closed", page="x")
    assert titles(response) == ["九月理事会议"]  # the valid filter still applies
    assert "banquet is not one of the available choices" in response.content.decode()
    too_long = council_page(english, county, q="会" * 101)
    assert len(titles(too_long)) == 3


def test_the_pager_keeps_the_filters(english, county):
    for n in range(25):
        meeting(county, title=f"理事会议 {n:02}", days_ago=n + 1)
    for n in range(3):
        meeting(county, title=f"联席会议 {n}", kind="principals", days_ago=n + 1)
    english.force_login(county.chair)
    first = council_page(english, county, kind="council")
    assert len(titles(first)) == 20
    assert "?kind=council&amp;page=2" in first.content.decode()
    second = council_page(english, county, kind="council", page=2)
    assert titles(second) == [f"理事会议 {n:02}" for n in range(20, 25)]
    assert "?kind=council&amp;page=1" in second.content.decode()
    everything = {t for page in (1, 2) for t in titles(council_page(english, county, page=page))}
    assert len(everything) == 28  # unfiltered, no meeting lost or repeated between pages


def test_open_action_items_are_searched_by_what_or_owner_and_narrowed_to_the_overdue(
    english, county
):
    resolution = passed_resolution(county)
    late = action_item(county, resolution, description="提交教研总结")
    ActionItem.objects.filter(pk=late.pk).update(due_on=past(3))
    action_item(
        county, resolution, description="上传语文课例", owner_person=county.teacher_a1.staff
    )
    action_item(county, resolution, description="整理课程资源", owner_school=county.a2)
    english.force_login(county.chair)

    def listed(**params) -> list[str]:
        items = council_page(english, county, **params).context["items_page"].object_list
        return sorted(item.description for item, *_ in items)

    assert listed(item_q="课例") == ["上传语文课例"]
    assert listed(item_q=county.teacher_a1.staff.name) == ["上传语文课例"]
    assert listed(item_q=county.a2.name) == ["整理课程资源"]
    assert listed(overdue="on") == ["提交教研总结"]
    assert len(listed()) == 3
    empty = council_page(english, county, item_q="没有的事项").content.decode()
    assert "No open action item matches these filters." in empty
