"""Deployment settings, sign-in protection, security logging and the audit trail."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance import services as group_services
from alliance.audit import acting_as
from members import services
from members.models import Membership, Stage
from tests.conftest import PASSWORD
from tests.members.factories import SchoolFactory, past

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 30 + "9Zq!x" * 6,
    "ALLOWED_HOSTS": "groups.example.gov.cn",
}


def manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_production_settings_pass_the_deployment_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_the_development_secret():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_development_serves_plain_http(client):
    assert client.get(reverse("login")).status_code == 200


@pytest.mark.parametrize("password", ["short-1", "password1234", "qwertyuiop123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_password_needs_no_digits_capitals_or_symbols():
    validate_password("lanterns over the river")


def _browser_login(client, password, ip="10.0.0.1"):
    data = {"username": "bureau", "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_the_browser_login_locks_out_after_repeated_failures(client, bureau):
    # The fifth failure locks the account out from that address, the right password included.
    statuses = [_browser_login(client, "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = _browser_login(client, PASSWORD)
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    # The lock-out is per username and address: the same user elsewhere may still sign in.
    assert _browser_login(client, PASSWORD, ip="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_the_lock_out_is_per_client_not_per_proxy(client, bureau, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}  # one nginx

    def through_proxy(password, forwarded_for):
        data = {"username": "bureau", "password": password}
        return client.post(
            reverse("login"), data, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded_for
        )

    for _ in range(5):
        through_proxy("wrong", "198.51.100.66")
    # The attacker's own leftmost entry changes nothing: the proxy appended the real address.
    assert through_proxy(PASSWORD, "203.0.113.1, 198.51.100.66").status_code == 429
    # The bureau officer behind the same proxy is not locked out by a stranger's guesses.
    assert through_proxy(PASSWORD, "203.0.113.9").status_code == 302


@pytest.mark.django_db
def test_a_forwarded_entry_that_is_no_address_counts_as_the_proxys(client, bureau, settings):
    # A load balancer that appends "ip:port", or more proxies declared than there are.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 2}
    data = {"username": "bureau", "password": "wrong"}
    forwarded = {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "not-an-ip, 10.0.0.1"}
    assert client.post(reverse("login"), data, **forwarded).status_code == 200
    assert AccessAttempt.objects.get().ip_address == "10.0.0.9"


@pytest.mark.django_db
def test_the_security_log_names_the_client_behind_the_proxy(client, bureau, settings, caplog):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    caplog.set_level(logging.INFO, logger="alliance.security")
    data = {"username": "bureau", "password": "wrong"}
    client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert "login-failed user=bureau ip=203.0.113.9" in caplog.text


@pytest.mark.django_db
def test_the_token_endpoint_locks_out_after_repeated_failures(api, bureau):
    url = "/api/v1/auth/token/"
    for _ in range(5):
        api.post(url, {"username": "bureau", "password": "wrong"})
    locked = api.post(url, {"username": "bureau", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"  # the 15-minute cool-off, as a client reads it
    assert "token" not in locked.json()
    assert (
        "Too many failed sign-ins" in locked.json()["detail"]
        or "登录失败" in locked.json()["detail"]
    )


@pytest.mark.django_db
def test_sign_ins_and_refusals_are_logged_without_secrets(client, county, caplog):
    caplog.set_level(logging.INFO, logger="alliance.security")
    _browser_login(client, "not-the-password")
    _browser_login(client, PASSWORD)
    client.force_login(county.principal_a1)
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    client.post(f"/api/v1/memberships/{membership.pk}/approve/")  # visible, not allowed
    text = caplog.text
    assert "login-failed user=bureau ip=10.0.0.1" in text
    assert "login user=bureau ip=10.0.0.1" in text
    assert "refused status=403 user=principal_a1" in text
    assert "not-the-password" not in text
    assert PASSWORD not in text


@pytest.mark.django_db
def test_every_interface_leaves_an_audit_row_with_who_and_before_after(client, api, county):
    applications = [
        services.membership_apply(school=SchoolFactory(), group=county.group_a, by=county.bureau)
        for _ in range(2)
    ]
    api.force_authenticate(county.bureau)
    api.post(f"/api/v1/memberships/{applications[0].pk}/approve/")
    client.force_login(county.bureau)
    client.post(
        reverse("dashboard:membership-act", args=[applications[1].pk, "reject"]),
        {"reason": "材料不全"},
    )
    with acting_as(county.bureau):
        services.membership_warn(
            membership=Membership.objects.get(school=county.a1), by=county.bureau, reason="缺席"
        )
    changed = [*applications, Membership.objects.get(school=county.a1)]
    trail = {
        m.pk: m.history.filter(history_type="~").select_related("history_user").first()
        for m in changed
    }
    interfaces = [trail[m.pk].history_interface for m in changed]
    assert interfaces == ["api", "page", "command"]
    assert {row.history_user for row in trail.values()} == {county.bureau}
    trail = {row.history_interface: row for row in trail.values()}
    change = trail["api"].diff_against(trail["api"].prev_record)
    assert ("status", "applied", "active") in [(c.field, c.old, c.new) for c in change.changes]


@pytest.mark.django_db
def test_bureau_staff_read_the_audit_trail_in_the_admin_and_nobody_edits_it(client, county):
    row = Membership.history.first()
    client.force_login(county.bureau)
    changelist = reverse("admin:members_historicalmembership_changelist")
    assert client.get(changelist, {"history_user__id__exact": county.bureau.pk}).status_code == 200
    since = f"{past(1)}T00:00:00+08:00"
    assert client.get(changelist, {"history_date__gte": since}).status_code == 200
    detail = reverse("admin:members_historicalmembership_change", args=[row.pk])
    assert client.get(detail).status_code == 200
    assert client.post(detail, {}).status_code == 403
    delete = reverse("admin:members_historicalmembership_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Membership.history.filter(pk=row.pk).exists()
    client.force_login(county.chair)
    assert client.get(changelist).status_code in (302, 403)


@pytest.mark.django_db
def test_the_audit_trail_reads_in_chinese_with_field_names_labels_and_local_times(client, county):
    """It showed HISTORY DATE, "status: applied → active" and "… as of 2026-11-24 01:54:46+00:00"
    (UTC)."""
    approval = Membership.history.filter(history_type="~", status="active").first()
    client.force_login(county.bureau)
    page = client.get(reverse("admin:members_historicalmembership_changelist")).content.decode()
    assert "变更时间" in page and "变更人" in page
    assert "History date" not in page and "history type" not in page.lower()
    detail = reverse("admin:members_historicalmembership_change", args=[approval.pk])
    page = client.get(detail).content.decode()
    assert "状态: 已申请 → 正常" in page
    changed_at = timezone.localtime(approval.history_date).strftime("%Y-%m-%d %H:%M")
    assert f"（{changed_at} 时）" in page
    assert "+00:00" not in page


@pytest.mark.django_db
def test_the_audit_trail_names_who_changed_a_record_and_calls_no_user_the_system(client, county):
    """It showed the login ("bureau"), "None" for a change no user made, a "None" change reason,
    raw values ("applied → active") and simple-history's untranslated "Changes"."""
    county.bureau.first_name = "青溪县教育局"
    county.bureau.save()
    # The fixture's services ran outside a request, with no user, as a scheduled task's do.
    Membership.history.filter(school=county.a1).update(history_user=county.bureau)
    client.force_login(county.bureau)
    page = client.get(reverse("admin:members_historicalmembership_changelist")).content.decode()
    assert "青溪县教育局（bureau）" in page  # in the list and in the filter
    assert ">系统</a>" in page  # the filter's choice for changes no user made
    history = f"/admin/members/membership/{Membership.objects.get(school=county.a2).pk}/history/"
    page = client.get(history).content.decode()
    assert "<td>系统</td>" in page
    assert "None" not in page and "Changes" not in page
    assert "变更（修改前 → 修改后）" in page
    assert "<strong>状态:</strong> 已申请&nbsp;&rarr;&nbsp;正常" in page  # not applied → active
    # A line of the trail, on its own page.
    line = Membership.history.filter(school=county.a2).first()
    detail = reverse("admin:members_historicalmembership_change", args=[line.pk])
    assert '<div class="readonly">系统</div>' in client.get(detail).content.decode()


@pytest.mark.django_db
def test_a_foreign_key_set_from_empty_reads_as_a_dash_and_the_record_it_names(client, county):
    """A group given a stage read "学段: Deleted 学段 (pk=None) → 小学" on its history page and
    "— → primary" (the key) in the trail."""
    primary = Stage.objects.get(code="primary")
    group_services.group_update(group=county.group_a, by=county.bureau, stage=primary)
    client.force_login(county.bureau)
    history = reverse("admin:alliance_schoolgroup_history", args=[county.group_a.pk])
    page = client.get(history).content.decode()
    assert "<strong>学段:</strong> —&nbsp;&rarr;&nbsp;小学" in page
    assert "Deleted" not in page
    line = county.group_a.history.first()
    detail = reverse("admin:alliance_historicalschoolgroup_change", args=[line.pk])
    assert "学段: — → 小学" in client.get(detail).content.decode()


FOREIGN_HOST_REQUEST = """
import django
django.setup()
from django.test import Client
print(Client().get("/accounts/login/", HTTP_HOST="203.0.113.5").status_code)
"""


def test_a_request_for_a_foreign_host_is_refused_without_an_error_in_the_log():
    # In a process of its own: under pytest, every logger has pytest's capture handlers, which
    # hide what the site's logging configuration alone would print.
    run = subprocess.run(
        [sys.executable, "-c", FOREIGN_HOST_REQUEST],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "alliance.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stdout.strip() == "400", run.stderr
    assert "Invalid HTTP_HOST" not in run.stderr
