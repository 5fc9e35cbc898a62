"""001: 成员学校为若干所相对薄弱的同学段学校 — a group of one stage takes schools that teach
that stage; a group with no stage (003: 跨学段教育集团) takes schools of any stage. The rule
holds at every door: applying, approving, founding, changing a group's stage, changing a
member's stages; and the apply page offers only the groups it would accept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance import services as group_services
from alliance.models import SchoolGroup
from members import services
from members.models import Membership, MembershipStatus, Post, Stage
from tests.alliance.factories import make_group
from tests.conftest import join, staff_user
from tests.members.factories import SchoolFactory, past

pytestmark = pytest.mark.django_db


def stage(code: str) -> Stage:
    return Stage.objects.get(code=code)


@pytest.fixture
def kindergartens(bureau) -> SchoolGroup:
    lead = SchoolFactory(name="青溪县实验幼儿园", stages=["preschool"])
    return make_group(by=bureau, lead=lead, name="青溪县学前教育联盟", stage=stage("preschool"))


def test_a_primary_school_cannot_apply_to_a_kindergarten_group(bureau, kindergartens):
    school = SchoolFactory(name="东河镇中心小学")
    with pytest.raises(ValidationError) as refused:
        services.membership_apply(school=school, group=kindergartens, by=bureau)
    assert refused.value.message_dict["school"] == [
        "青溪县学前教育联盟 is a group of Preschool schools, and 东河镇中心小学 does not teach "
        "Preschool."
    ]
    assert not Membership.objects.filter(school=school).exists()


def test_a_school_of_several_stages_applies_to_a_group_of_one_of_them(bureau):
    juniors = make_group(by=bureau, lead=SchoolFactory(stages=["junior"]), stage=stage("junior"))
    nine_year = SchoolFactory(name="白石乡九年一贯制学校", stages=["primary", "junior"])
    join(school=nine_year, group=juniors, by=bureau)
    assert Membership.objects.get(school=nine_year).status == MembershipStatus.ACTIVE


def test_a_group_across_stages_takes_a_school_of_any_stage(bureau):
    across = make_group(by=bureau, name="青溪县一贯制教育集团")  # no stage: 跨学段 (003)
    kindergarten = SchoolFactory(stages=["preschool"])
    join(school=kindergarten, group=across, by=bureau)
    assert Membership.objects.get(school=kindergarten).status == MembershipStatus.ACTIVE


def test_approval_refuses_a_school_that_no_longer_teaches_the_groups_stage(bureau, kindergartens):
    school = SchoolFactory(stages=["preschool"])
    application = services.membership_apply(
        school=school, group=kindergartens, by=bureau, applied_on=past(10)
    )
    services.school_save(school=school, by=bureau, stages=[stage("primary")])  # not a member yet
    with pytest.raises(ValidationError) as refused:
        services.membership_approve(membership=application, by=bureau)
    assert refused.value.code == "stage"
    assert "does not teach Preschool" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == MembershipStatus.APPLIED


def test_the_lead_school_must_teach_the_stage_of_the_group_it_founds(bureau):
    lead = SchoolFactory(name="青溪县实验小学")
    with pytest.raises(ValidationError) as refused:
        group_services.group_create(
            name="青溪县学前教育联盟",
            mode="alliance",
            lead_school=lead,
            founded_on=past(30),
            stage=stage("preschool"),
            by=bureau,
        )
    assert "these do not: 青溪县实验小学." in refused.value.message_dict["stage"][0]
    assert not SchoolGroup.objects.exists() and not Membership.objects.exists()


def test_a_group_cannot_take_a_stage_its_members_do_not_teach(api, county):
    county.a2.stages.set(["primary", "junior"])
    api.force_authenticate(county.bureau)
    url = f"/api/v1/groups/{county.group_a.pk}/"
    refused = api.patch(url, {"stage": "junior"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    # The lead and A1 teach only primary; A2 teaches junior too.
    names = f"{county.a0.name}, {county.a1.name}"
    assert f"these do not: {names}." in refused.json()["stage"][0]
    county.group_a.refresh_from_db()
    assert county.group_a.stage is None
    assert api.patch(url, {"stage": "primary"}, format="json").status_code == 200
    assert api.patch(url, {"stage": None}, format="json").status_code == 200


def test_the_refusal_of_a_stage_reads_in_chinese(api, county):
    api.force_authenticate(county.bureau)
    url = f"/api/v1/groups/{county.group_a.pk}/"
    refused = api.patch(url, {"stage": "senior"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["stage"][0].startswith("高中学段的集团只接收设有高中学段的学校")


def test_a_member_keeps_its_groups_stage(api, county):
    SchoolGroup.objects.filter(pk=county.group_a.pk).update(stage="primary")
    api.force_authenticate(county.bureau)
    url = f"/api/v1/schools/{county.a1.pk}/"
    refused = api.patch(url, {"stages": ["junior"]}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["stages"] == [
        f"This school is a member of {county.group_a.name}, a group of Primary schools: keep "
        "Primary among its stages, or let it leave the group first."
    ]
    assert [s.code for s in county.a1.stages.all()] == ["primary"]
    # Adding a stage is no trouble; neither is a change for a school in a group across stages.
    assert api.patch(url, {"stages": ["primary", "junior"]}, format="json").status_code == 200
    b1 = f"/api/v1/schools/{county.b1.pk}/"
    assert api.patch(b1, {"stages": ["junior"]}, format="json").status_code == 200


def test_the_apply_page_offers_only_groups_of_the_schools_stages(client, county, kindergartens):
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    client.force_login(principal)
    page = client.get(reverse("dashboard:membership-apply", args=[school.pk])).content.decode()
    assert county.group_a.name in page
    assert kindergartens.name not in page


def test_a_school_whose_stage_no_active_group_takes_is_told_why(english, bureau, kindergartens):
    school = SchoolFactory(stages=["senior"])
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    english.force_login(principal)
    page = english.get(reverse("dashboard:membership-apply", args=[school.pk])).content.decode()
    assert (
        "No group is open to this school: every active group is a group of another stage "
        "than the school&#x27;s."
    ) in page
    assert 'name="group"' not in page


def test_a_member_from_before_the_rule_may_still_change_its_other_stages(api, county):
    """A1 joined the group before it took the stage 初中, and never taught it: a change of its
    stages is no worse for the rule, so it is not refused with "keep 初中"."""
    SchoolGroup.objects.filter(pk=county.group_a.pk).update(stage="junior")
    api.force_authenticate(county.bureau)
    url = f"/api/v1/schools/{county.a1.pk}/"
    assert api.patch(url, {"stages": ["primary", "preschool"]}, format="json").status_code == 200
