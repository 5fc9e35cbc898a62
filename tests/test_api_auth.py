"""Machine clients: hashed, expiring, revocable tokens; browsers: session with CSRF."""

import datetime

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
DAY = datetime.timedelta(days=1)


def obtain(api, username, password=PASSWORD):
    return api.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_a_client_gets_a_token_with_username_and_password_and_uses_it(api, county):
    response = obtain(api, "principal_a1")
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["expiry"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    rows = client.get("/api/v1/schools/").json()["results"]
    assert [row["id"] for row in rows] == [county.a1.pk]


def test_tokens_are_stored_hashed(api, county):
    token = obtain(api, "bureau").json()["token"]
    stored = AuthToken.objects.get(user=county.bureau)
    assert token not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128


def test_a_wrong_password_gets_a_clear_400(api, county):
    response = obtain(api, "bureau", "wrong")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_revoking_one_token_leaves_the_other_clients_working(api, county):
    first, second = (obtain(api, "bureau").json()["token"] for _ in range(2))
    one, two = APIClient(), APIClient()
    one.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    two.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert one.post("/api/v1/auth/token/revoke/").status_code == 204
    assert one.get("/api/v1/groups/").status_code == 401
    assert two.get("/api/v1/groups/").status_code == 200


def test_an_expired_token_is_refused(api, county):
    token = obtain(api, "bureau").json()["token"]
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/groups/").status_code == 401


def test_a_token_in_use_lives_on_up_to_its_maximum_age(api, county, settings):
    token = obtain(api, "bureau").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    now = timezone.now()
    # Used 29 days after it was issued, a day before it would expire: 30 more days.
    AuthToken.objects.update(created=now - datetime.timedelta(days=29), expiry=now + DAY)
    assert api.get("/api/v1/groups/").status_code == 200
    expiry = AuthToken.objects.get().expiry
    assert expiry > now + datetime.timedelta(days=29)
    # Near its maximum age (a year by default), it is renewed no further.
    AuthToken.objects.update(created=now - datetime.timedelta(days=364), expiry=now + DAY)
    assert api.get("/api/v1/groups/").status_code == 200
    assert AuthToken.objects.get().expiry <= now + datetime.timedelta(days=1, seconds=5)


def test_token_requests_are_throttled(api, county):
    # Distinct usernames, so this measures the rate limit and not the per-user lock-out.
    statuses = [obtain(api, f"nobody{n}", "wrong").status_code for n in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_session_writes_need_the_csrf_token(county):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(county.bureau)
    response = browser.patch(
        f"/api/v1/groups/{county.group_a.pk}/", {"charter": "x"}, format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
