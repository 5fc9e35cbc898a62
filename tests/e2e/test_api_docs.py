"""An integrator reads the API documentation: Swagger UI and ReDoc work under the site's CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    # live_server needs real transactions; serialized_rollback brings back the stages a data
    # migration created, which the flush after each transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_swagger_ui_lists_the_operations_with_its_set_up_script_from_a_file(page):
    page.goto("/api/v1/docs/")
    approve = page.locator(".opblock-summary", has_text="/api/v1/memberships/{id}/approve/")
    expect(approve).to_be_visible()
    approve.click()
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()


def test_redoc_lists_the_operations_and_only_its_makers_cdn_logo_is_refused(
    page, csp_violations, csp_expected
):
    csp_expected.append("cdn.redoc.ly")
    page.goto("/api/v1/redoc/")
    expect(page.get_by_role("heading", name="memberships_approve_create")).to_be_visible()
    # ReDoc hard-codes its maker's logo from cdn.redoc.ly: the policy refuses it (nothing comes
    # from a CDN) and ReDoc hides the broken image. Its styles and search worker are allowed.
    for _ in range(50):
        if any("cdn.redoc.ly" in violation for violation in csp_violations):
            break
        page.wait_for_timeout(100)
    assert any("cdn.redoc.ly" in violation for violation in csp_violations)
