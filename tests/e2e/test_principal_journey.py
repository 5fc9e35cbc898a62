"""A principal signs in, sees only their own school and group, and cannot reach another's."""

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
