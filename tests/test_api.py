"""The REST API as an integrating engineer uses it: transitions, errors, filters, query counts."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance import services
from members.models import Membership, MembershipStatus, Post, School
from tests.conftest import join, staff_user
from tests.members.factories import SchoolFactory, StaffFactory, past

pytestmark = pytest.mark.django_db


def test_a_membership_goes_through_its_life_cycle_over_the_api(api, county):
    school = SchoolFactory()
    api.force_authenticate(county.bureau)
    body = {"school": school.pk, "group": county.group_a.pk, "applied_on": str(past(9))}
    created = api.post("/api/v1/memberships/", body, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/memberships/{created.json()['id']}/"
    approved = api.post(url + "approve/", {"approved_on": str(past(8))}, format="json")
    assert approved.json()["status"] == "active"
    api.force_authenticate(county.chair)
    warned = api.post(url + "warn/", {"reason": "缺席理事会议"}, format="json").json()
    assert warned["status"] == "warned"
    api.force_authenticate(county.bureau)
    left = api.post(url + "withdraw/", {"notice_on": str(past(1))}, format="json").json()
    assert left["status"] == "withdrawn"
    assert [e["action"] for e in left["events"]] == ["applied", "approved", "warned", "withdrawn"]
    # By name, as the school's page says: the chair reading it was given the bureau's login.
    county.bureau.last_name, county.bureau.first_name = "教育局", "王科长"
    county.bureau.save()
    api.force_authenticate(county.chair)
    events = api.get("/api/v1/memberships/", {"school": school.pk}).json()["results"][0]["events"]
    assert events[0]["by"] == "教育局王科长"


def test_approving_past_the_cap_is_a_400_with_the_reason_and_changes_nothing(api, county):
    county.group_a.member_cap_override = 2
    county.group_a.save()
    membership = Membership.objects.create(
        group=county.group_a, school=SchoolFactory(), applied_on=past(2)
    )
    api.force_authenticate(county.bureau)
    response = api.post(f"/api/v1/memberships/{membership.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert "上限为 2" in response.json()["non_field_errors"][0]
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPLIED


def test_errors_come_in_chinese_by_default_and_in_english_on_request(api, bureau):
    api.force_authenticate(bureau)
    body = {"code": "12345", "name": "x", "district": "x", "stages": ["primary"]}
    chinese = api.post("/api/v1/schools/", body, format="json")
    english = api.post("/api/v1/schools/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 400
    assert "学校标识码" in chinese.json()["code"][0]
    assert "exactly 10 digits" in english.json()["code"][0]
    assert not School.objects.exists()


def test_a_duplicate_school_code_is_a_field_error(api, county):
    api.force_authenticate(county.bureau)
    body = {"code": county.a1.code, "name": "重复", "district": "城关镇", "stages": ["primary"]}
    response = api.post("/api/v1/schools/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "already exists" in response.json()["code"][0]


def test_the_bureau_founds_a_group_and_its_lead_school_becomes_a_member(api, bureau):
    lead = SchoolFactory()
    api.force_authenticate(bureau)
    body = {
        "name": "南山教育集团",
        "mode": "tight",
        "lead_school": lead.pk,
        "founded_on": "2024-09-01",
    }
    response = api.post("/api/v1/groups/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["member_cap"] == 3
    assert response.json()["current_member_count"] == 1
    assert response.json()["member_count"] == 0  # what member_cap limits: the lead is not counted
    assert Membership.objects.get(school=lead).status == MembershipStatus.ACTIVE


def test_a_second_principal_for_a_school_is_refused(api, county):
    api.force_authenticate(county.bureau)
    body = {"staff_no": "X1", "name": "王五", "school": county.a1.pk, "post": "principal"}
    response = api.post("/api/v1/staff/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "already has a principal" in str(response.json())


def test_staff_filter_search_and_pagination(api, county):
    StaffFactory.create_batch(30, school=county.a1, subject="数学")
    StaffFactory(school=county.a1, name="张三丰", is_backbone=True)
    api.force_authenticate(county.bureau)
    page = api.get("/api/v1/staff/", {"school": county.a1.pk, "subject": "数学", "page_size": 10})
    assert page.json()["count"] == 30
    assert len(page.json()["results"]) == 10
    assert page.json()["next"]
    found = api.get("/api/v1/staff/", {"search": "张三丰"}).json()["results"]
    assert [row["name"] for row in found] == ["张三丰"]
    backbone = api.get("/api/v1/staff/", {"is_backbone": "true"}).json()["count"]
    assert backbone == 1
    principals = api.get("/api/v1/staff/", {"post": Post.PRINCIPAL}).json()["count"]
    assert principals == 3


def test_a_true_false_filter_refuses_a_value_that_is_neither(api, county):
    """django-filter dropped ?is_active=no as if it were not there: an HR sync asking for the
    staff no longer in post got every one."""
    StaffFactory(school=county.a1, name="离岗教师", is_active=False)
    api.force_authenticate(county.bureau)
    for asked in ("no", "maybe", "-1"):
        response = api.get("/api/v1/staff/", {"is_active": asked}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400
        assert response.json() == {"is_active": ["请填写 true 或 false（也可用 1 或 0）。"]}
    for asked in ("false", "0", "False"):
        gone = api.get("/api/v1/staff/", {"is_active": asked}).json()["results"]
        assert [row["name"] for row in gone] == ["离岗教师"]
    items = api.get("/api/v1/action-items/", {"done_on__isnull": "yes"})
    assert items.status_code == 400 and set(items.json()) == {"done_on__isnull"}


def test_a_chair_filters_the_memberships_by_a_school_that_has_left(api, county):
    """The list shows the membership of a school that withdrew; filtering by that school was a
    400 (not a valid choice)."""
    left = Membership.objects.get(group=county.group_a, school=county.a2)
    api.force_authenticate(county.bureau)
    url = f"/api/v1/memberships/{left.pk}/withdraw/"
    assert api.post(url, {"notice_on": str(past(1))}, format="json").status_code == 200
    api.force_authenticate(county.chair)
    listed = api.get("/api/v1/memberships/", {"school": county.a2.pk})
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [left.pk]
    # A school the bureau sees that never applied: none, not "not a valid choice".
    api.force_authenticate(county.bureau)
    never = api.get("/api/v1/memberships/", {"school": SchoolFactory().pk})
    assert never.status_code == 200 and never.json()["count"] == 0


def test_applying_to_a_dissolved_group_says_it_is_dissolved(api, county):
    """It said 'Invalid pk "5" - object does not exist.', as if the id were mistyped."""
    services.group_dissolve(group=county.group_b, by=county.bureau, reason="合并")
    api.force_authenticate(county.bureau)
    body = {"school": SchoolFactory().pk, "group": county.group_b.pk}
    refused = api.post("/api/v1/memberships/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json() == {"group": ["A dissolved group takes no new members."]}


def _queries(api, url):
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/api/v1/groups/", "/api/v1/schools/", "/api/v1/memberships/", "/api/v1/staff/"]
)
@pytest.mark.parametrize("who", ["bureau", "chair", "principal_a1"])
def test_list_endpoints_run_a_bounded_number_of_queries(
    api, county, django_assert_max_num_queries, url, who
):
    api.force_authenticate(getattr(county, who))
    small = _queries(api, url)
    for _ in range(3):
        school = SchoolFactory(stages=["primary", "junior"])
        join(school=school, group=county.group_a, by=county.bureau)
        StaffFactory.create_batch(5, school=school)
    StaffFactory.create_batch(20, school=county.a1)
    with django_assert_max_num_queries(small):
        api.get(url)
    with django_assert_max_num_queries(12):
        api.get(url)


def test_the_schema_is_openapi_3_and_the_docs_load_without_a_cdn(client, county):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/memberships/{id}/approve/" in schema.json()["paths"]
    assert schema.json()["info"]["version"] == "v1"  # not "v1 (v1)"
    client.force_login(county.bureau)
    docs = client.get("/api/v1/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in docs
    assert "cdn" not in docs.lower()


def test_the_schema_says_how_each_operation_fails(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    approve = schema["paths"]["/api/v1/memberships/{id}/approve/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "429"} <= set(approve)
    assert approve["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FieldErrors"
    }
    listing = schema["paths"]["/api/v1/groups/"]["get"]["responses"]
    assert "400" in listing
    assert listing["404"]["description"] == "A page past the last one."  # no record to miss
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_an_unknown_api_path_is_a_json_404_and_a_page_404_is_html(client, county):
    client.force_login(county.bureau)
    api_miss = client.get("/api/v1/memberships/0.5/")
    assert api_miss.status_code == 404
    assert api_miss["Content-Type"] == "application/json"
    page_miss = client.get("/no-such-page/")
    assert page_miss.status_code == 404
    assert page_miss["Content-Type"].startswith("text/html")


def test_a_missing_and_a_hidden_record_get_the_same_404_naming_no_model(api, county):
    api.force_authenticate(county.principal_b1)
    hidden = api.get(f"/api/v1/groups/{county.group_a.pk}/")
    missing = api.get("/api/v1/groups/99999/")
    malformed = api.get("/api/v1/groups/abc/")
    assert hidden.status_code == missing.status_code == malformed.status_code == 404
    assert hidden.json() == missing.json() == malformed.json() == {"detail": "未找到。"}


def test_a_school_withdraws_its_application_over_the_api_and_others_cannot(api, county):
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    api.force_authenticate(principal)
    created = api.post(
        "/api/v1/memberships/", {"school": school.pk, "group": county.group_a.pk}, format="json"
    )
    url = f"/api/v1/memberships/{created.json()['id']}/cancel/"
    api.force_authenticate(county.chair)  # sees the application to the group, may not take it back
    assert api.post(url, {}, format="json").status_code == 403
    api.force_authenticate(county.principal_b1)
    assert api.post(url, {}, format="json").status_code == 404
    api.force_authenticate(principal)
    cancelled = api.post(url, {"reason": "选错了集团"}, format="json")
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    assert [e["action"] for e in cancelled.json()["events"]] == ["applied", "cancelled"]
    again = api.post(url, {}, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["只能撤回尚未审批的申请。"]}


def test_an_integrator_syncs_only_what_changed_since_the_last_sync(api, county):
    api.force_authenticate(county.bureau)
    last_sync = timezone.now().isoformat()  # as the API writes updated_at
    teacher = county.teacher_a1.staff
    api.patch(f"/api/v1/staff/{teacher.pk}/", {"subject": "美术"}, format="json")
    api.patch(f"/api/v1/schools/{county.b1.pk}/", {"address": "东河镇 1 号"}, format="json")
    api.patch(f"/api/v1/groups/{county.group_b.pk}/", {"charter": "新章程"}, format="json")
    member = Membership.objects.get(school=county.a2, group=county.group_a)
    api.post(f"/api/v1/memberships/{member.pk}/warn/", {"reason": "缺席"}, format="json")
    since = f"?updated_at__gte={last_sync}".replace("+", "%2B")
    changed = {
        endpoint: [row["id"] for row in api.get(f"/api/v1/{endpoint}/{since}").json()["results"]]
        for endpoint in ["staff", "schools", "groups", "memberships"]
    }
    assert changed == {
        "staff": [teacher.pk],
        "schools": [county.b1.pk],
        "groups": [county.group_b.pk],
        "memberships": [member.pk],
    }
    refused = api.get("/api/v1/staff/?updated_at__gte=yesterday")
    assert refused.status_code == 400
    assert list(refused.json()) == ["updated_at__gte"]
    # Each row says when it last changed: the integrator's next high-water mark.
    newest = api.get("/api/v1/memberships/?ordering=-updated_at").json()["results"][0]
    assert newest["id"] == member.pk
    assert datetime.fromisoformat(newest["updated_at"]) >= datetime.fromisoformat(last_sync)


@pytest.mark.parametrize("ordering", ["left_on", "-left_on"])
def test_memberships_not_ended_come_last_by_end_date_either_way(api, county, ordering):
    """SQLite put them first going up, PostgreSQL first going down."""
    left = Membership.objects.get(group=county.group_a, school=county.a2)
    api.force_authenticate(county.bureau)
    url = f"/api/v1/memberships/{left.pk}/withdraw/"
    assert api.post(url, {"notice_on": str(past(1))}, format="json").status_code == 200
    rows = api.get("/api/v1/memberships/", {"ordering": ordering}).json()["results"]
    assert rows[0]["id"] == left.pk and all(row["left_on"] is None for row in rows[1:])


def test_a_list_refuses_a_parameter_or_ordering_it_does_not_know(api, county):
    """Ignored, a filter the list lacks returned every row, which a sync took for the changes."""
    api.force_authenticate(county.bureau)
    unknown = api.get("/api/v1/meetings/?updated_since=2030-01-01T00:00:00Z&colour=red")
    assert unknown.status_code == 400
    assert set(unknown.json()) == {"updated_since", "colour"}
    bad_order = api.get("/api/v1/staff/?ordering=salary")
    assert bad_order.status_code == 400
    assert "staff_no, name, updated_at" in bad_order.json()["ordering"][0]
    every_known = "?search=王&ordering=-updated_at&page=1&page_size=10&format=json&is_active=true"
    assert api.get(f"/api/v1/staff/{every_known}").status_code == 200


@pytest.mark.parametrize("size", ["0", "-5", "ten", "1000", "²", "+10"])
def test_a_page_size_out_of_range_is_refused_not_quietly_replaced(api, county, size):
    api.force_authenticate(county.bureau)
    refused = api.get(f"/api/v1/schools/?page_size={size}", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json() == {"page_size": ["A whole number from 1 to 200."]}


@pytest.mark.parametrize("page", ["0", "-1", "abc", "²"])
def test_a_page_that_is_not_a_number_from_1_is_a_400_not_a_missing_page(api, county, page):
    api.force_authenticate(county.bureau)
    refused = api.get(f"/api/v1/schools/?page={page}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400
    assert refused.json() == {"page": ["须为不小于 1 的整数，或“last”。"]}


def test_a_page_past_the_last_is_a_404_the_schema_documents(api, county):
    api.force_authenticate(county.bureau)
    assert api.get("/api/v1/schools/?page=last").status_code == 200
    assert api.get("/api/v1/schools/?page=99").status_code == 404
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert "404" in schema["paths"]["/api/v1/schools/"]["get"]["responses"]


def test_a_role_refused_at_create_reads_the_services_words(api, county):
    api.force_authenticate(county.chair)
    create = api.post("/api/v1/schools/", {"name": "新学校"}, format="json")
    assert create.status_code == 403
    assert create.json() == {"detail": "您的角色无权执行此操作。"}


def test_writing_back_what_was_read_changes_nothing(api, county):
    """A sync tool PATCHing unchanged rows moved updated_at and wrote audit lines every night."""
    api.force_authenticate(county.bureau)
    teacher = county.teacher_a1.staff
    school = api.get(f"/api/v1/schools/{county.a1.pk}/").json()
    staff = api.get(f"/api/v1/staff/{teacher.pk}/").json()
    before = (teacher.history.count(), county.a1.history.count())
    same_school = {"name": school["name"], "stages": school["stages"]}
    api.patch(f"/api/v1/schools/{county.a1.pk}/", same_school, format="json")
    api.patch(f"/api/v1/staff/{teacher.pk}/", {"subject": staff["subject"]}, format="json")
    assert api.get(f"/api/v1/schools/{county.a1.pk}/").json()["updated_at"] == school["updated_at"]
    assert api.get(f"/api/v1/staff/{teacher.pk}/").json()["updated_at"] == staff["updated_at"]
    assert (teacher.history.count(), county.a1.history.count()) == before
    # A change of stages alone is a change of the school.
    other_stage = "junior" if school["stages"] != ["junior"] else "primary"
    api.patch(f"/api/v1/schools/{county.a1.pk}/", {"stages": [other_stage]}, format="json")
    assert api.get(f"/api/v1/schools/{county.a1.pk}/").json()["updated_at"] > school["updated_at"]
