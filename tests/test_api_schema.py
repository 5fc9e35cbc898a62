"""Every response matches the schema the API publishes, as an integrator checks it: each body
validated with jsonschema against /api/v1/schema/'s response for its path, method and status."""

import datetime
import functools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from governance import services
from members.models import Membership
from tests.conftest import PASSWORD, staff_user
from tests.governance.factories import meeting, passed_resolution
from tests.members.factories import SchoolFactory, StaffFactory, past

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


@functools.cache
def published_schema() -> dict:
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return schema.json()


def _json_schema(node):
    """OpenAPI 3.0 to JSON Schema: `nullable` becomes a null alternative. Objects refuse fields
    the schema does not name, so an undocumented field fails as a missing one does."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False) is True:
        return {"anyOf": [{"type": "null"}, node]}
    return node


def assert_matches_schema(response, path_template, method):
    openapi = published_schema()
    responses = openapi["paths"][path_template][method]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method} {path_template}: undocumented {status}"
    assert status.startswith("2"), f"{method} {path_template}: {status} {response.content.decode()}"
    documented = responses[status]["content"]["application/json"]["schema"]
    # The response's $refs ("#/components/...") resolve inside this one document.
    schema = _json_schema({**documented, "components": openapi["components"]})
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(response.json())
    ]
    assert not errors, f"{method} {path_template} {status}:\n" + "\n".join(errors)


@pytest.fixture
def call(api, county):
    """Send a request as the bureau (or `by`), check its response against the schema and return
    the body. `path_template` is the schema's path; `ids` fill in its {id}."""

    def send(method, path_template, body=None, *, by=None, multipart=False, **ids):
        api.force_authenticate(by or county.bureau)
        url = path_template.format(**ids)
        response = getattr(api, method)(url, body, format="multipart" if multipart else "json")
        assert_matches_schema(response, path_template, method)
        return response.json()

    return send


def test_group_responses_match_the_schema(call, county):
    call("get", "/api/v1/groups/")
    call("get", "/api/v1/groups/{id}/", id=county.group_a.pk)
    body = {"name": "南山教育集团", "mode": "tight", "lead_school": SchoolFactory().pk}
    created = call("post", "/api/v1/groups/", {**body, "founded_on": str(past(9))})
    put = {"name": "南山教育集团", "mode": "tight", "charter": "章程"}
    call("put", "/api/v1/groups/{id}/", put, id=created["id"])
    call("patch", "/api/v1/groups/{id}/", {"charter": "新章程"}, id=created["id"])
    call("post", "/api/v1/groups/{id}/dissolve/", {"reason": "合并"}, id=created["id"])


def test_school_and_staff_responses_match_the_schema(call, county):
    call("get", "/api/v1/schools/")
    call("get", "/api/v1/schools/{id}/", id=county.a1.pk)
    school = {"code": "3100000999", "name": "南山小学", "district": "城关镇", "stages": ["primary"]}
    created = call("post", "/api/v1/schools/", school)
    call("put", "/api/v1/schools/{id}/", {**school, "address": "南山路1号"}, id=created["id"])
    call("patch", "/api/v1/schools/{id}/", {"name": "南山实验小学"}, id=created["id"])

    staff = {"staff_no": "T999999", "name": "李老师", "school": county.a1.pk, "subject": "数学"}
    call("get", "/api/v1/staff/")
    call("get", "/api/v1/staff/{id}/", id=StaffFactory(school=county.a1).pk)
    created = call("post", "/api/v1/staff/", staff)
    call("put", "/api/v1/staff/{id}/", {**staff, "is_backbone": True}, id=created["id"])
    call("patch", "/api/v1/staff/{id}/", {"subject": "语文"}, id=created["id"])


def test_membership_responses_match_the_schema(call, county):
    call("get", "/api/v1/memberships/")
    a1 = Membership.objects.get(school=county.a1, group=county.group_a)
    call("get", "/api/v1/memberships/{id}/", id=a1.pk)
    call("post", "/api/v1/memberships/{id}/warn/", {"reason": "缺席会议"}, id=a1.pk)
    call("post", "/api/v1/memberships/{id}/withdraw/", {"notice_on": str(past(1))}, id=a1.pk)
    a2 = Membership.objects.get(school=county.a2, group=county.group_a)
    call("post", "/api/v1/memberships/{id}/expel/", {"reason": "长期缺席"}, id=a2.pk)
    for action, body in [("approve", {}), ("reject", {"reason": "名额已满"}), ("cancel", {})]:
        apply = {"school": SchoolFactory().pk, "group": county.group_b.pk}
        applied = call("post", "/api/v1/memberships/", apply)
        call("post", f"/api/v1/memberships/{{id}}/{action}/", body, id=applied["id"])


def test_meeting_and_seat_responses_match_the_schema(call, county):
    seat = {"group": county.group_a.pk, "role": "director", "starts_on": str(past(5))}
    holder = staff_user(school=county.a1, username="director")
    created = call("post", "/api/v1/council-seats/", {**seat, "holder": holder.pk})
    call("get", "/api/v1/council-seats/")
    call("get", "/api/v1/council-seats/{id}/", id=created["id"])

    starts_at = timezone.now() - datetime.timedelta(hours=1)
    body = {"group": county.group_a.pk, "kind": "council", "title": "理事会议"}
    created = call("post", "/api/v1/meetings/", {**body, "starts_at": starts_at, "place": "会议室"})
    call("get", "/api/v1/meetings/")
    call("get", "/api/v1/meetings/{id}/", id=created["id"])
    attended = {"school": county.a1.pk, "status": "present"}
    call("post", "/api/v1/meetings/{id}/attendance/", attended, id=created["id"])
    upload = {"file": SimpleUploadedFile("纪要.pdf", PDF)}
    call("post", "/api/v1/meetings/{id}/attachments/", upload, multipart=True, id=created["id"])
    call("post", "/api/v1/meetings/{id}/close/", id=created["id"])
    call("post", "/api/v1/meetings/{id}/minutes/", {"minutes": "议定三项"}, id=created["id"])
    call("post", "/api/v1/meetings/{id}/approve-minutes/", id=created["id"])


def test_resolution_and_action_item_responses_match_the_schema(call, county):
    of = meeting(county)
    services.attendance_record(meeting=of, school=county.a0, status="present", by=county.chair)
    created = call("post", "/api/v1/resolutions/", {"meeting": of.pk, "title": "共建课程资源库"})
    call("get", "/api/v1/resolutions/")
    call("get", "/api/v1/resolutions/{id}/", id=created["id"])
    # Only a member school's principal votes; the chair is A0's.
    vote = {"school": county.a0.pk, "choice": "yes"}
    call("post", "/api/v1/resolutions/{id}/vote/", vote, by=county.chair, id=created["id"])
    call("post", "/api/v1/resolutions/{id}/decide/", id=created["id"])

    item = {"description": "上传课例", "owner_school": county.a1.pk, "due_on": str(past(-30))}
    resolution = passed_resolution(county)
    created = call("post", "/api/v1/action-items/", {**item, "resolution": resolution.pk})
    call("get", "/api/v1/action-items/")
    call("get", "/api/v1/action-items/{id}/", id=created["id"])
    call("post", "/api/v1/action-items/{id}/progress/", {"note": "已上传5节"}, id=created["id"])


def test_the_attachment_download_is_documented_as_the_file_itself(api, county):
    attachment = services.attachment_add(
        meeting=meeting(county), upload=SimpleUploadedFile("纪要.pdf", PDF), by=county.chair
    )
    api.force_authenticate(county.chair)
    response = api.get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert response.status_code == 200
    operation = published_schema()["paths"]["/api/v1/attachments/{id}/download/"]["get"]
    documented = operation["responses"]["200"]["content"]
    assert documented[response["Content-Type"]]["schema"] == {"type": "string", "format": "binary"}
    assert "application/json" not in documented
    assert {"401", "404"} <= set(operation["responses"])
    assert {"knoxApiToken": []} in operation["security"]  # integrators send their token


def test_patch_documents_a_partial_request_and_the_same_reply_as_put():
    openapi = published_schema()
    for path in ["/api/v1/groups/{id}/", "/api/v1/schools/{id}/", "/api/v1/staff/{id}/"]:
        put, patch = openapi["paths"][path]["put"], openapi["paths"][path]["patch"]
        assert patch["responses"]["200"] == put["responses"]["200"]
        request = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert "required" not in openapi["components"]["schemas"][request.split("/")[-1]]


def test_the_notice_date_is_documented_as_required_and_a_refused_role_still_gets_403(api, county):
    withdraw = published_schema()["components"]["schemas"]["WithdrawRequest"]
    assert "notice_on" in withdraw["required"]
    a1 = Membership.objects.get(school=county.a1, group=county.group_a)
    url = f"/api/v1/memberships/{a1.pk}/withdraw/"
    api.force_authenticate(county.chair)  # sees A1's membership, may not withdraw it
    assert api.post(url, {}, format="json").status_code == 403
    api.force_authenticate(county.bureau)
    missing = api.post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.json() == {"notice_on": ["Give the date of the written notice."]}


def test_a_token_response_matches_the_schema(api, county):
    body = {"username": "bureau", "password": PASSWORD}
    response = api.post("/api/v1/auth/token/", body, format="json")
    assert_matches_schema(response, "/api/v1/auth/token/", "post")


def test_the_schema_requires_a_reason_where_the_service_does():
    """A rejection, a warning and an expulsion without a reason are refused (400); taking back
    an application needs none."""
    paths = published_schema()["paths"]

    def required(action):
        body = paths[f"/api/v1/memberships/{{id}}/{action}/"]["post"]["requestBody"]
        ref = body["content"]["application/json"]["schema"]["$ref"]
        component = published_schema()["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return component.get("required", [])

    assert {action: required(action) for action in ["reject", "warn", "expel", "cancel"]} == {
        "reject": ["reason"],
        "warn": ["reason"],
        "expel": ["reason"],
        "cancel": [],
    }


def test_the_api_root_links_the_documentation_and_the_schema(api, county):
    """DRF's root said "The default basic root view for DefaultRouter" and linked no docs."""
    api.force_authenticate(county.principal_a1)
    root = api.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    assert root["docs"].endswith("/api/v1/docs/") and root["schema"].endswith("/api/v1/schema/")
    assert root["meetings"].endswith("/api/v1/meetings/")
    page = api.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()
    assert "Group schooling platform API v1" in page and "DefaultRouter" not in page


def test_a_generated_client_learns_what_a_list_takes_and_that_response_fields_are_always_there():
    """Group.status and Meeting.minutes were optional (a model default), `ordering` named no
    field, and `page_size` had no bounds."""
    schema = published_schema()
    components = schema["components"]["schemas"]
    assert {"status", "member_count"} <= set(components["Group"]["required"])
    assert "minutes" in components["Meeting"]["required"]
    assert "required" not in components["PatchedGroupUpdateRequest"]
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/groups/"]["get"]["parameters"]}
    assert "name, founded_on, updated_at" in parameters["ordering"]["description"]
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}


def test_every_write_says_who_may_make_it_not_what_the_list_holds():
    """Each write operation read the resource's class docstring ("Records are created by
    services and changed only by the actions below…"): who may vote or decide was nowhere."""
    paths = published_schema()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch") or "/auth/" in path:
                continue
            listed = paths.get(path.split("{id}")[0], {}).get("get", {}).get("description")
            assert operation.get("description"), (method, path)
            assert operation["description"] != listed, (method, path)
    vote = paths["/api/v1/resolutions/{id}/vote/"]["post"]["description"]
    assert "the principal of that school" in vote
