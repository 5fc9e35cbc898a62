"""A principal whose school is in no group applies to one, sees they picked the wrong group, takes
the application back (撤回申请) and applies to the right one, on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from members.models import Membership, MembershipStatus, Post
from tests.conftest import PASSWORD, staff_user
from tests.e2e.browser import PHONE, assert_accessible, horizontal_overflow, log_in, shoot
from tests.members.factories import SchoolFactory

pytestmark = [
    pytest.mark.e2e,
    # live_server needs real transactions; serialized_rollback brings back the stages a data
    # migration created, which the flush after each transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def apply(page, group_name: str) -> None:
    page.get_by_role("link", name="申请加入集团").click()
    # Each option reads "name · mode · stage · places free": pick the group by its name.
    groups = page.get_by_label("集团")
    groups.select_option(groups.locator("option", has_text=group_name).get_attribute("value"))
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("申请已提交")


def test_a_principal_takes_back_an_application_to_the_wrong_group_and_applies_again(page, county):
    school = SchoolFactory(name="北山乡中心小学")
    staff_user(school=school, post=Post.PRINCIPAL, username="principal_new")
    page.set_viewport_size(PHONE)
    log_in(page, username="principal_new", password=PASSWORD)
    page.locator("header.topbar").get_by_role("link", name="我的学校").click()

    apply(page, county.group_b.name)
    membership = page.locator("article.membership", has_text=county.group_b.name)
    expect(membership).to_contain_text("已申请")
    # One open application at a time: no second Apply while this one waits.
    expect(page.get_by_role("link", name="申请加入集团")).to_have_count(0)
    assert horizontal_overflow(page) == 0
    shoot(page, "application-01-applied")
    assert_accessible(page, "application-01-applied")

    membership.get_by_role("link", name="撤回申请").click()
    expect(page.locator("h1")).to_contain_text("撤回申请")
    page.get_by_label("理由").fill("选错了集团")
    page.get_by_role("button", name="撤回申请").click()
    expect(page.locator(".messages")).to_contain_text("申请已撤回")
    expect(page.locator("article.membership", has_text=county.group_b.name)).to_contain_text(
        "选错了集团"
    )
    shoot(page, "application-02-withdrawn")

    apply(page, county.group_a.name)
    statuses = dict(Membership.objects.filter(school=school).values_list("group", "status"))
    assert statuses == {
        county.group_b.pk: MembershipStatus.CANCELLED,
        county.group_a.pk: MembershipStatus.APPLIED,
    }
    shoot(page, "application-03-applied-again")
