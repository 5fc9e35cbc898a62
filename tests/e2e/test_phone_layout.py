"""What the chair meets on a 375px phone: the attendance forms of a scheduled meeting and the
council's "report progress" lie within the screen, with no table to scroll sideways; dates on
the to-do card do not break over two lines; the staff list's next page opens at the list; every
page has its icon. The group's membership chart is drawn with letters as large as the page's
small print, and a person in a school's staff list takes two or three lines, not five."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from alliance.management.commands.seed_demo import DEMO_GROUP, DEMO_PASSWORD
from governance.models import ActionItem
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    horizontal_overflow,
    log_in,
    shoot,
)

FOLLOW_UP = "各校上传语文优质课例"  # the demo's open action item

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every date (and date with time) in an element, with the number of lines it is drawn on.
DATE_LINES = r"""(root) => {
  const found = [];
  const pattern = /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?/g;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.bottom)));
      found.push([match[0], lines.size]);
    }
  }
  return found;
}"""

# Each text of the page's SVG charts: its words, the size its letters are drawn at in CSS pixels
# (the font size, in the SVG's own units, times the scale the picture is drawn at), and whether
# it lies inside the picture's viewBox (an SVG cuts off what falls outside it).
CHART_TEXT = r"""async () => {
  await document.fonts.ready;
  return [...document.querySelectorAll("svg.chart text")].map((text) => {
    const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
    const view = text.ownerSVGElement.viewBox.baseVal;
    const box = text.getBBox();
    const inside = box.x >= view.x && box.x + box.width <= view.x + view.width
      && box.y >= view.y && box.y + box.height <= view.y + view.height;
    return [text.textContent, Math.round(size * 10) / 10, inside];
  });
}"""

# A table row's height in CSS pixels, and the height of one line of its text.
ROW_HEIGHT = r"""(row) => [
  row.getBoundingClientRect().height,
  parseFloat(getComputedStyle(row).lineHeight),
]"""

# Whether an element's content is wider than its box (it scrolls sideways).
SCROLLS_SIDEWAYS = "(element) => element.scrollWidth > element.clientWidth"


def assert_on_screen(locator, what: str) -> None:
    """The element lies within the phone's width, where it can be seen without scrolling."""
    box = locator.bounding_box()
    assert box is not None, f"{what} is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
        f"{what} lies at x={box['x']:.0f}…{box['x'] + box['width']:.0f}, "
        f"off a {PHONE['width']}px screen"
    )


def check(page, name: str) -> None:
    assert horizontal_overflow(page) == 0, "the page is wider than a 375px phone"
    shoot(page, name)
    assert_accessible(page, name)


def test_the_chair_uses_the_council_pages_on_a_phone(page):
    call_command("seed_demo", stdout=io.StringIO())
    page.set_viewport_size(PHONE)
    log_in(page, username="chair", password=DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text("工作台")

    # Every page names its icon, and the site serves it.
    icon = page.locator("link[rel=icon]")
    expect(icon).to_have_count(1)
    served = page.request.get(icon.get_attribute("href"))
    assert served.ok and served.headers["content-type"].startswith("image/svg+xml")

    # The to-do card's dates (the next meeting, the follow-up's deadline) each on one line.
    todo = page.locator("#todo")
    expect(todo).to_contain_text("完成时限")
    dates = todo.evaluate(DATE_LINES)
    assert len(dates) >= 2, dates
    assert all(lines == 1 for _, lines in dates), f"a date breaks over two lines: {dates}"
    check(page, "phone-01-home")

    # The council's open follow-up: its progress report is on the screen, nothing scrolls.
    todo.get_by_role("link", name=FOLLOW_UP).click()
    follow_ups = page.locator("#action-items")
    row = follow_ups.locator("tbody tr", has_text=FOLLOW_UP)
    expect(row).to_be_visible()
    report = row.locator("summary", has_text="报告进展")
    assert_on_screen(report, "报告进展")
    for table in follow_ups.locator(".table-wrap, table").all():
        assert not table.evaluate(SCROLLS_SIDEWAYS), "the action items scroll sideways"
    # Each cell is read with its column's name on a phone.
    due = row.locator("td", has_text=str(ActionItem.objects.get(description=FOLLOW_UP).due_on))
    assert "完成时限" in due.evaluate("(td) => getComputedStyle(td, '::before').content")
    report.click()
    assert_on_screen(row.get_by_label("进展"), "the progress note")
    assert_on_screen(row.get_by_label("标记为已完成"), "标记为已完成")
    assert_on_screen(row.get_by_role("button", name="登记"), "the progress form's 登记")
    check(page, "phone-02-council-items")
    # On a desktop the follow-ups stay a table with its headers.
    page.set_viewport_size(DESKTOP)
    expect(follow_ups.get_by_role("columnheader", name="完成时限")).to_be_visible()
    page.set_viewport_size(PHONE)

    # Reported, the page opens again at the follow-ups, a screen below the message: the
    # message stays in sight until put away.
    row.get_by_label("进展").fill("已收到三校的课例。")
    row.get_by_role("button", name="登记").click()
    done = page.get_by_role("status").filter(has_text="进展已登记。")
    expect(done).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > PHONE["height"]
    check(page, "phone-02b-progress-recorded")
    done.get_by_role("button", name="关闭").click()
    expect(done).to_have_count(0)

    # The scheduled meeting: the attendance form, a row per school, fits the screen (a row's
    # reason and proxy boxes show only with their status).
    page.goto("/")
    todo.get_by_role("link", name="十二月理事会议").click()
    expect(page.locator("h1")).to_contain_text("十二月理事会议")
    attendance = page.locator("#attendance")
    expect(attendance.locator("form")).to_be_visible()
    rows = attendance.locator("tbody tr")
    assert rows.count() >= 5
    for row in rows.all():
        # attendance.js hides the boxes a status does not need as the page settles: judge
        # each control as it is now rather than from a list of the visible ones taken before.
        for control in row.locator("select, input:not([type=hidden])").all():
            if control.is_visible():
                assert_on_screen(control, control.get_attribute("aria-label"))
    assert_on_screen(attendance.locator("button[type=submit]"), "the attendance form's button")
    for table in attendance.locator(".table-wrap, table").all():
        assert not table.evaluate(SCROLLS_SIDEWAYS), "the attendance table scrolls sideways"
    check(page, "phone-03-meeting-attendance")
    # A row refused at the table's foot: the page comes back at that row, a screen or more
    # below the table's top, with its error in sight.
    last = rows.last
    last.get_by_role("combobox").select_option(label="缺席")  # and no reason
    attendance.locator("button[type=submit]").click()
    expect(last.locator(".error")).to_contain_text("请填写缺席原因")
    expect(last.locator(".error")).to_be_in_viewport()
    assert re.search(r"#attendance-\d+$", page.url), page.url
    check(page, "phone-03b-attendance-refused")

    # The chair's school: the staff list's next page opens at the list, not the page's top.
    page.locator("header.topbar").get_by_role("link", name="我的学校").click()
    page.get_by_role("navigation", name="分页").get_by_role("link", name="下一页").click()
    expect(page.get_by_text("第 2 页，共 2 页")).to_be_visible()
    expect(page.get_by_role("heading", name="教职工")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0, "the next page opened at the top, not at the list"


def test_the_group_chart_and_the_staff_list_read_on_a_phone(page):
    """On a 375px phone the SVG chart shrank with the screen, its letters to 10.8px; each
    person in a school's staff list took five lines, one a column (six with a badge)."""
    call_command("seed_demo", stdout=io.StringIO())
    page.set_viewport_size(PHONE)
    log_in(page, username="chair", password=DEMO_PASSWORD)

    # The group's membership over time: every label of the picture at least 12px, inside it.
    page.goto("/")
    page.locator("header.topbar").get_by_role("link", name="教育集团", exact=True).click()
    page.locator("main").get_by_role("link", name=DEMO_GROUP.name).click()
    chart = page.get_by_role("img", name="成员学校数（不含龙头学校）与上限")
    expect(chart).to_be_visible()
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        texts = page.evaluate(CHART_TEXT)
        assert len(texts) >= 5, texts  # the axes' labels and the cap's
        small = [(words, px) for words, px, _ in texts if px < 12]
        assert not small, f"chart text under 12px at {size['width']}px: {small}"
        cut = [words for words, _, inside in texts if not inside]
        assert not cut, f"chart text cut off at {size['width']}px: {cut}"
    page.set_viewport_size(PHONE)
    assert not chart.evaluate(SCROLLS_SIDEWAYS)
    # The same numbers as text, under the picture.
    expect(page.locator("details.chart-data tbody tr").first).to_be_attached()
    check(page, "phone-04-group-chart")

    # The chair's school: each person on two lines (name and post; subject, title and
    # badge), at most three when a name wraps, not a line for each column.
    page.locator("header.topbar").get_by_role("link", name="我的学校").click()
    staff = page.get_by_role("region", name="教职工")
    rows = staff.locator("tbody tr")
    assert rows.count() >= 10
    for row in rows.all():
        height, line = row.evaluate(ROW_HEIGHT)
        assert height <= 3 * line + 16, (
            f"a staff row is {height:.0f}px tall on a phone, over three {line:.1f}px lines: "
            f"{row.inner_text()!r}"
        )
    # Each cell is still read with its column's name, shown or not.
    labels = rows.first.locator("td[data-label]").evaluate_all(
        "(cells) => cells.map((td) => [td.dataset.label, getComputedStyle(td, '::before').content])"
    )
    assert [label for label, _ in labels] == ["工号", "姓名", "职务", "学科", "职称"]
    assert all(content == f'"{label}"' for label, content in labels), labels
    assert not staff.evaluate(SCROLLS_SIDEWAYS), "the staff list scrolls sideways"
    check(page, "phone-05-school-staff")
    # On a desktop it is a table with its headers, a person to a line.
    page.set_viewport_size(DESKTOP)
    expect(staff.get_by_role("columnheader", name="职称")).to_be_visible()
    for row in rows.all():
        height, line = row.evaluate(ROW_HEIGHT)
        assert height < 2 * line, f"a staff row is {height:.0f}px tall on a desktop"
