"""Fixes from review: back-dated memberships, the staff form's school, the sync filter's range,
and a school's stages in its audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from alliance.api.filters import StorableDateTimeField
from members import services
from members.models import Membership, School, Staff, Stage
from members.selectors import member_school_ids_on
from tests.alliance.factories import make_group
from tests.members.factories import past

pytestmark = pytest.mark.django_db


def _leave_group_a(county, *, left_on):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    services.membership_withdraw(
        membership=membership, by=county.bureau, notice_on=past(20), left_on=left_on
    )


def test_an_application_cannot_be_dated_before_the_school_left_its_last_group(county):
    _leave_group_a(county, left_on=past(10))
    with pytest.raises(ValidationError) as refused:
        services.membership_apply(
            school=county.a1, group=county.group_b, by=county.bureau, applied_on=past(250)
        )
    [message] = refused.value.message_dict["applied_on"]
    assert county.group_a.name in message and past(10).isoformat() in message
    assert not Membership.objects.filter(school=county.a1, group=county.group_b).exists()


def test_a_school_joins_its_next_group_from_the_day_it_left_the_last(county):
    # left_on is the first day out (member_school_ids_on): joining on it overlaps nothing.
    _leave_group_a(county, left_on=past(10))
    application = services.membership_apply(
        school=county.a1, group=county.group_b, by=county.bureau, applied_on=past(10)
    )
    services.membership_approve(membership=application, by=county.bureau, approved_on=past(10))
    assert county.a1.pk not in member_school_ids_on(group=county.group_a, day=past(10))
    assert county.a1.pk in member_school_ids_on(group=county.group_b, day=past(10))
    assert county.a1.pk in member_school_ids_on(group=county.group_a, day=past(11))
    assert county.a1.pk not in member_school_ids_on(group=county.group_b, day=past(11))


def test_an_older_application_cannot_be_approved_before_the_school_left(county):
    _leave_group_a(county, left_on=past(10))
    application = services.membership_apply(
        school=county.a1, group=county.group_b, by=county.bureau, applied_on=past(5)
    )
    # As an application recorded before the rule was enforced could be.
    Membership.objects.filter(pk=application.pk).update(applied_on=past(250))
    with pytest.raises(ValidationError) as refused:
        services.membership_approve(membership=application, by=county.bureau, approved_on=past(240))
    assert past(10).isoformat() in refused.value.message_dict["approved_on"][0]
    application.refresh_from_db()
    assert application.status == "applied"


def test_a_group_cannot_be_founded_before_its_lead_school_left_its_last_group(county):
    _leave_group_a(county, left_on=past(10))
    with pytest.raises(ValidationError) as refused:
        make_group(by=county.bureau, lead=county.a1, founded_on=past(100))
    assert past(10).isoformat() in refused.value.message_dict["founded_on"][0]
    assert not Membership.objects.filter(school=county.a1, status="active").exists()


def test_the_api_names_the_day_the_school_left_beside_the_application_date(county, api):
    _leave_group_a(county, left_on=past(10))
    api.force_authenticate(county.bureau)
    response = api.post(
        "/api/v1/memberships/",
        {"school": county.a1.pk, "group": county.group_b.pk, "applied_on": str(past(250))},
        format="json",
    )
    assert response.status_code == 400
    assert past(10).isoformat() in response.json()["applied_on"][0]


def test_moving_staff_to_a_hidden_school_is_the_same_400_as_to_a_missing_one(county, api):
    api.force_authenticate(county.principal_a1)
    url = f"/api/v1/staff/{county.teacher_a1.staff.pk}/"
    hidden = api.patch(url, {"school": county.b1.pk}, format="json")
    missing = api.patch(url, {"school": 987654}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert set(hidden.json()) == set(missing.json()) == {"school"}
    county.teacher_a1.staff.refresh_from_db()
    assert county.teacher_a1.staff.school == county.a1


def test_the_bureau_still_moves_staff_to_any_school(county, api):
    api.force_authenticate(county.bureau)
    url = f"/api/v1/staff/{county.teacher_a1.staff.pk}/"
    response = api.patch(url, {"school": county.b1.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["school"]["id"] == county.b1.pk


SYNCED_LISTS = [
    "groups",
    "schools",
    "memberships",
    "staff",
    "council-seats",
    "meetings",
    "resolutions",
    "action-items",
]


@pytest.mark.parametrize("list_url", SYNCED_LISTS)
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"])
def test_a_sync_time_out_of_range_is_a_400_on_the_field(county, api, list_url, when):
    api.force_authenticate(county.bureau)
    response = api.get(f"/api/v1/{list_url}/", {"updated_at__gte": when})
    assert response.status_code == 400
    assert list(response.json()) == ["updated_at__gte"]


def test_a_sync_time_with_an_offset_postgresql_does_not_take_still_lists(county, api):
    """+23:20 is an offset Python reads and PostgreSQL refuses: a 500 the fuzzing found."""
    api.force_authenticate(county.bureau)
    when = "2026-01-01T06:16:22+23:20"
    response = api.get("/api/v1/staff/", {"updated_at__gte": when})
    assert response.status_code == 200
    assert response.json()["count"] == Staff.objects.count()
    # Passed on in UTC (SQLite converts by itself, PostgreSQL does not).
    assert StorableDateTimeField().clean(when).utcoffset() == datetime.timedelta(0)


def test_the_earliest_sync_time_in_range_still_lists_everything(county, api):
    api.force_authenticate(county.bureau)
    response = api.get("/api/v1/schools/", {"updated_at__gte": "0001-01-02T00:00:00Z"})
    assert response.status_code == 200
    assert response.json()["count"] == School.objects.count()


def test_a_change_of_stages_shows_in_the_schools_audit_trail(county, api):
    api.force_authenticate(county.bureau)
    before = county.a1.history.count()
    response = api.patch(f"/api/v1/schools/{county.a1.pk}/", {"stages": ["junior"]}, format="json")
    assert response.status_code == 200
    assert county.a1.history.count() == before + 1  # one line, not one per stage added or removed
    new, old = county.a1.history.all()[:2]
    [change] = new.diff_against(old).changes
    assert change.field == "stages"
    assert [row["stage"] for row in change.old] == ["primary"]
    assert [row["stage"] for row in change.new] == ["junior"]


def test_a_new_schools_audit_trail_records_its_stages(county, api):
    api.force_authenticate(county.bureau)
    response = api.post(
        "/api/v1/schools/",
        {"code": "3300000001", "name": "新学校", "district": "城关镇", "stages": ["primary"]},
        format="json",
    )
    assert response.status_code == 201
    latest = School.objects.get(code="3300000001").history.first()
    assert [row.stage_id for row in latest.stages.all()] == ["primary"]


def test_the_admin_history_page_and_trail_name_a_schools_stages_before_and_after(county, client):
    client.force_login(county.bureau)
    stages = Stage.objects.filter(code__in=["junior", "primary"])
    services.school_save(school=county.a1, by=county.bureau, stages=list(stages))
    # In the stages' own order (小学 before 初中), not by code point.
    page = client.get(f"/admin/members/school/{county.a1.pk}/history/").content.decode()
    assert "学段:</strong> 小学&nbsp;&rarr;&nbsp;小学、初中" in page
    line = county.a1.history.first()
    page = client.get(f"/admin/members/historicalschool/{line.pk}/change/").content.decode()
    assert "学段: 小学 → 小学、初中" in page
    assert "&lt;Stage" not in page and "&#x27;stage&#x27;" not in page  # no link-table rows
