"""Action items on passed resolutions, and the exports councils hand to the bureau."""

import csv
import io
from urllib.parse import unquote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance import selectors, services
from tests.governance.factories import meeting, vote_left_out
from tests.members.factories import past

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed(county):
    meeting = services.meeting_schedule(
        group=county.group_a,
        kind="council",
        title="十一月理事会议",
        starts_at=timezone.now(),
        place="会议室",
        by=county.chair,
    )
    for school in (county.a0, county.a1):
        services.attendance_record(
            meeting=meeting, school=school, status="present", by=county.chair
        )
    resolution = services.resolution_propose(
        meeting=meeting, title="共建课程资源库", by=county.chair
    )
    services.vote_cast(resolution=resolution, school=county.a0, choice="yes", by=county.chair)
    services.vote_cast(
        resolution=resolution, school=county.a1, choice="yes", by=county.principal_a1
    )
    return services.resolution_decide(resolution=resolution, by=county.chair)


def add_item(county, resolution, **kwargs):
    return services.action_item_add(
        resolution=resolution,
        description="上传语文课例20节",
        due_on=past(-30),
        owner_school=county.a1,
        by=county.chair,
        **kwargs,
    )


def test_open_action_items_stay_on_the_list_until_done(county, passed):
    item = add_item(county, passed)
    assert list(selectors.open_action_items(group=county.group_a)) == [item]
    services.action_item_progress(item=item, note="已上传12节", by=county.principal_a1)
    services.action_item_progress(item=item, note="全部完成", by=county.principal_a1, done=True)
    assert not selectors.open_action_items(group=county.group_a).exists()
    assert list(item.notes.values_list("note", flat=True)) == ["已上传12节", "全部完成"]
    with pytest.raises(ValidationError, match="already done"):
        services.action_item_progress(item=item, note="x", by=county.chair)


def test_only_owners_and_officers_report_progress(county, passed):
    item = add_item(county, passed)
    with pytest.raises(PermissionDenied):
        services.action_item_progress(item=item, note="x", by=county.teacher_a1)


def test_a_rejected_or_open_resolution_carries_no_action_items(county):
    meeting = services.meeting_schedule(
        group=county.group_a,
        kind="council",
        title="会议",
        starts_at=timezone.now(),
        place="x",
        by=county.chair,
    )
    open_motion = services.resolution_propose(meeting=meeting, title="x", by=county.chair)
    with pytest.raises(ValidationError, match="passed"):
        add_item(county, open_motion)


def test_vote_results_export_as_csv_and_excel(client, county, passed):
    client.force_login(county.chair)
    url = reverse("dashboard:group-export", args=[county.group_a.pk, "votes", "csv"])
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][2] == "共建课程资源库"
    assert rows[1][4] == "通过"
    assert "赞成" in rows[1][10]
    url = reverse("dashboard:group-export", args=[county.group_a.pk, "votes", "xlsx"])
    response = client.get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["C2"].value == "共建课程资源库"
    assert sheet["F2"].value == 2
    # Named for what it holds, in the reader's language: sheet and file.
    assert sheet.title == "表决结果"
    today = timezone.localdate().isoformat()
    saved_as = unquote(response["Content-Disposition"])
    assert saved_as.endswith(f"{county.group_a.name}-表决结果-{today}.xlsx")


def test_action_items_export(client, county, passed):
    add_item(county, passed)
    client.force_login(county.principal_a1)
    url = reverse("dashboard:group-export", args=[county.group_a.pk, "actions", "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    assert sheet["B2"].value == "上传语文课例20节"
    assert sheet["C2"].value == county.a1.name
    council = client.get(reverse("dashboard:council", args=[county.group_a.pk]))
    as_csv = reverse("dashboard:group-export", args=[county.group_a.pk, "actions", "csv"])
    assert as_csv in council.content.decode()  # offered on the council page, named
    rows = list(csv.reader(io.StringIO(client.get(as_csv).content.decode("utf-8-sig"))))
    assert rows[1][1] == "上传语文课例20节"


def test_another_groups_export_is_not_found(client, county, passed):
    client.force_login(county.principal_b1)
    url = reverse("dashboard:group-export", args=[county.group_a.pk, "votes", "csv"])
    assert client.get(url).status_code == 404


def test_action_items_over_the_api(api, county, passed):
    api.force_authenticate(county.chair)
    body = {
        "resolution": passed.pk,
        "description": "组织同课异构",
        "owner_school": county.a1.pk,
        "due_on": str(past(-10)),
    }
    created = api.post("/api/v1/action-items/", body, format="json")
    assert created.status_code == 201, created.content
    api.force_authenticate(county.principal_a1)
    url = f"/api/v1/action-items/{created.json()['id']}/progress/"
    done = api.post(url, {"note": "已完成", "done": True}, format="json")
    assert done.json()["done_on"] == str(timezone.localdate())
    assert api.get("/api/v1/action-items/?done_on__isnull=true").json()["count"] == 0


def test_an_action_item_owner_comes_from_the_group(county, passed):
    with pytest.raises(ValidationError) as error:
        services.action_item_add(
            resolution=passed,
            description="x",
            due_on=past(-5),
            owner_person=county.principal_b1.staff,
            by=county.chair,
        )
    assert "owner_person" in error.value.message_dict


def test_a_motion_typed_as_a_formula_stays_text_in_both_exports(client, county):
    """A member principal's motion titled "=HYPERLINK(…)" ran as a formula in the bureau's
    copy of the file."""
    trap = '=HYPERLINK("http://example.invalid","点此查看")'
    services.resolution_propose(meeting=meeting(county), title=trap, by=county.principal_a1)
    client.force_login(county.bureau)
    xlsx = reverse("dashboard:group-export", args=[county.group_a.pk, "votes", "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(xlsx).content)).active
    assert sheet["C2"].value == trap and sheet["C2"].data_type == "s"
    as_csv = reverse("dashboard:group-export", args=[county.group_a.pk, "votes", "csv"])
    rows = list(csv.reader(io.StringIO(client.get(as_csv).content.decode("utf-8-sig"))))
    assert rows[1][2] == "'" + trap  # Excel shows it as typed, and computes nothing


def test_a_follow_up_is_not_given_to_someone_no_longer_in_post(api, county, passed):
    gone = county.teacher_a1.staff
    gone.is_active = False
    gone.save()
    api.force_authenticate(county.chair)
    body = {"resolution": passed.pk, "description": "x", "owner_person": gone.pk}
    refused = api.post("/api/v1/action-items/", body | {"due_on": str(past(-5))}, format="json")
    assert refused.status_code == 400
    assert refused.json()["owner_person"] == ["此人已不在岗。"]
    assert not passed.action_items.exists()


def test_a_vote_left_out_of_the_count_says_so_on_the_page_the_export_and_the_api(
    client, api, county
):
    """A1 voted no, then was recorded as having left before the count: the motion passed 1–0,
    and every record of A1's vote says why it is not in that tally."""
    held = meeting(county)
    motion = vote_left_out(county, held)

    client.force_login(county.chair)
    page = client.get(reverse("dashboard:meeting-detail", args=[held.pk])).content.decode()
    left_out = "反对（未计入：计票时不是出席会议的成员学校）"
    assert f"{county.a0.name}：赞成；{county.a1.name}：{left_out}" in page
    url = reverse("dashboard:group-export", args=[county.group_a.pk, "votes", "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[1][10] == f"{county.a0.name}: 赞成; {county.a1.name}: 反对 (未计入)"

    api.force_authenticate(county.chair)
    votes = api.get(f"/api/v1/resolutions/{motion.pk}/").json()["votes"]
    assert [(v["choice"], v["counted"]) for v in votes] == [("yes", True), ("no", False)]
