"""Who sees what, from the outside: every role against pages and API alike.

404 for what a user may not see (never 403, never in a list), 403 for what they may see but
not change. `granted_b` is an integration login given django-guardian's view permission on
group B only.
"""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from members.models import Membership
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

USERS = ["anon", "bureau", "chair", "principal_a1", "teacher_a1", "principal_b1", "outsider"]


@pytest.fixture
def people(county):
    granted = UserFactory(username="granted_b")
    assign_perm("alliance.view_schoolgroup", granted, county.group_b)
    users = {name: getattr(county, name) for name in USERS if name != "anon"}
    return {"anon": None, **users, "granted_b": granted}


@pytest.fixture
def urls(county):
    membership_a1 = Membership.objects.get(school=county.a1, group=county.group_a)
    teacher_staff = county.teacher_a1.staff
    return {
        "group_a_page": reverse("dashboard:group-detail", args=[county.group_a.pk]),
        "group_b_page": reverse("dashboard:group-detail", args=[county.group_b.pk]),
        "a1_page": reverse("dashboard:school-detail", args=[county.a1.pk]),
        "a2_page": reverse("dashboard:school-detail", args=[county.a2.pk]),
        "b1_page": reverse("dashboard:school-detail", args=[county.b1.pk]),
        "group_a_api": f"/api/v1/groups/{county.group_a.pk}/",
        "a1_api": f"/api/v1/schools/{county.a1.pk}/",
        "b1_api": f"/api/v1/schools/{county.b1.pk}/",
        "membership_a1_api": f"/api/v1/memberships/{membership_a1.pk}/",
        "teacher_a1_api": f"/api/v1/staff/{teacher_staff.pk}/",
    }


# (url key, {user: expected status}); users not named expect 404 (302/401 for anonymous).
READ_MATRIX = [
    ("group_a_page", {"bureau": 200, "chair": 200, "principal_a1": 200, "teacher_a1": 200}),
    ("group_b_page", {"bureau": 200, "principal_b1": 200, "granted_b": 200}),
    ("a1_page", {"bureau": 200, "chair": 200, "principal_a1": 200, "teacher_a1": 200}),
    ("a2_page", {"bureau": 200, "chair": 200}),
    ("b1_page", {"bureau": 200, "principal_b1": 200, "granted_b": 200}),
    ("group_a_api", {"bureau": 200, "chair": 200, "principal_a1": 200, "teacher_a1": 200}),
    ("a1_api", {"bureau": 200, "chair": 200, "principal_a1": 200, "teacher_a1": 200}),
    ("b1_api", {"bureau": 200, "principal_b1": 200, "granted_b": 200}),
    ("membership_a1_api", {"bureau": 200, "chair": 200, "principal_a1": 200}),
    ("teacher_a1_api", {"bureau": 200, "chair": 200, "principal_a1": 200, "teacher_a1": 200}),
]


@pytest.mark.parametrize("who", [*USERS, "granted_b"])
@pytest.mark.parametrize(("url_key", "allowed"), READ_MATRIX, ids=[r[0] for r in READ_MATRIX])
def test_read_access_matrix(client, people, urls, who, url_key, allowed):
    if people[who] is not None:
        client.force_login(people[who])
    response = client.get(urls[url_key])
    if who == "anon":
        expected = 401 if url_key.endswith("_api") else 302
    else:
        expected = allowed.get(who, 404)
    assert response.status_code == expected


LIST_MATRIX = {
    "bureau": {"a0", "a1", "a2", "b0", "b1"},
    "chair": {"a0", "a1", "a2"},
    "principal_a1": {"a1"},
    "teacher_a1": {"a1"},
    "principal_b1": {"b1"},
    "outsider": set(),
    "granted_b": {"b0", "b1"},
}


@pytest.mark.parametrize("who", LIST_MATRIX)
def test_school_lists_hold_only_visible_schools(api, county, people, who):
    names = {getattr(county, key).pk: key for key in ("a0", "a1", "a2", "b0", "b1")}
    api.force_authenticate(people[who])
    rows = api.get("/api/v1/schools/?page_size=200").json()["results"]
    assert {names.get(row["id"], row["id"]) for row in rows} == LIST_MATRIX[who]


# The county has one staff record per login: chair (A0), principal and teacher (A1), and B1.
STAFF_MATRIX = {
    "bureau": {"a0", "a1", "b1"},
    "chair": {"a0", "a1"},  # every current member school of the chaired group
    "principal_a1": {"a1"},  # own school
    "teacher_a1": {"a1"},  # oneself
    "principal_b1": {"b1"},
    "outsider": set(),
    "granted_b": set(),  # a grant on a group does not open its staff records
}
STAFF_COUNTS = {"bureau": 4, "chair": 3, "principal_a1": 2, "teacher_a1": 1, "principal_b1": 1}


@pytest.mark.parametrize("who", STAFF_MATRIX)
def test_staff_lists_hold_only_visible_staff(api, county, people, who):
    names = {getattr(county, key).pk: key for key in ("a0", "a1", "a2", "b0", "b1")}
    api.force_authenticate(people[who])
    body = api.get("/api/v1/staff/").json()
    assert {names[row["school"]["id"]] for row in body["results"]} == STAFF_MATRIX[who]
    assert body["count"] == STAFF_COUNTS.get(who, 0)


WRITE_MATRIX = [
    # (who, method, url key, body, expected)
    ("chair", "patch", "group_a_api", {"charter": "新章程"}, 403),
    ("principal_b1", "patch", "group_a_api", {"charter": "新章程"}, 404),
    ("bureau", "patch", "group_a_api", {"charter": "新章程"}, 200),
    ("principal_a1", "patch", "a1_api", {"address": "新地址"}, 403),
    ("principal_b1", "patch", "a1_api", {"address": "新地址"}, 404),
    ("chair", "post", "membership_a1_approve", {}, 403),
    ("principal_b1", "post", "membership_a1_approve", {}, 404),
    ("teacher_a1", "post", "membership_a1_withdraw", {"notice_on": "2020-01-01"}, 404),
    ("chair", "post", "membership_a1_withdraw", {}, 403),
    ("principal_a1", "post", "membership_a1_warn", {"reason": "x"}, 403),
    ("chair", "post", "groups_api", {"name": "x"}, 403),
    ("principal_a1", "post", "schools_api", {"name": "x"}, 403),
]


@pytest.mark.parametrize(("who", "method", "url_key", "body", "expected"), WRITE_MATRIX)
def test_write_access_matrix(api, people, urls, who, method, url_key, body, expected):
    membership = urls["membership_a1_api"]
    urls = {
        **urls,
        "membership_a1_approve": membership + "approve/",
        "membership_a1_withdraw": membership + "withdraw/",
        "membership_a1_warn": membership + "warn/",
        "groups_api": "/api/v1/groups/",
        "schools_api": "/api/v1/schools/",
    }
    api.force_authenticate(people[who])
    response = getattr(api, method)(urls[url_key], body, format="json")
    assert response.status_code == expected, response.content


def test_a_principal_typing_another_groups_school_url_gets_the_not_found_page(client, county):
    client.force_login(county.principal_a1)
    response = client.get(reverse("dashboard:school-detail", args=[county.b1.pk]))
    assert response.status_code == 404
    assert county.b1.name.encode() not in response.content


def test_the_group_page_shows_member_names_but_links_only_visible_schools(client, county):
    client.force_login(county.principal_a1)
    page = client.get(reverse("dashboard:group-detail", args=[county.group_a.pk])).content.decode()
    assert county.a2.name in page
    assert reverse("dashboard:school-detail", args=[county.a2.pk]) not in page
    assert reverse("dashboard:school-detail", args=[county.a1.pk]) in page


def test_filtering_by_a_hidden_school_looks_like_filtering_by_a_missing_one(api, county):
    api.force_authenticate(county.principal_a1)
    hidden = api.get("/api/v1/staff/", {"school": county.b1.pk})
    missing = api.get("/api/v1/staff/", {"school": 999999})
    assert hidden.status_code == missing.status_code == 400


def test_the_browsable_api_shows_no_school_choices_to_a_principal(client, county):
    client.force_login(county.principal_b1)
    staff = county.principal_b1.staff
    page = client.get(f"/api/v1/staff/{staff.pk}/", HTTP_ACCEPT="text/html").content.decode()
    assert county.a2.name not in page
    page = client.get("/api/v1/memberships/", HTTP_ACCEPT="text/html").content.decode()
    assert county.a2.name not in page and county.group_a.name not in page
