"""The group chair's main pages on the demo county: home, group list, group overview, a member
school, and back through the group to the council's quarterly report.

The group overview's pictures are checked as a reader meets them: named, visible, legible; every
page also by axe-core (WCAG 2.1 AA) at phone and desktop width.

These are also the README's screenshots: with E2E_UPDATE_DOCS=1 (`make screenshots`) the
desktop views are written to docs/screenshots/ as well.
"""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from alliance.management.commands.seed_demo import DEMO_GROUP, DEMO_MEMBER, DEMO_PASSWORD
from tests.e2e.browser import (
    DESKTOP,
    DOCS_SCREENSHOTS,
    assert_accessible,
    horizontal_overflow,
    log_in,
    shoot,
)

pytestmark = [
    pytest.mark.e2e,
    # live_server needs real transactions; serialized_rollback brings back the stages a data
    # migration created, which the flush after each transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def document(page, name: str, readme_name: str | None = None) -> None:
    """Check and shoot at phone and desktop width; with E2E_UPDATE_DOCS=1 also the README's
    desktop view."""
    assert horizontal_overflow(page) == 0, "the page is wider than a 375px phone"
    shoot(page, name)
    assert_accessible(page, name)
    if readme_name and os.environ.get("E2E_UPDATE_DOCS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=DOCS_SCREENSHOTS / f"{readme_name}.png")


def quarter_of(day: datetime.date) -> tuple[int, int, str]:
    """The year and quarter of a day, and the period the report shows for it."""
    quarter = (day.month - 1) // 3 + 1
    first = datetime.date(day.year, 3 * quarter - 2, 1)
    after = datetime.date(day.year + quarter // 4, 3 * quarter % 12 + 1, 1)
    return day.year, quarter, f"{first} — {after - datetime.timedelta(days=1)}"


def test_the_chair_walks_from_the_dashboard_to_the_group_and_a_member_school(page):
    call_command("seed_demo", stdout=io.StringIO())

    log_in(page, username="chair", password=DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator("header.topbar")).to_contain_text("理事长")
    todo = page.locator("#todo")  # 待办: the next meeting and the open action item
    expect(todo.get_by_role("link", name="十二月理事会议")).to_be_visible()
    expect(todo.get_by_role("link", name="各校上传语文优质课例")).to_be_visible()
    document(page, "chair-01-home", "dashboard-home")

    # The group list, from the top bar: every group of the county, places used against the cap.
    page.locator("header.topbar").get_by_role("link", name="教育集团", exact=True).click()
    expect(page.locator("h1")).to_have_text("教育集团")
    expect(page.get_by_role("progressbar", name="已用名额").first).to_be_visible()
    document(page, "chair-01b-groups")

    page.locator("main").get_by_role("link", name=DEMO_GROUP.name).click()
    expect(page.locator("h1")).to_have_text(DEMO_GROUP.name)
    members = page.locator("main .table-wrap table").first  # current members; former ones are below
    expect(members).to_contain_text(DEMO_GROUP.schools[0])  # the lead school
    # The pictures: places used against the cap, membership over time, the meeting calendar.
    expect(page.get_by_role("progressbar", name="已用名额")).to_be_visible()
    chart = page.get_by_role("img", name="成员学校数（不含龙头学校）与上限")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100, "the chart is too flat to read"
    expect(page.locator(".calendar li.current")).to_have_count(1)
    document(page, "chair-02-group", "group-overview")

    members.get_by_role("link", name=DEMO_MEMBER, exact=True).click()
    expect(page.locator("h1")).to_have_text(DEMO_MEMBER)
    expect(page.locator("main")).to_contain_text(DEMO_GROUP.name)
    document(page, "chair-03-school", "school-page")

    # Back to the group through the school's membership, to its council and the quarterly
    # report the bureau is sent (001: 每季度向县教育局书面汇报理事会议的重大决策内容).
    page.locator("main .membership").get_by_role("link", name=DEMO_GROUP.name).click()
    expect(page.locator("h1")).to_have_text(DEMO_GROUP.name)
    page.get_by_role("link", name="理事会、会议与决议").click()
    expect(page.locator("h1")).to_have_text(f"{DEMO_GROUP.name} · 理事会")
    # The open follow-ups narrowed to the overdue: the demo's one is not due yet.
    follow_ups = page.locator("#action-items")
    expect(follow_ups).to_contain_text("各校上传语文优质课例")
    follow_ups.get_by_label("只看逾期").check()
    follow_ups.get_by_role("button", name="搜索").click()
    expect(follow_ups).to_contain_text("没有符合筛选条件的未完成事项。")
    document(page, "chair-04-council-overdue-items")
    page.locator("main").get_by_role("link", name="季度汇报").click()
    today = timezone.localdate()
    year, quarter, period = quarter_of(today)  # it opens on the current quarter
    expect(page.locator("h1")).to_have_text(f"{year} 年第 {quarter} 季度理事会重大决策")
    expect(page.locator("main")).to_contain_text(f"{DEMO_GROUP.name} · {period}")

    # The quarter of the demo's October meeting (40 days ago), where the resource library
    # passed with the four schools present; the fifth was absent.
    year, quarter, period = quarter_of(today - datetime.timedelta(days=40))
    page.get_by_label("年份").fill(str(year))
    page.get_by_label("季度").select_option(label=f"第 {quarter} 季度")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("h1")).to_have_text(f"{year} 年第 {quarter} 季度理事会重大决策")
    expect(page.locator("main")).to_contain_text(f"{DEMO_GROUP.name} · {period}")
    october = page.locator(
        "main section.card", has=page.get_by_role("heading", name="十月理事会议")
    )
    expect(october).to_contain_text("共建语文课例资源库 — 通过（赞成 4 / 反对 0 / 弃权 0）")
    expect(october).to_contain_text("南山乡中心小学（缺席）")
    follow_ups = page.locator("main section.card", has_text="未完成的落实事项")
    expect(follow_ups).to_contain_text("各校上传语文优质课例 — 南山乡中心小学")
    document(page, "chair-05-quarterly-report")

    # A quarter that has not begun is refused, with the year typed kept in its field.
    page.get_by_label("年份").fill(str(today.year + 1))
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("alert")).to_contain_text("该季度尚未开始。")
    expect(page.get_by_label("年份")).to_have_value(str(today.year + 1))
    document(page, "chair-06-quarter-not-begun")
