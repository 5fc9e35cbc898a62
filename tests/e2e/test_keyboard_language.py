"""A keyboard user on the language picker: arrowing through the languages changes nothing
until they press the switch button (WCAG 3.2.2, on input)."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_arrowing_through_the_languages_waits_for_the_switch_button(page):
    page.goto("/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    page.evaluate("window.stillHere = true")  # gone if the page reloads

    picker = page.get_by_label("语言")
    picker.focus()
    page.keyboard.press("ArrowDown")
    expect(picker).to_have_value("en")
    page.wait_for_timeout(500)  # long enough for a reload to start
    assert page.evaluate("window.stillHere === true"), "the page reloaded on an arrow key"
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="切换")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Log in")
    expect(page.locator("html")).to_have_attribute("lang", "en")
