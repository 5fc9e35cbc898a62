"""A principal signs in, sees only their own school and group, and cannot reach another's; and
changes their password from the top bar.

The county's users are made for each test (the database is flushed after it), so a changed
password does not outlive the test.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.browser import assert_accessible, horizontal_overflow, log_in, shoot

pytestmark = [
    pytest.mark.e2e,
    # live_server needs real transactions; serialized_rollback brings back the stages a data
    # migration created, which the flush after each transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_principal_sees_only_their_school_and_group_and_another_school_is_not_found(page, county):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))  # sign in first
    shoot(page, "principal-01-login")
    assert_accessible(page, "principal-01-login")

    log_in(page, username="principal_a1", password=PASSWORD)
    expect(page.locator("h1")).to_have_text("工作台")
    topbar = page.locator("header.topbar")
    expect(topbar).to_contain_text(county.a1.name)
    expect(topbar).to_contain_text("校长")
    main = page.locator("main")
    expect(main).to_contain_text(county.group_a.name)
    expect(main).not_to_contain_text(county.group_b.name)
    expect(main).not_to_contain_text(county.b1.name)
    assert horizontal_overflow(page) == 0
    shoot(page, "principal-02-dashboard")
    assert_accessible(page, "principal-02-dashboard")

    # Their own school, through the navigation.
    topbar.get_by_role("link", name="我的学校").click()
    expect(page.locator("h1")).to_have_text(county.a1.name)
    expect(page.locator("main")).to_contain_text(county.group_a.name)
    assert horizontal_overflow(page) == 0
    shoot(page, "principal-03-own-school")
    assert_accessible(page, "principal-03-own-school")

    # Another group's school, typed into the address bar: not found, not forbidden.
    response = page.goto(f"/schools/{county.b1.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(county.b1.name)
    shoot(page, "principal-04-other-school-not-found")
    assert_accessible(page, "principal-04-other-school-not-found")


def test_a_principal_changes_their_password_from_the_top_bar_and_signs_in_with_it(page, county):
    new_password = "qingxi-spring-2026"
    new = re.compile(r"^新密码[:：]?$")  # the label is "新密码:"; not "新密码确认"
    log_in(page, username="principal_a1", password=PASSWORD)
    page.locator("header.topbar").get_by_role("link", name="修改密码").click()
    expect(page.locator("h1")).to_have_text("修改密码")
    old = page.get_by_label("旧密码")
    shoot(page, "principal-05-password-form")
    assert_accessible(page, "principal-05-password-form")

    # A wrong old password: the form comes back with the error beside the field, named by it.
    old.fill("not-my-password-1")
    page.get_by_label(new).fill(new_password)
    page.get_by_label("新密码确认").fill(new_password)
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("h1")).to_have_text("修改密码")
    error = page.locator("#id_old_password_error")
    expect(error).to_have_text("你的旧密码不正确。请重新输入。")
    expect(old).to_have_attribute("aria-describedby", re.compile(r"\bid_old_password_error\b"))
    expect(old).to_have_attribute("aria-invalid", "true")
    assert horizontal_overflow(page) == 0
    shoot(page, "principal-06-password-wrong-old")
    assert_accessible(page, "principal-06-password-wrong-old")

    # The right one: back on the dashboard, told so, still signed in.
    old.fill(PASSWORD)
    page.get_by_label(new).fill(new_password)
    page.get_by_label("新密码确认").fill(new_password)
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator(".flash.success")).to_have_text("密码已修改。")
    expect(page.locator("h1")).to_have_text("工作台")
    shoot(page, "principal-07-password-changed")
    assert_accessible(page, "principal-07-password-changed")

    # Signed out, the old password no longer works and the new one does.
    page.locator("header.topbar").get_by_role("button", name="退出登录").click()
    expect(page.locator(".flash.info")).to_have_text("您已退出登录。")
    log_in(page, username="principal_a1", password=PASSWORD)
    expect(page.locator("h1")).to_have_text("登录")
    expect(page.locator("main .flash.error")).to_contain_text("请输入一个正确的")
    log_in(page, username="principal_a1", password=new_password)
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator("header.topbar")).to_contain_text(county.a1.name)
