"""What the bureau may change on a group, through the API and the admin.

Once the council has adopted a charter (000: amended by council vote), only a charter motion
changes it: an edit beside the council left the API showing one text while the council page
marked another "in force". And a PATCH naming a field it cannot change answered 200 and
changed nothing, so an integrator took the change for done.
"""

import pytest
from django.urls import reverse

from alliance.models import GroupStatus, SchoolGroup
from governance import services as council
from governance.models import CharterVersion
from tests.governance.factories import meeting
from tests.members.factories import SchoolFactory, past

ADOPTED = "第一条 本集团由青溪县实验小学牵头组建。"
REFUSED_CHARTER = (
    "The council has adopted a charter: it is amended by a charter motion at a council meeting."
)


def adopt_charter(county, text: str = ADOPTED) -> None:
    """A0 and A1 present and voting yes: two thirds of the votes cast, the charter passes."""
    held = meeting(county)
    for school in (county.a0, county.a1):
        council.attendance_record(meeting=held, school=school, status="present", by=county.chair)
    motion = council.resolution_propose(
        meeting=held, title="章程", kind="charter", charter_text=text, by=county.chair
    )
    council.vote_cast(resolution=motion, school=county.a0, choice="yes", by=county.chair)
    council.vote_cast(resolution=motion, school=county.a1, choice="yes", by=county.principal_a1)
    council.resolution_decide(resolution=motion, by=county.chair)


def group_url(group) -> str:
    return f"/api/v1/groups/{group.pk}/"


def test_the_bureau_cannot_change_through_the_api_a_charter_the_council_adopted(api, county):
    adopt_charter(county)
    api.force_authenticate(county.bureau)
    refused = api.patch(
        group_url(county.group_a), {"charter": "局里改的章程"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert refused.json() == {"charter": [REFUSED_CHARTER]}
    shown = api.get(group_url(county.group_a)).json()["charter"]
    assert shown == CharterVersion.objects.get(group=county.group_a).text == ADOPTED


def test_the_bureau_still_changes_other_fields_of_a_group_with_an_adopted_charter(api, county):
    adopt_charter(county)
    api.force_authenticate(county.bureau)
    # A client that sends the whole record back, the charter unchanged, is not refused.
    changed = api.patch(group_url(county.group_a), {"name": "青溪教育集团", "charter": ADOPTED})
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "青溪教育集团"
    assert changed.json()["charter"] == ADOPTED


def test_the_bureau_writes_the_founding_charter_before_the_council_adopts_one(api, county):
    api.force_authenticate(county.bureau)
    changed = api.patch(group_url(county.group_a), {"charter": "筹建章程"})
    assert changed.status_code == 200, changed.content
    county.group_a.refresh_from_db()
    assert county.group_a.charter == "筹建章程"


def test_the_council_amends_the_charter_it_adopted(county):
    adopt_charter(county)
    adopt_charter(county, text="第一条 修订后的章程。")
    county.group_a.refresh_from_db()
    assert county.group_a.charter == "第一条 修订后的章程。"
    assert CharterVersion.objects.filter(group=county.group_a).count() == 2


def test_the_admin_shows_an_adopted_charter_without_a_box_to_edit_it(client, county):
    adopt_charter(county)
    client.force_login(county.bureau)
    url = reverse("admin:alliance_schoolgroup_change", args=[county.group_a.pk])
    page = client.get(url).content.decode()
    assert 'name="charter"' not in page
    assert ADOPTED in page
    saved = client.post(
        url, {"name": "青溪教育集团", "mode": "alliance", "charter": "局里改的章程"}
    )
    assert saved.status_code == 302
    county.group_a.refresh_from_db()
    assert (county.group_a.name, county.group_a.charter) == ("青溪教育集团", ADOPTED)


def test_the_admin_edits_the_founding_charter_before_the_council_adopts_one(client, county):
    client.force_login(county.bureau)
    url = reverse("admin:alliance_schoolgroup_change", args=[county.group_a.pk])
    saved = client.post(url, {"name": county.group_a.name, "mode": "alliance", "charter": "筹建"})
    assert saved.status_code == 302
    county.group_a.refresh_from_db()
    assert county.group_a.charter == "筹建"


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_group_edit_naming_a_field_it_cannot_change_is_a_400_on_that_field(api, county, method):
    api.force_authenticate(county.bureau)
    body = {"name": "改名", "mode": "alliance", "status": "dissolved", "founded_on": "2001-01-01"}
    refused = getattr(api, method)(group_url(county.group_a), body)
    assert refused.status_code == 400
    assert refused.json() == {
        "founded_on": ["此处不能修改该字段。"],
        "status": ["此处不能修改该字段。"],
    }
    group = SchoolGroup.objects.get(pk=county.group_a.pk)
    assert (group.name, group.status) == ("青溪县实验小学教育集团", GroupStatus.ACTIVE)


def test_a_group_edit_names_an_unknown_key_and_every_other_mistake_at_once(api, county):
    api.force_authenticate(county.bureau)
    refused = api.patch(
        group_url(county.group_a),
        {"nmae": "改名", "mode": "no-such-mode"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert refused.json()["nmae"] == ["This field cannot be changed here."]
    assert set(refused.json()) == {"nmae", "mode"}


def test_founding_a_group_with_a_field_set_only_later_is_a_400(api, county):
    api.force_authenticate(county.bureau)
    body = {
        "name": "西岭教育集团",
        "mode": "alliance",
        "lead_school": SchoolFactory().pk,
        "founded_on": past(10).isoformat(),
        "status": "dissolved",
    }
    refused = api.post("/api/v1/groups/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json() == {"status": ["This field cannot be changed here."]}
    assert not SchoolGroup.objects.filter(name="西岭教育集团").exists()


def test_dissolving_a_group_with_an_unknown_key_is_a_400_and_keeps_the_group(api, county):
    api.force_authenticate(county.bureau)
    refused = api.post(
        f"{group_url(county.group_b)}dissolve/", {"reason": "合并", "dissolve_on": "2024-01-01"}
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["dissolve_on"]
    county.group_b.refresh_from_db()
    assert county.group_b.is_active
