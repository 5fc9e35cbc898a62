"""A key the API does not take is refused by name (400), never dropped: a misspelt or read-only
key answered 200 and changed nothing, and the client took the change for done. What a record's
representation gives back unchanged (its id and time stamps) may be sent back."""

import pytest

from governance import services as council
from governance.models import Meeting, MeetingStatus, Vote
from members.models import Membership, MembershipStatus, School
from tests.governance.factories import meeting
from tests.members.factories import SchoolFactory, past

pytestmark = pytest.mark.django_db


def test_a_misspelt_key_in_a_school_edit_is_a_400_and_changes_nothing(api, county):
    api.force_authenticate(county.bureau)
    refused = api.patch(f"/api/v1/schools/{county.a1.pk}/", {"nmae": "改名"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"nmae": ["此处不能修改该字段。"]}
    assert School.objects.get(pk=county.a1.pk).name == county.a1.name


def test_a_school_read_and_sent_back_with_one_change_is_saved(api, county):
    api.force_authenticate(county.bureau)
    url = f"/api/v1/schools/{county.a1.pk}/"
    record = api.get(url).json()
    saved = api.put(url, {**record, "address": "城关镇学府路8号"}, format="json")
    assert saved.status_code == 200, saved.content
    assert School.objects.get(pk=county.a1.pk).address == "城关镇学府路8号"


def test_a_staff_record_read_and_sent_back_with_one_change_is_saved(api, county):
    """Its school came back as {"id": …, "name": …} and was refused: 'Expected pk value'."""
    api.force_authenticate(county.bureau)
    url = f"/api/v1/staff/{county.teacher_a1.staff.pk}/"
    record = api.get(url).json()
    saved = api.put(url, {**record, "subject": "数学"}, format="json")
    assert saved.status_code == 200, saved.content
    moved = api.patch(url, {"school": {"id": county.a2.pk}}, format="json")
    assert moved.json()["school"]["id"] == county.a2.pk


def test_a_staff_edit_with_a_key_the_record_does_not_have_is_a_400(api, county):
    api.force_authenticate(county.bureau)
    staff = county.teacher_a1.staff
    refused = api.patch(
        f"/api/v1/staff/{staff.pk}/",
        {"subject": "数学", "phone": "13800000000"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert refused.json() == {"phone": ["This field cannot be changed here."]}
    staff.refresh_from_db()
    assert staff.subject != "数学"


def test_an_approval_with_a_misspelt_date_is_a_400_and_the_school_is_still_waiting(api, county):
    school = SchoolFactory()
    api.force_authenticate(county.bureau)
    applied = api.post(
        "/api/v1/memberships/", {"school": school.pk, "group": county.group_a.pk}, format="json"
    )
    assert applied.status_code == 201, applied.content
    url = f"/api/v1/memberships/{applied.json()['id']}/approve/"
    refused = api.post(url, {"approve_on": past(1).isoformat()}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["approve_on"]
    assert Membership.objects.get(pk=applied.json()["id"]).status == MembershipStatus.APPLIED


def test_a_misspelt_reason_is_named_with_the_missing_one(api, county):
    planned = meeting(county, days_ago=-2)
    api.force_authenticate(county.chair)
    refused = api.post(
        f"/api/v1/meetings/{planned.pk}/cancel/", {"reson": "时间冲突"}, format="json"
    )
    assert refused.status_code == 400
    assert set(refused.json()) == {"reson", "reason"}
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.SCHEDULED


def test_a_vote_with_a_key_a_vote_does_not_take_is_not_counted(api, county):
    held = meeting(county)
    council.attendance_record(meeting=held, school=county.a0, status="present", by=county.chair)
    motion = council.resolution_propose(meeting=held, title="共建课程资源库", by=county.chair)
    api.force_authenticate(county.chair)
    refused = api.post(
        f"/api/v1/resolutions/{motion.pk}/vote/",
        {"school": county.a0.pk, "choice": "yes", "weight": 2},
        format="json",
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["weight"]
    assert not Vote.objects.filter(resolution=motion).exists()


def test_a_body_sent_to_another_records_address_is_a_400_on_its_id(api, county):
    """One school's body PUT to another's address was saved there, its id ignored."""
    api.force_authenticate(county.bureau)
    record = api.get(f"/api/v1/schools/{county.a1.pk}/").json()
    refused = api.put(
        f"/api/v1/schools/{county.a2.pk}/",
        {**record, "address": "城关镇学府路8号"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"id": ["此 id 属于另一条记录，请把请求体发送到该记录的地址。"]}
    assert School.objects.get(pk=county.a2.pk).name == county.a2.name


def test_a_body_that_is_not_json_gets_the_field_errors_shape_in_chinese(api, county):
    api.force_authenticate(county.bureau)
    response = api.post(
        "/api/v1/memberships/",
        data='{"school": 1,\n  "group" 2}',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["请求体不是有效的 JSON（第 2 行第 11 列）。"]}
    assert not Membership.objects.filter(status=MembershipStatus.APPLIED).exists()


def test_dissolving_a_group_without_a_reason_is_refused_and_the_schema_requires_one(api, county):
    api.force_authenticate(county.bureau)
    refused = api.post(f"/api/v1/groups/{county.group_b.pk}/dissolve/", {}, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["reason"]
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["components"]["schemas"]["GroupDissolveRequest"]["required"] == ["reason"]
