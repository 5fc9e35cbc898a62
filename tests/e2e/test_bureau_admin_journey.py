"""A bureau officer founds a group in the admin and approves schools until the cap says no,
then reads the membership list on a phone.

Each admin page is also checked by axe-core; what Django's own admin templates do is accepted
(browser.DJANGO_ADMIN), what the project puts in them (names, columns, actions, messages) not.
"""

import re

import pytest
from playwright.sync_api import expect

from alliance.models import SchoolGroup
from members.models import Membership, MembershipStatus
from tests.conftest import PASSWORD
from tests.e2e.browser import DJANGO_ADMIN, PHONE, assert_accessible, log_in, shoot
from tests.members.factories import SchoolFactory

pytestmark = [
    pytest.mark.e2e,
    # live_server needs real transactions; serialized_rollback brings back the stages a data
    # migration created, which the flush after each transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# Each label of the membership list's action bar, with the number of lines its words take.
ACTION_LABEL_LINES = r"""() => [...document.querySelectorAll("#changelist .actions label")].map(
  (label) => {
    const words = [...label.childNodes].find((n) => n.nodeType === 3 && n.data.trim());
    const range = document.createRange();
    range.selectNodeContents(words);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.bottom)));
    return [words.data.trim(), lines.size];
  })"""

# Each non-empty cell matched, with the number of lines its text takes (its text nodes'
# boxes: a <p> inside has a box of its own, lower by its padding).
CELL_LINES = r"""(selector) => [...document.querySelectorAll(selector)]
  .filter((cell) => cell.innerText.trim())
  .map((cell) => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const lines = new Set();
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const rect of range.getClientRects()) lines.add(Math.round(rect.bottom));
    }
    return [cell.innerText.trim(), lines.size];
  })"""


def admin_add(page, model: str) -> None:
    """From the admin's home page, follow the "add" link of a model ("app/model")."""
    page.goto("/admin/")
    page.locator(f'#content-main a.addlink[href$="/admin/{model}/add/"]').click()


def pick(page, field: str, text: str) -> None:
    """Choose in an autocomplete (select2) field: open it, type, click the exact match."""
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.get_by_role("option", name=text, exact=True).click()
    expect(page.locator(f"#id_{field} + .select2")).to_contain_text(text)


def today(page, field: str) -> None:
    """Click the date widget's "today" shortcut next to a date field."""
    page.locator(f"#id_{field} ~ .datetimeshortcuts a").first.click()


def approve(page, school_name: str) -> None:
    """On the membership list: tick the school's row, choose "approve", run the action."""
    row = page.locator("#result_list tbody tr", has_text=school_name)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()


def test_bureau_founds_a_group_and_the_member_cap_refuses_a_second_school(page, bureau):
    lead = SchoolFactory(name="青溪县实验小学")
    first = SchoolFactory(name="东河镇中心小学")
    second = SchoolFactory(name="西岭镇中心小学")
    group_name = "青溪县实验小学教育联盟"

    page.goto("/admin/login/")
    assert_accessible(page, "bureau-00-admin-login", accept=DJANGO_ADMIN)
    log_in(page, username="bureau", password=PASSWORD, path="/admin/")
    expect(page.locator("#user-tools")).to_contain_text("bureau")
    shoot(page, "bureau-01-admin-home")
    assert_accessible(page, "bureau-01-admin-home", accept=DJANGO_ADMIN)

    # Found the group, with a cap of one member school besides the lead school.
    admin_add(page, "alliance/schoolgroup")
    page.fill("#id_name", group_name)
    page.select_option("#id_mode", "alliance")
    pick(page, "lead_school", lead.name)
    today(page, "founded_on")
    page.fill("#id_member_cap_override", "1")
    shoot(page, "bureau-02-group-form")
    assert_accessible(page, "bureau-02-group-form", accept=DJANGO_ADMIN)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(group_name)
    expect(page.locator("#result_list")).to_contain_text(lead.name)

    # Two schools apply.
    admin_add(page, "members/membership")
    for school, button in [(first, "_addanother"), (second, "_save")]:
        pick(page, "group", group_name)
        pick(page, "school", school.name)
        today(page, "applied_on")
        if button == "_addanother":
            assert_accessible(page, "bureau-02b-membership-form", accept=DJANGO_ADMIN)
        page.locator(f"input[name={button}]").click()
        expect(page.locator(".messagelist .success")).to_contain_text(school.name)
    expect(page.locator("#result_list tbody tr")).to_have_count(3)  # the lead school too

    # The first approval fills the only place; the second is refused, with the reason.
    approve(page, first.name)
    expect(page.locator(".messagelist .info")).to_contain_text("1 所学校已批准")
    approve(page, second.name)
    refusal = page.locator(".messagelist .error")
    expect(refusal).to_contain_text(second.name)
    expect(refusal).to_contain_text(re.compile(r"上限为 1 所"))
    expect(page.locator(".messagelist .info")).to_have_count(0)  # nothing was approved
    shoot(page, "bureau-03-cap-refused")
    assert_accessible(page, "bureau-03-cap-refused", accept=DJANGO_ADMIN)

    group = SchoolGroup.objects.get(name=group_name)
    statuses = dict(Membership.objects.filter(group=group).values_list("school__name", "status"))
    assert statuses == {
        lead.name: MembershipStatus.ACTIVE,
        first.name: MembershipStatus.ACTIVE,
        second.name: MembershipStatus.APPLIED,
    }

    # On a phone the action bar's labels keep their words on one line (理由 read 理/由).
    page.set_viewport_size(PHONE)
    page.reload()
    labels = page.evaluate(ACTION_LABEL_LINES)
    assert [name for name, _lines in labels] == ["操作", "理由", "日期", "书面通知日期"]
    assert all(lines == 1 for _name, lines in labels), labels
    shoot(page, "bureau-04-membership-list-phone")

    # A membership's page is for reading (its changes are the list's actions). On a phone its
    # history keeps each cell on one line (2023-/08-28, 作/为/龙/头…) and scrolls sideways.
    page.locator("#result_list").get_by_role("link", name=first.name).click()
    expect(page.locator("h1")).to_have_text("查看成员资格")
    expect(page.locator("input[name=_save]")).to_have_count(0)
    cells = page.evaluate(CELL_LINES, ".inline-group tbody td")
    assert len(cells) >= 2 * 5, cells  # applied and approved, five columns or more each
    assert [cell for cell in cells if cell[1] > 1] == []
    shoot(page, "bureau-05-membership-page")
    assert_accessible(page, "bureau-05-membership-page", accept=DJANGO_ADMIN)
