"""Content-Security-Policy: on every response, and pages that need nothing it refuses."""

import re

import pytest
from django.urls import reverse

from tests.governance.factories import action_item, passed_resolution

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# What the policy refuses: style="…" and on…= attributes, javascript: links, and <script>
# elements without src.
INLINE_ATTRIBUTE = re.compile(
    r"<[^>]*\s((style|on[a-z]+)\s*=|href\s*=\s*[\"']?\s*javascript:)", re.IGNORECASE
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_dashboard_pages_the_sign_in_page_and_not_found_carry_the_policy(client, county):
    assert directives(client.get(reverse("login"))) == POLICY
    client.force_login(county.chair)
    assert directives(client.get(reverse("dashboard:home"))) == POLICY
    assert directives(client.get("/no-such-page/")) == POLICY


def test_the_admin_carries_the_policy(client, county):
    client.force_login(county.bureau)
    for url in (
        reverse("admin:index"),
        reverse("admin:alliance_schoolgroup_change", args=[county.group_a.pk]),
        reverse("admin:alliance_schoolgroup_history", args=[county.group_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert directives(response) == POLICY, url


def test_swagger_ui_takes_its_set_up_script_from_a_url_under_the_policy(client):
    docs = client.get(reverse("api:docs"))
    assert directives(docs) == POLICY
    html = docs.content.decode()
    assert not INLINE_SCRIPT.search(html) and "<style" not in html
    script_url = re.search(r'<script src="([^"]*[?&]script=[^"]*)"', html).group(1)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


def test_redoc_alone_may_inject_styles_and_loads_nothing_from_elsewhere(client):
    redoc = client.get(reverse("api:redoc"))
    policy = directives(redoc)
    # ReDoc writes its styles into <style> elements at run time and searches in a blob worker.
    assert policy == {
        **POLICY,
        "style-src": "'self' 'unsafe-inline'",
        "worker-src": "'self' blob:",
    }
    html = redoc.content.decode()
    assert "googleapis" not in html and "cdn" not in html.lower()
    assert not INLINE_SCRIPT.search(html) and "<style" not in html


def test_the_main_pages_have_no_inline_style_script_or_event_handler(client, county):
    resolution = passed_resolution(county)
    action_item(county, resolution)
    client.force_login(county.chair)
    group = county.group_a.pk
    for url in (
        reverse("dashboard:home"),
        reverse("dashboard:group-list"),
        reverse("dashboard:group-detail", args=[group]),
        reverse("dashboard:school-detail", args=[county.a1.pk]),
        reverse("dashboard:council", args=[group]),
        reverse("dashboard:quarterly-report", args=[group]),
        reverse("dashboard:meeting-new", args=[group]),
        reverse("dashboard:meeting-detail", args=[resolution.meeting.pk]),
        reverse("dashboard:membership-apply", args=[county.a0.pk]),
        reverse("password_change"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_ATTRIBUTE.search(html), (url, INLINE_ATTRIBUTE.search(html).group())
        assert not INLINE_SCRIPT.search(html), url
