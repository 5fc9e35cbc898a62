"""Dashboard pages as principals, chairs and teachers use them."""

import re

import pytest
from django.urls import reverse

from members import services as member_services
from members.models import Membership, MembershipStatus
from tests.conftest import PASSWORD, join, staff_user
from tests.members.factories import SchoolFactory, StaffFactory, past

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese_and_logs_in(client, county):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page
    response = client.post(reverse("login"), {"username": "chair", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("dashboard:home")).content.decode()
    assert "理事长" in home  # the role in the top bar
    assert county.group_a.name in home


def test_switching_to_english(client, county):
    client.force_login(county.chair)
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Group chair" in client.get(reverse("dashboard:home")).content.decode()
    # Kept after the browser restarts: a cookie with an age, not one for the session.
    assert switched.cookies["django_language"]["max-age"] == 365 * 24 * 60 * 60


def test_pages_stay_chinese_for_an_english_browser_until_the_person_switches(client, county):
    client.force_login(county.chair)
    page = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "理事长" in page.content.decode()
    assert page["Content-Language"] == "zh-hans"


def test_the_api_answers_in_the_language_the_client_asks_for(client, county):
    client.force_login(county.chair)
    english = client.get("/api/v1/nowhere/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/v1/nowhere/")
    assert english.json() != chinese.json()
    assert english["Content-Language"] == "en"


def test_a_teacher_sees_their_own_record_on_the_home_page(client, county):
    client.force_login(county.teacher_a1)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert county.teacher_a1.staff.staff_no in page
    assert county.group_b.name not in page


def test_a_user_without_a_role_gets_an_empty_state(client, county):
    client.force_login(county.outsider)
    page = client.get(reverse("dashboard:group-list")).content.decode()
    assert county.group_a.name not in page
    assert "尚未" in page or "not part of any group" in page


def test_group_list_search_and_pagination(client, county):
    client.force_login(county.bureau)
    found = client.get(reverse("dashboard:group-list"), {"q": "东河"}).content.decode()
    assert county.group_b.name in found
    assert county.group_a.name not in found


def test_the_chair_warns_a_member_from_the_school_page(client, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    county.chair.last_name, county.chair.first_name = "袁", "霞"
    county.chair.save()
    client.force_login(county.chair)
    school_page = client.get(reverse("dashboard:school-detail", args=[county.a1.pk]))
    url = reverse("dashboard:membership-act", args=[membership.pk, "warn"])
    assert url in school_page.content.decode()
    response = client.post(url, {"reason": "两次缺席理事会议"}, follow=True)
    assert response.status_code == 200
    said = [str(m) for m in response.context["messages"]]
    assert said == [f"{county.a1.name}（{county.group_a.name}）：已警告。"]
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.WARNED
    # The timeline names who warned, family name first, and why.
    assert "警告 · 记录人：袁霞 — 两次缺席理事会议" in response.content.decode()


def test_a_member_school_is_not_offered_a_second_group(client, county):
    apply = reverse("dashboard:membership-apply", args=[county.a1.pk])
    client.force_login(county.principal_a1)
    school_page = client.get(reverse("dashboard:school-detail", args=[county.a1.pk]))
    assert apply not in school_page.content.decode()
    refused = client.post(apply, {"group": county.group_b.pk}).content.decode()
    assert f"该学校已是{county.group_a.name}的成员，一所学校同一时间只能加入一个集团。" in refused
    assert "申请加入：申请加入" not in refused  # the heading said it twice
    assert not Membership.objects.filter(school=county.a1, group=county.group_b).exists()


def test_a_principal_is_refused_the_chairs_actions(client, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    client.force_login(county.principal_a1)
    url = reverse("dashboard:membership-act", args=[membership.pk, "warn"])
    assert client.post(url, {"reason": "x"}).status_code == 403
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_a_rule_broken_on_a_page_is_shown_inline_and_nothing_changes(client, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    client.force_login(county.principal_a1)
    url = reverse("dashboard:membership-act", args=[membership.pk, "withdraw"])
    before_approval = str(past(400))
    response = client.post(url, {"notice_on": before_approval})
    assert response.status_code == 200
    assert "不能早于" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_the_withdrawal_form_says_a_school_that_leaves_may_not_rejoin(client, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    client.force_login(county.principal_a1)
    url = reverse("dashboard:membership-act", args=[membership.pk, "withdraw"])
    assert "退出后不得再次加入本集团" in client.get(url).content.decode()


def test_a_principal_applies_to_join_a_group_from_the_dashboard(client, county):
    membership = Membership.objects.get(school=county.b1, group=county.group_b)
    client.force_login(county.principal_b1)
    client.post(
        reverse("dashboard:membership-act", args=[membership.pk, "withdraw"]),
        {"notice_on": str(past(0))},
    )
    response = client.post(
        reverse("dashboard:membership-apply", args=[county.b1.pk]),
        {"group": county.group_a.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert Membership.objects.filter(school=county.b1, group=county.group_a, status="applied")


@pytest.mark.parametrize("who", ["bureau", "chair", "principal_a1", "teacher_a1"])
def test_dashboard_pages_run_a_bounded_number_of_queries(
    client, county, django_assert_max_num_queries, who
):
    for _ in range(3):
        school = SchoolFactory()
        join(school=school, group=county.group_a, by=county.bureau)
        StaffFactory.create_batch(10, school=school)
    StaffFactory.create_batch(40, school=county.a1)
    client.force_login(getattr(county, who))
    pages = [
        reverse("dashboard:home"),
        reverse("dashboard:group-list"),
        reverse("dashboard:group-detail", args=[county.group_a.pk]),
        reverse("dashboard:school-detail", args=[county.a1.pk]),
    ]
    for url in pages:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


def test_a_form_the_viewer_cannot_submit_is_refused_before_it_is_shown(client, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    client.force_login(county.principal_a1)
    assert (
        client.get(reverse("dashboard:membership-act", args=[membership.pk, "warn"])).status_code
        == 403
    )
    client.force_login(county.teacher_a1)
    assert client.get(reverse("dashboard:membership-apply", args=[county.a1.pk])).status_code == 403


def test_the_bureau_readmits_a_school_that_left_from_the_dashboard(client, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    client.force_login(county.bureau)
    client.post(
        reverse("dashboard:membership-act", args=[membership.pk, "withdraw"]),
        {"notice_on": str(past(0))},
    )
    url = reverse("dashboard:membership-apply", args=[county.a1.pk])
    refused = client.post(url, {"group": county.group_a.pk})
    assert refused.status_code == 200  # the form again, with the refusal
    assert not Membership.objects.filter(school=county.a1, status="applied").exists()
    client.post(url, {"group": county.group_a.pk, "override_reason": "县教育局同意"})
    readmitted = Membership.objects.get(school=county.a1, status="applied")
    assert readmitted.rejoin_override_by == county.bureau


def test_the_group_page_counts_members_as_the_cap_does(client, county):
    client.force_login(county.chair)
    page = client.get(reverse("dashboard:group-detail", args=[county.group_a.pk])).content.decode()
    assert "2 所（不含龙头学校，上限 5 所）" in page


def test_on_a_phone_each_member_school_reads_as_a_block_with_its_dates_and_staff(english, county):
    """The members table scrolled sideways with no sign of it: dates were clipped, staff and
    backbone teachers hidden."""
    english.force_login(county.chair)
    url = reverse("dashboard:group-detail", args=[county.group_a.pk])
    page = english.get(url).content.decode()
    members = page[page.index("<h2>Member schools</h2>") :]
    members = members[: members.index("</table>")]
    assert '<table class="stacked">' in members
    rows = re.findall(r"<tr>\s*<td class=\"row-title\">.*?</tr>", members, re.S)
    assert len(rows) == 3  # the lead school and its two members
    for row in rows:
        labels = re.findall(r'<td data-label="([^"]+)"', row)
        assert labels == ["Status", "Member since", "Staff", "Backbone teachers"]


def test_the_group_page_pictures_membership_the_cap_and_the_meeting_calendar(client, county):
    client.force_login(county.principal_a1)
    page = client.get(reverse("dashboard:group-detail", args=[county.group_a.pk])).content.decode()
    assert 'role="progressbar" aria-valuemin="0" aria-valuemax="5" aria-valuenow="2"' in page
    assert '<svg class="chart"' in page and 'id="membership-chart-title"' in page
    assert '<ol class="calendar month">' in page  # council meetings month by month
    assert page.count('class="due current"') + page.count('class="held current"') == 1
    # Not by colour alone: each month also says its state in words, for a screen reader.
    assert '<span class="visually-hidden">待召开 · 本月</span>' in page


def test_changing_the_password_and_logging_out_each_say_so(client, county):
    client.force_login(county.chair)
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-pass-for-2027",
            "new_password2": "a-new-pass-for-2027",
        },
        follow=True,
    )
    assert "密码已修改" in changed.content.decode()
    gone = client.post(reverse("logout"), follow=True)
    assert "您已退出登录" in gone.content.decode()
    assert gone.request["PATH_INFO"] == reverse("login")


def test_every_refusal_of_a_new_password_is_in_chinese(client, county):
    """ "This password is too short…" came in English on the Chinese page (Django 5.2 reworded
    it; its Chinese catalogue had not followed)."""
    client.force_login(county.chair)
    refused = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    ).content.decode()
    assert "密码太短，至少需要 12 个字符。" in refused
    assert "这个密码太常见了。" in refused
    assert "This password" not in refused


def test_the_group_list_filters_by_mode_and_status_and_says_when_nothing_matches(client, county):
    client.force_login(county.bureau)
    url = reverse("dashboard:group-list")
    alliances = client.get(url, {"mode": "alliance"}).content.decode()
    assert county.group_a.name in alliances and county.group_b.name in alliances
    nothing = client.get(url, {"mode": "tight"}).content.decode()
    assert county.group_a.name not in nothing
    assert "没有符合条件的集团" in nothing
    assert client.get(url, {"mode": "bogus", "status": "x"}).status_code == 200  # ignored


def test_the_group_list_pager_keeps_the_search(client, county, settings):
    from tests.alliance.factories import make_group

    for number in range(26):
        make_group(by=county.bureau, name=f"示范集团{number:02}")
    client.force_login(county.bureau)
    page = client.get(reverse("dashboard:group-list"), {"q": "示范", "mode": "alliance"})
    assert "?q=%E7%A4%BA%E8%8C%83&amp;mode=alliance&amp;page=2" in page.content.decode()


def test_the_top_bar_names_a_staff_members_post_not_just_teacher(client, county):
    from members.models import Post
    from tests.conftest import staff_user

    manager = staff_user(school=county.a0, post=Post.MIDDLE_MANAGER, username="manager")
    client.force_login(manager.user)
    topbar = client.get(reverse("dashboard:home")).content.decode().split("</header>")[0]
    assert "中层干部" in topbar


def test_the_top_bar_names_a_secretary_general_by_the_seat(client, county):
    from tests.governance.factories import secretary_general

    client.force_login(secretary_general(county))
    topbar = client.get(reverse("dashboard:home")).content.decode().split("</header>")[0]
    assert "秘书长" in topbar and "副校长" not in topbar


def test_the_top_bar_names_the_bureau_not_its_login(client, county):
    county.bureau.first_name = "青溪县教育局"
    county.bureau.save()
    client.force_login(county.bureau)
    topbar = client.get(reverse("dashboard:home")).content.decode().split("</header>")[0]
    assert "青溪县教育局" in topbar and ">bureau<" not in topbar


def test_a_former_member_is_linked_only_for_those_who_may_open_its_page(english, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    member_services.membership_withdraw(
        membership=membership, notice_on=past(0), by=county.principal_a1
    )
    school_page = reverse("dashboard:school-detail", args=[county.a1.pk])
    group_page = reverse("dashboard:group-detail", args=[county.group_a.pk])
    for user, opens in ((county.chair, False), (county.bureau, True)):
        english.force_login(user)
        page = english.get(group_page).content.decode()
        assert county.a1.name in page.split("<h2>Applications and former members</h2>")[1]
        assert (school_page in page) is opens
        assert (english.get(school_page).status_code == 200) is opens


def test_a_principal_withdraws_an_application_made_by_mistake_from_the_school_page(client, county):
    school = SchoolFactory()
    principal = staff_user(school=school, post="principal", username="p_new").user
    mistake = member_services.membership_apply(school=school, group=county.group_b, by=principal)
    client.force_login(principal)
    page = client.get(reverse("dashboard:school-detail", args=[school.pk])).content.decode()
    url = reverse("dashboard:membership-act", args=[mistake.pk, "cancel"])
    assert f'href="{url}">撤回申请</a>' in page
    apply = reverse("dashboard:membership-apply", args=[school.pk])
    assert apply not in page  # one open application at a time
    response = client.post(url, {"reason": "选错了集团"}, follow=True)
    assert "申请已撤回" in response.content.decode()
    assert "选错了集团" in response.content.decode()  # the reason stays in the timeline
    mistake.refresh_from_db()
    assert mistake.status == MembershipStatus.CANCELLED
    assert url not in response.content.decode()  # nothing left to withdraw
    assert apply in response.content.decode()  # free to apply again
    assert client.get(url).status_code == 403


def test_applications_and_former_members_come_newest_first_a_page_at_a_time(
    english, county, django_assert_max_num_queries
):
    """Taken back, refused and former applications pile up over the years: the group page
    listed every one of them."""
    school = SchoolFactory()
    for n in range(26):
        application = member_services.membership_apply(
            school=school, group=county.group_a, by=county.bureau
        )
        member_services.membership_cancel(
            membership=application, by=county.bureau, reason=f"第{n}次"
        )
    english.force_login(county.chair)
    url = reverse("dashboard:group-detail", args=[county.group_a.pk])
    english.get(url)  # warm up
    with django_assert_max_num_queries(16):
        first = english.get(url).content.decode()
    history = first.split("<h2>Applications and former members</h2>")[1]
    assert history.count('<td class="row-title">') == 25
    assert 'href="?history=2#history">Next ›</a>' in history
    last = english.get(url, {"history": 2}).content.decode()
    history = last.split("<h2>Applications and former members</h2>")[1]
    assert history.count('<td class="row-title">') == 1  # the oldest, on the last page
    assert "Page 2 of 2" in history
