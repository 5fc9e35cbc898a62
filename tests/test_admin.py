"""The Django admin as bureau staff use it: every change goes through the services."""

import io
import json
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils.functional import Promise
from simple_history.admin import SimpleHistoryAdmin

from alliance.models import SchoolGroup
from governance.models import CouncilPolicy, MeetingKind
from members.models import Membership, MembershipStatus, Staff, Stage
from tests.governance.factories import meeting
from tests.members.factories import SchoolFactory, StaffFactory, UserFactory, past

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:alliance_schoolgroup_changelist",
    "admin:members_school_changelist",
    "admin:members_staff_changelist",
    "admin:members_membership_changelist",
    "admin:governance_meeting_changelist",
    "admin:governance_resolution_changelist",
    "admin:governance_councilseat_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_bureau_staff_open_every_list_in_chinese(client, county, name):
    client.force_login(county.bureau)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "教育集团" in response.content.decode() or "学校" in response.content.decode()


def test_admin_pages_carry_the_site_icon_instead_of_asking_for_a_missing_favicon(client, county):
    icon = '<link rel="icon" href="/static/favicon.svg"'
    assert icon in client.get(reverse("admin:login")).content.decode()
    client.force_login(county.bureau)
    for url in [
        reverse("admin:index"),
        reverse("admin:members_membership_changelist"),
        reverse("admin:members_school_change", args=[county.a1.pk]),
    ]:
        assert icon in client.get(url).content.decode(), url


def test_the_admin_index_names_audit_trails_and_api_tokens_in_chinese(client, county):
    client.force_login(county.bureau)
    index = client.get(reverse("admin:index")).content.decode()
    assert "学校变更记录" in index and "会议变更记录" in index
    assert "API 令牌" in index
    assert "Historical" not in index and "Auth tokens" not in index
    # The app's own config (its name, its signal receivers), not one Django made up for it.
    assert 'title="教育集团中的模型"' in index and ">Alliance<" not in index


def test_the_admin_lists_groups_schools_and_councils_before_accounts_and_tokens(client, county):
    client.force_login(county.bureau)
    index = client.get(reverse("admin:index")).content.decode()
    apps = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', index)
    assert apps[:3] == ["教育集团", "学校与成员", "理事会与会议"], apps
    assert "API 令牌" in apps[3:]


def test_a_staff_account_without_the_bureau_role_is_refused(client, county):
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:members_membership_changelist")).status_code == 403


def test_founding_a_group_in_the_admin_makes_the_lead_school_a_member(client, county):
    lead = SchoolFactory()
    client.force_login(county.bureau)
    response = client.post(
        reverse("admin:alliance_schoolgroup_add"),
        {
            "name": "西岭教育集团",
            "mode": "entrusted",
            "lead_school": lead.pk,
            "founded_on": "2024-09-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = SchoolGroup.objects.get(name="西岭教育集团")
    assert Membership.objects.get(group=group).school == lead


def test_founding_a_group_shows_every_broken_rule_at_once_beside_its_field(english, county):
    """The bureau used to fix a future date, a cap of 0 and a taken lead school one submit at a
    time, the cap's message at the top of the form."""
    english.force_login(county.bureau)
    response = english.post(
        reverse("admin:alliance_schoolgroup_add"),
        {
            "name": "西岭教育集团",
            "mode": "entrusted",
            "lead_school": county.a1.pk,
            "founded_on": "2099-09-01",
            "member_cap_override": "0",
        },
    )
    errors = response.context["adminform"].form.errors
    assert errors == {
        "founded_on": ["The date cannot be in the future."],
        "member_cap_override": ["The member cap must be at least 1."],
        "lead_school": ["This school is already a member of a group."],
    }
    assert not SchoolGroup.objects.filter(name="西岭教育集团").exists()


def test_a_lead_school_already_in_a_group_is_a_form_error_and_nothing_is_saved(client, county):
    client.force_login(county.bureau)
    response = client.post(
        reverse("admin:alliance_schoolgroup_add"),
        {
            "name": "重复集团",
            "mode": "alliance",
            "lead_school": county.a1.pk,
            "founded_on": "2024-09-01",
        },
    )
    assert response.status_code == 200
    assert "该学校已是" in response.content.decode()
    assert not SchoolGroup.objects.filter(name="重复集团").exists()


def _approve(client, memberships):
    return client.post(
        reverse("admin:members_membership_changelist"),
        {"action": "approve", "_selected_action": [m.pk for m in memberships]},
        follow=True,
    )


def test_approving_until_the_cap_refuses_one_with_a_message(client, county):
    county.group_a.member_cap_override = 3
    county.group_a.save()
    applications = [
        Membership.objects.create(group=county.group_a, school=SchoolFactory(), applied_on=past(2))
        for _ in range(2)
    ]
    client.force_login(county.bureau)
    page = _approve(client, applications).content.decode()
    assert "上限为 3" in page
    statuses = sorted(
        Membership.objects.filter(pk__in=[m.pk for m in applications]).values_list(
            "status", flat=True
        )
    )
    assert statuses == [MembershipStatus.ACTIVE, MembershipStatus.APPLIED]


def test_the_admin_counts_memberships_in_english_and_names_each_refusal(english, county):
    first, second, third = (
        Membership.objects.create(group=county.group_a, school=SchoolFactory(), applied_on=past(2))
        for _ in range(3)
    )
    english.force_login(county.bureau)
    assert "2 memberships approved." in _approve(english, [first, second]).content.decode()
    page = _approve(english, [first, third]).content.decode()
    assert f"{first}: Only an open application can be approved." in page
    assert "1 membership approved." in page


def test_warning_in_the_admin_needs_a_reason(client, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    client.force_login(county.bureau)
    url = reverse("admin:members_membership_changelist")
    page = client.post(url, {"action": "warn", "_selected_action": [membership.pk]}, follow=True)
    assert "请填写" in page.content.decode() or "reason" in page.content.decode()
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.ACTIVE
    client.post(url, {"action": "warn", "_selected_action": [membership.pk], "reason": "缺席"})
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.WARNED


def test_the_bureau_records_an_application_the_school_took_back(client, county):
    application = Membership.objects.create(
        group=county.group_a, school=SchoolFactory(), applied_on=past(2)
    )
    member = Membership.objects.get(school=county.a1, group=county.group_a)
    client.force_login(county.bureau)
    page = client.post(
        reverse("admin:members_membership_changelist"),
        {"action": "cancel", "_selected_action": [application.pk, member.pk], "reason": "电话告知"},
        follow=True,
    ).content.decode()
    assert "1 所学校申请已撤回。" in page
    assert "只能撤回尚未审批的申请" in page  # the member's line is refused, by name
    assert Membership.objects.get(pk=application.pk).status == MembershipStatus.CANCELLED
    assert Membership.objects.get(pk=member.pk).status == MembershipStatus.ACTIVE


def test_nothing_can_be_deleted_in_the_admin(client, county):
    client.force_login(county.bureau)
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    for url in [
        reverse("admin:members_membership_delete", args=[membership.pk]),
        reverse("admin:alliance_schoolgroup_delete", args=[county.group_a.pk]),
        reverse("admin:members_school_delete", args=[county.a1.pk]),
    ]:
        assert client.get(url).status_code == 403


def test_a_memberships_page_is_for_reading_its_changes_are_the_lists_actions(client, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    county.bureau.first_name = "青溪县教育局"
    county.bureau.save()
    client.force_login(county.bureau)
    url = reverse("admin:members_membership_change", args=[membership.pk])
    page = client.get(url).content.decode()
    assert "查看成员资格" in page and "关闭" in page
    assert '<div class="readonly">—</div>' in page  # no warning yet: "—", as the dashboards
    assert 'name="_save"' not in page and 'name="_continue"' not in page
    assert client.post(url, {"_save": "保存"}).status_code == 403
    # Nor does the application form offer to go on editing what it records.
    add = client.get(reverse("admin:members_membership_add")).content.decode()
    assert 'name="_save"' in add and 'name="_continue"' not in add
    # Its history names who recorded each step as the audit trail does, not by login alone.
    assert "<p>青溪县教育局（bureau）</p>" in page
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.ACTIVE


def past_membership_page(client, county) -> str:
    """The bureau's page of A1's membership in group A as it last was."""
    client.force_login(county.bureau)
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    version = membership.history.first()
    url = reverse("admin:members_membership_simple_history", args=[membership.pk, version.pk])
    return client.get(url).content.decode()


def test_a_past_version_is_read_and_never_saved_back(client, county):
    page = past_membership_page(client, county)
    assert "正常" in page and 'name="status"' not in page  # shown, not a form's field
    school = county.a1
    version = school.history.first()
    url = reverse("admin:members_school_simple_history", args=[school.pk, version.pk])
    form = {"code": school.code, "name": "改过的名字", "district": school.district, "stages": []}
    assert client.post(url, form).status_code == 403
    school.refresh_from_db()
    assert school.name != "改过的名字"


def test_a_failed_dissolution_keeps_the_rest_of_the_edit_out_too(client, county):
    client.force_login(county.bureau)
    url = reverse("admin:alliance_schoolgroup_change", args=[county.group_a.pk])
    response = client.post(
        url,
        {
            "name": "改名后的集团",
            "mode": "alliance",
            "charter": "",
            "dissolve_reason": "考核不合格",
            "dissolve_on": "2999-01-01",
        },
    )
    assert response.status_code == 200
    county.group_a.refresh_from_db()
    assert county.group_a.name == "青溪县实验小学教育集团"
    assert county.group_a.is_active


def test_every_admin_that_shows_an_audit_trail_has_one_to_show():
    """A history page over a model without a trail is a 500 (charter versions had one)."""
    untracked = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
        and not hasattr(model._meta, "simple_history_manager_attribute")
    ]
    assert untracked == []


# Every list the admin offers for the project's records, the audit trails included.
ADMIN_LISTS = sorted(
    (f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", model_admin)
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in {"alliance", "members", "governance"}
)
ADMIN_LIST_QUERIES = 10


def test_every_admin_list_runs_a_bounded_number_of_queries_and_searches(
    client, django_assert_max_num_queries
):
    """On the demo county (dozens of audit-trail lines, a staff list of hundreds) and with
    council rules for every group, each list reads its rows, and what names them, in a fixed
    number of queries: before, the audit trails read one to three queries a line."""
    call_command("seed_demo", stdout=io.StringIO())
    for group in SchoolGroup.objects.all():
        CouncilPolicy.objects.get_or_create(group=group)
    client.force_login(get_user_model().objects.get(username="bureau"))
    client.get(reverse("admin:index"))  # content types are read once per process
    for name, model_admin in ADMIN_LISTS:
        with django_assert_max_num_queries(ADMIN_LIST_QUERIES):
            response = client.get(reverse(name))
        assert response.status_code == 200, name
        if model_admin.search_fields:
            assert client.get(reverse(name), {"q": "青溪"}).status_code == 200, name


def test_every_admin_record_page_opens_on_the_demo_county(client):
    """Each record the admin lists also opens: an action item's page was a 500 (a read-only
    inline named the note's automatic time as a form field)."""
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="bureau"))
    opened = []
    for model in admin.site._registry:
        if model._meta.app_label not in {"alliance", "members", "governance"}:
            continue
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
        response = client.get(reverse(name, args=[record.pk]))
        assert response.status_code == 200, name
        opened.append(model._meta.model_name)
    assert "actionitem" in opened and "membership" in opened


def test_every_field_of_the_project_has_a_translated_name():
    """The admin's labels, columns and filters and the API schema are named from these; a
    field without one showed "Group:" and "以 group" to the bureau."""
    unnamed = [
        f"{model.__name__}.{field.name}"
        for app in ("alliance", "members", "governance")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and not field.auto_created
        and not field.name.startswith("history_")
        and not isinstance(field.verbose_name, Promise)
    ]
    assert unnamed == []


def test_the_admin_leads_from_a_group_or_school_to_its_page(client, county):
    """The bureau assigns council seats on the group's page; the admin had no way there."""
    client.force_login(county.bureau)
    for record, change, page in [
        (county.group_a, "admin:alliance_schoolgroup_change", "dashboard:group-detail"),
        (county.a1, "admin:members_school_change", "dashboard:school-detail"),
    ]:
        html = client.get(reverse(change, args=[record.pk])).content.decode()
        link = re.search(r'<a href="([^"]+)" class="viewsitelink">', html).group(1)
        assert client.get(link).url.endswith(reverse(page, args=[record.pk]))


def test_the_admins_stage_picker_speaks_chinese(client, county):
    """Django 5.2's Chinese catalogue lacks the picker's newer texts ("Choose all %s"), so a
    school's stages were chosen in English; locale/zh_Hans/LC_MESSAGES/djangojs.po has them."""
    client.force_login(county.bureau)
    catalog = client.get(reverse("admin:jsi18n")).content.decode()
    for english, chinese in [("Choose all %s", "全选%s"), ("Remove all %s", "全部移除%s")]:
        assert f'"{english}": {json.dumps(chinese)}' in catalog  # JSON-escaped, as Django writes


def test_a_change_of_stages_alone_in_the_admin_is_a_change_of_the_school(client, county):
    """Saved after the school, the stages changed without its updated_at: a sync missed it."""
    school = county.a1
    before = school.updated_at
    client.force_login(county.bureau)
    other = Stage.objects.exclude(pk__in=school.stages.all()).first()
    response = client.post(
        reverse("admin:members_school_change", args=[school.pk]),
        {
            "code": school.code,
            "name": school.name,
            "stages": [other.pk],
            "district": school.district,
            "address": school.address,
            "is_legal_person": "on" if school.is_legal_person else "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    school.refresh_from_db()
    assert list(school.stages.all()) == [other] and school.updated_at > before


def test_the_admin_refuses_a_members_change_of_stages_beside_the_field(client, county):
    """001 同学段: a member of a primary group keeps 小学; the refusal is the form's, not a 500."""
    SchoolGroup.objects.filter(pk=county.group_a.pk).update(stage="primary")
    school = county.a1
    client.force_login(county.bureau)
    response = client.post(
        reverse("admin:members_school_change", args=[school.pk]),
        {
            "code": school.code,
            "name": "改名不应保存",
            "stages": ["junior"],
            "district": school.district,
            "address": school.address,
            "is_legal_person": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["stages"] == [
        f"该学校是小学学段集团{county.group_a.name}的成员：请保留小学学段，或先办理退出集团。"
    ]
    school.refresh_from_db()
    assert school.name != "改名不应保存"
    assert [stage.code for stage in school.stages.all()] == ["primary"]


def test_the_bureau_grants_one_account_a_group_by_its_login_name(client, county):
    """The grant page asked for "a value compatible with User.USERNAME_FIELD"."""
    integration = UserFactory(username="sync-platform")
    client.force_login(county.bureau)
    url = reverse("admin:alliance_schoolgroup_permissions", args=[county.group_a.pk])
    page = client.get(url).content.decode()
    assert "USERNAME_FIELD" not in page and "登录名" in page
    missing = client.post(url, {"user": "nobody", "submit_manage_user": "1"}).content.decode()
    assert "没有使用该登录名的账号" in missing
    chosen = client.post(url, {"user": integration.username, "submit_manage_user": "1"})
    assert chosen.status_code == 302  # on to the account's grants for this group
    grants = client.get(chosen.url).content.decode()
    assert "可以查看教育集团" in grants and "Can view" not in grants
    client.post(chosen.url, {"permissions": ["view_schoolgroup"]})
    assert integration.has_perm("alliance.view_schoolgroup", county.group_a)


def test_the_grant_page_names_each_permission_in_chinese(client, county):
    """Django stores a permission's name in English: the table headers read "Can view school
    group"."""
    UserFactory(username="sync-platform")
    client.force_login(county.bureau)
    url = reverse("admin:members_school_permissions", args=[county.a1.pk])
    page = client.get(url).content.decode()
    assert "<th>可以查看学校</th>" in page and "Can " not in page


def test_the_english_membership_list_writes_dates_as_the_dashboard_does(english, county):
    """ "Aug. 28, 2023" widened the list past a 1440-px screen; the dashboard writes 2023-08-28."""
    english.force_login(county.bureau)
    page = english.get(reverse("admin:members_membership_changelist")).content.decode()
    approved = Membership.objects.get(school=county.a1).approved_on
    assert re.search(rf'<td class="field-approved_on[^"]*">{approved.isoformat()}</td>', page)
    assert "css/admin/actions" in page  # the action bar's reason and dates wrap as pairs


def test_the_chinese_admin_writes_dates_as_the_dashboard_does(client, county):
    """Django's 2023年8月28日 beside the dashboard's 2023-08-28 read as two systems."""
    client.force_login(county.bureau)
    page = client.get(reverse("admin:members_membership_changelist")).content.decode()
    approved = Membership.objects.get(school=county.a1).approved_on
    assert re.search(rf'<td class="field-approved_on[^"]*">{approved.isoformat()}</td>', page)


def test_the_admins_stage_list_names_stages_in_chinese(client, county):
    client.force_login(county.bureau)
    page = client.get(reverse("admin:members_stage_changelist")).content.decode()
    assert "小学" in page and "Primary" not in page
    primary = reverse("admin:members_stage_change", args=["primary"])
    assert f'<a href="{primary}">小学</a>' in page  # the name leads to the stage, not its code


def policy_form(group, **cadence) -> dict:
    """The council policy's admin form as the bureau fills it in: each meeting kind's period
    and number (empty: the default)."""
    data = {
        "group": group.pk,
        "seat_term_years": "",
        "quorum_ratio": "",
        "majority_ratio": "",
        "charter_majority_ratio": "",
    }
    for kind in MeetingKind:
        period, count = cadence.get(kind.value, ("", ""))
        data[f"cadence_{kind.value}_0"], data[f"cadence_{kind.value}_1"] = period, count
    return data


def test_the_bureau_sets_required_meetings_by_picking_a_period_and_a_number(client, county):
    """It typed {"council": ["month", 1]} as JSON before; now a select and a number per kind."""
    client.force_login(county.bureau)
    page = client.get(reverse("admin:governance_councilpolicy_add")).content.decode()
    assert '<option value="month">每月</option>' in page
    assert "默认：每月 1 次。" in page and "默认：每学年 2 次。" in page  # council, principals
    body = policy_form(county.group_a, council=("year", 10), academic=("year", 2))
    response = client.post(reverse("admin:governance_councilpolicy_add"), body)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = CouncilPolicy.objects.get(group=county.group_a)
    assert policy.cadence == {"council": ["year", 10], "academic": ["year", 2]}
    change = reverse("admin:governance_councilpolicy_change", args=[policy.pk])
    shown = client.get(change).content.decode()
    council = shown.split('name="cadence_council_0"')[1].split("</select>")[0]
    assert '<option value="year" selected>' in council
    assert 'name="cadence_council_1" value="10"' in shown
    # Emptied again: back to the default.
    assert client.post(change, policy_form(county.group_a)).status_code == 302
    policy.refresh_from_db()
    assert policy.cadence == {}
    # The history says what changed in words, not as JSON.
    history = client.get(reverse("admin:governance_councilpolicy_history", args=[policy.pk]))
    said = "理事会议：每学年 10 次；学术交流会：每学年 2 次&nbsp;&rarr;&nbsp;—"
    assert said in history.content.decode()


@pytest.mark.parametrize("rule", [("month", ""), ("", "3"), ("year", "0")])
def test_a_half_given_or_impossible_meeting_rule_is_refused_beside_its_kind(client, county, rule):
    client.force_login(county.bureau)
    body = policy_form(county.group_a, council=rule)
    response = client.post(reverse("admin:governance_councilpolicy_add"), body)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["cadence_council"]
    assert not CouncilPolicy.objects.exists()


def test_the_council_policy_form_has_a_rule_for_every_meeting_kind():
    from governance.admin import CouncilPolicyForm

    assert {f"cadence_{kind.value}" for kind in MeetingKind} <= set(CouncilPolicyForm.base_fields)


def test_the_required_meetings_defaults_shown_are_the_deployments(client, county, settings):
    settings.GOVERNANCE_DEFAULTS = {
        **settings.GOVERNANCE_DEFAULTS,
        "cadence": {**settings.GOVERNANCE_DEFAULTS["cadence"], "council": ["year", 6]},
    }
    client.force_login(county.bureau)
    page = client.get(reverse("admin:governance_councilpolicy_add")).content.decode()
    assert "默认：每学年 6 次。" in page


def test_the_bureau_adds_a_teacher_in_the_admin_and_a_second_principal_is_refused(client, county):
    client.force_login(county.bureau)
    url = reverse("admin:members_staff_add")
    typed = {"name": "李老师", "staff_no": "A1-T900", "school": county.a1.pk, "subject": "语文"}
    added = client.post(url, {**typed, "post": "teacher", "title": "none", "is_active": "on"})
    assert added.status_code == 302
    teacher = Staff.objects.get(staff_no="A1-T900")
    assert teacher.history.get().history_interface == "admin"

    second = {**typed, "staff_no": "A1-P900", "post": "principal", "title": "none"}
    refused = client.post(url, {**second, "is_active": "on"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["__all__"] == ["该学校已有在任校长。"]
    assert not Staff.objects.filter(staff_no="A1-P900").exists()


def test_the_bureau_reads_whom_a_meeting_invites_joined_as_in_chinese(client, county):
    """Django joined the read-only lists with ASCII commas: "青溪一小, 青溪二小"."""
    teachers = [StaffFactory(school=county.a1, name=name) for name in ("周敏", "吴芳")]
    coming = meeting(county, days_ago=-9, invited_people=teachers)
    client.force_login(county.bureau)
    page = client.get(reverse("admin:governance_meeting_change", args=[coming.pk]))
    text = re.sub(r"\s+", " ", page.content.decode())
    schools = "、".join(s.name for s in (county.a0, county.a1, county.a2))
    assert f'<div class="readonly">{schools}</div>' in text
    assert text.count("field-invited_school_names") == 1
    assert text.count("field-invited_people_names") == 1
    people = "、".join(person.name for person in coming.invited_people.all())
    assert sorted(people.split("、")) == ["吴芳", "周敏"]
    assert f'<div class="readonly">{people}</div>' in text


def test_the_admin_speaks_chinese_without_spaces_around_names_or_ascii_colons(client, county):
    """Django's catalogue said 选择 学校 来修改, 增加 学校 and 查看历史记录: 某校."""
    client.force_login(county.bureau)
    schools = client.get(reverse("admin:members_school_changelist")).content.decode()
    assert "<h1>选择要修改的学校</h1>" in schools
    assert "添加学校" in schools and "增加" not in schools
    meetings = client.get(reverse("admin:governance_meeting_changelist")).content.decode()
    assert "<h1>选择要查看的会议</h1>" in meetings
    url = reverse("admin:members_school_history", args=[county.a1.pk])
    history = client.get(url).content.decode()
    assert f"<h1>变更历史：{county.a1.name}</h1>" in history
    app = client.get(reverse("admin:app_list", args=["members"])).content.decode()
    assert "<h1>学校与成员管理</h1>" in app


def test_true_false_filters_read_yes_and_no_not_a_votes_for_and_against(client, county):
    """The project's 'Yes' (赞成, a vote) was Django's too: every true/false filter of the admin
    offered 全部 赞成 反对, and a meeting without people invited showed 'None'."""
    client.force_login(county.bureau)
    staff = client.get(reverse("admin:members_staff_changelist")).content.decode()
    assert "赞成" not in staff and "反对" not in staff
    assert ">是</a>" in staff and ">否</a>" in staff
    coming = meeting(county, days_ago=-9)
    page = client.get(reverse("admin:governance_meeting_change", args=[coming.pk]))
    text = re.sub(r"\s+", " ", page.content.decode())
    assert '<div class="readonly">None</div>' not in text


def test_the_admin_says_saved_and_found_in_plain_chinese(client, county):
    client.force_login(county.bureau)
    url = reverse("admin:members_school_changelist")
    found = client.get(url, {"q": county.a1.name}).content.decode()
    assert "找到 1 条" in found and "过滤器" not in found


def test_records_are_named_with_chinese_punctuation_in_the_admin(client, county):
    """Titles and breadcrumbs read 袁霞 (3152230001001), ASCII brackets in Chinese."""
    person = county.teacher_a1.staff
    client.force_login(county.bureau)
    page = client.get(reverse("admin:members_staff_change", args=[person.pk])).content.decode()
    assert f"{person.name}（{person.staff_no}）" in page
    assert f"{person.name} ({person.staff_no})" not in page


def test_the_admin_welcomes_the_bureau_by_full_name_in_one_chinese_sentence(client, county):
    """Django wrote "欢迎， 思浩." (the given name, an ASCII full stop)."""
    county.bureau.last_name, county.bureau.first_name = "唐", "思浩"
    county.bureau.save()
    client.force_login(county.bureau)
    index = re.sub(r"\s+", " ", client.get(reverse("admin:index")).content.decode())
    assert "欢迎，<strong>唐思浩</strong>。" in index


def test_a_lists_footer_counts_its_records_in_a_sentence(client, county):
    """It read "2 教育集团": a number glued to a name."""
    client.force_login(county.bureau)
    page = client.get(reverse("admin:alliance_schoolgroup_changelist")).content.decode()
    assert "共 2 条教育集团" in re.sub(r"\s+", " ", page)


def test_a_past_versions_breadcrumb_names_the_app_and_records_in_chinese(client, county):
    """It read 首页 › Members › 成员资格变更记录, the app's code and the history's name."""
    page = past_membership_page(client, county)
    crumbs = re.sub(
        r"<[^>]+>|\s+", "", page.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    )
    assert crumbs.startswith("首页&rsaquo;学校与成员&rsaquo;成员资格&rsaquo;"), crumbs
