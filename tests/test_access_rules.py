"""Every route, walked from the URL patterns, against the rule declared in access_rules.py."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from governance.models import ActionItem, CouncilSeat, Meeting, Resolution
from members.models import Membership, Staff
from tests.access_rules import OWN_DATA, PUBLIC, RULES

pytestmark = pytest.mark.django_db


def route_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from route_names(pattern.url_patterns, joined)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_declares_who_may_use_it():
    routes = {name for name in route_names() if not name.startswith("admin:")}
    undeclared = routes - set(RULES) - set(PUBLIC) - set(OWN_DATA)
    assert not undeclared, f"add an access rule to tests/access_rules.py for {sorted(undeclared)}"
    assert not (set(RULES) | set(PUBLIC) | set(OWN_DATA)) - routes, "rules for removed routes"


def url_of(name, county):
    return reverse(name, args=RULES[name].args(county))


def call(client, name, county, method=None):
    rule = RULES[name]
    method = method or rule.method
    # A GET sends no body: the client would put it in the query string.
    body = {} if method == "get" else rule.body(county)
    return getattr(client, method)(url_of(name, county), body, content_type="application/json")


@pytest.mark.parametrize("name", sorted(RULES))
def test_anonymous_users_are_refused(client, county, name):
    response = call(client, name, county)
    expected = 401 if name.startswith("api:") else 302
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "role"), [(n, r) for n in sorted(RULES) for r in sorted(RULES[n].readers)]
)
def test_readers_get_the_route(client, county, name, role):
    client.force_login(getattr(county, role))
    assert call(client, name, county, "get").status_code == 200


@pytest.mark.parametrize("name", sorted(n for n, r in RULES.items() if r.names_an_object))
def test_another_groups_user_gets_404_on_group_a_objects(client, county, name):
    client.force_login(county.principal_b1)
    assert call(client, name, county).status_code == 404


@pytest.mark.parametrize(
    ("name", "role"), [(n, r) for n in sorted(RULES) for r in sorted(RULES[n].read_only)]
)
def test_read_only_roles_get_403_on_writes(client, county, name, role):
    rule = RULES[name]
    client.force_login(getattr(county, role))
    if name.startswith("dashboard:") and rule.method == "get":
        method = "get"  # a page refuses the form before showing it
    elif rule.method != "get":
        method = rule.method
    else:
        method = "post" if rule.is_list else "patch"
    assert call(client, name, county, method).status_code == 403


def group_a_ids(county):
    schools = [county.a0.pk, county.a1.pk, county.a2.pk]
    return {
        "api:group-list": {county.group_a.pk},
        "api:school-list": set(schools),
        "api:membership-list": set(
            Membership.objects.filter(group=county.group_a).values_list("pk", flat=True)
        ),
        "api:staff-list": set(
            Staff.objects.filter(school__in=schools).values_list("pk", flat=True)
        ),
        "api:council-seat-list": set(
            CouncilSeat.objects.filter(group=county.group_a).values_list("pk", flat=True)
        ),
        "api:meeting-list": set(
            Meeting.objects.filter(group=county.group_a).values_list("pk", flat=True)
        ),
        "api:action-item-list": set(
            ActionItem.objects.filter(resolution__meeting__group=county.group_a).values_list(
                "pk", flat=True
            )
        ),
        "api:resolution-list": set(
            Resolution.objects.filter(meeting__group=county.group_a).values_list("pk", flat=True)
        ),
    }


@pytest.mark.parametrize("name", sorted(n for n, r in RULES.items() if r.is_list))
def test_lists_hold_nothing_of_another_group(client, county, name):
    for rule in RULES.values():
        rule.args(county)  # creates group A's meeting, seat and resolution
    client.force_login(county.principal_b1)
    response = call(client, name, county, "get")
    assert response.status_code == 200
    if name.startswith("api:"):
        hidden = group_a_ids(county)[name]
        ids = {row["id"] for row in response.json()["results"]}
        assert hidden and not ids & hidden
    else:
        assert county.group_a.name not in response.content.decode()
