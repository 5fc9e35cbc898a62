"""The chair names a follow-up's owner among every member school's staff, one long list: typing a
school's name or a person's narrows it, and the person chosen stays chosen."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from alliance.management.commands.seed_demo import DEMO_MEMBER, DEMO_PASSWORD
from governance.models import ActionItem, Meeting
from members.models import School
from tests.e2e.browser import assert_accessible, log_in, shoot

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FOLLOW_UP = "整理十月课例并上传资源库"


def test_the_chair_narrows_the_owner_list_by_school_and_by_name(page):
    call_command("seed_demo", stdout=io.StringIO())
    meeting = Meeting.objects.get(title="十月理事会议")
    member = School.objects.get(name=DEMO_MEMBER)
    staff = member.staff.filter(is_active=True)
    owner = staff.order_by("name").last()
    log_in(page, username="chair", password=DEMO_PASSWORD)
    page.goto(reverse("dashboard:meeting-detail", args=[meeting.pk]))
    page.locator("summary", has_text="添加落实事项").click()
    form = page.locator("#add-action-item")
    people = form.get_by_label("责任人")
    schools = people.locator("optgroup").count()
    assert schools > 1
    search = form.get_by_role("searchbox", name="输入姓名或学校名称筛选")

    search.fill(DEMO_MEMBER)
    expect(people.locator("optgroup")).to_have_count(1)
    expect(people.locator("optgroup")).to_have_attribute("label", DEMO_MEMBER)
    expect(people.locator("optgroup option")).to_have_count(staff.count())
    shoot(page, "owner-picker-01-one-school")
    assert_accessible(page, "owner-picker-01-one-school")

    search.fill(owner.name)
    named = people.locator("optgroup option").all_inner_texts()
    with translation.override("zh-hans"):  # as the page names them: 高建兰（3152230003004）
        shown = str(owner)
    assert shown in named and all(owner.name in text for text in named)
    people.select_option(label=shown)
    search.fill("查无此人")  # the chosen person stays, beside the empty choice
    expect(people.locator("option")).to_have_count(2)
    expect(people).to_have_value(str(owner.pk))
    search.fill("")
    expect(people.locator("optgroup")).to_have_count(schools)
    expect(people).to_have_value(str(owner.pk))

    form.get_by_label("事项").fill(FOLLOW_UP)
    form.get_by_label("完成时限").fill(str(timezone.localdate() + datetime.timedelta(days=14)))
    form.get_by_role("button", name="添加").click()
    expect(page.locator(".flash")).to_have_text("落实事项已添加。")
    assert ActionItem.objects.get(description=FOLLOW_UP).owner_person == owner
