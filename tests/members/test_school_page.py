"""The school page's memberships and staff, and the forms its buttons open, as a principal, the
chair and the bureau use them on a phone.

Texts new with these pages are asserted in English (the language switch), until their Chinese
translations are in locale/; structure (ids, classes, hrefs) as the page renders by default.
"""

import re

import pytest
from django.urls import reverse

from alliance.models import GroupMode, GroupStatus, SchoolGroup
from members import services
from members.models import Membership, MembershipStatus, Post
from tests.alliance.factories import make_group
from tests.conftest import join, staff_user
from tests.members.factories import SchoolFactory, StaffFactory, past

pytestmark = pytest.mark.django_db


def page_of(client, user, name: str, school) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=[school.pk]))
    assert response.status_code == 200
    return response.content.decode()


def school_page(client, user, school) -> str:
    return page_of(client, user, "dashboard:school-detail", school)


def buttons(page: str) -> dict[str, str]:
    """A membership's action buttons: action name -> the button's class."""
    found = re.findall(r'<a class="([^"]+)" data-action="(\w+)"', page)
    return {action: classes for classes, action in found}


def withdraw(county, school, group) -> Membership:
    membership = Membership.objects.get(school=school, group=group)
    return services.membership_withdraw(membership=membership, by=county.bureau, notice_on=past(0))


# --- Leaving the group --------------------------------------------------------------------------


def test_leaving_the_group_is_named_so_and_looks_unlike_the_other_actions(english, county):
    page = school_page(english, county.principal_a1, county.a1)
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    leave = reverse("dashboard:membership-act", args=[membership.pk, "withdraw"])
    assert f'href="{leave}">Leave the group</a>' in page
    assert ">Withdraw</a>" not in page
    assert buttons(page) == {"withdraw": "button small danger"}


def test_approving_stands_out_from_rejecting_and_taking_an_application_back(english, county):
    school = SchoolFactory()
    services.membership_apply(school=school, group=county.group_a, by=county.bureau)
    shown = buttons(school_page(english, county.bureau, school))
    assert shown == {
        "approve": "button small",
        "reject": "button small secondary",
        "cancel": "button small secondary",
    }


def test_the_leave_form_names_the_action_and_what_it_acts_on(english, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    english.force_login(county.principal_a1)
    page = english.get(reverse("dashboard:membership-act", args=[membership.pk, "withdraw"]))
    heading = f"<h1>Leave the group: {county.a1.name} in {county.group_a.name}</h1>"
    assert heading in page.content.decode()
    # Its button says what it does, as a danger, not a bare "Confirm".
    assert '<button type="submit" class="danger">Leave the group</button>' in page.content.decode()


def test_a_form_leads_back_to_its_school_and_names_the_action_in_the_breadcrumbs(english, county):
    """They read "Dashboard › 东河镇中心小学 in 青溪县实验小学教育联盟", neither linked nor naming
    what the form does."""
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    school_page = reverse("dashboard:school-detail", args=[county.a1.pk])
    english.force_login(county.principal_a1)
    leave = english.get(reverse("dashboard:membership-act", args=[membership.pk, "withdraw"]))
    english.force_login(county.bureau)
    apply = english.get(reverse("dashboard:membership-apply", args=[county.a1.pk]))  # closed
    for page, here in [(leave, "Leave the group"), (apply, "Apply to join a group")]:
        crumbs = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', page.content.decode()).group(1)
        assert crumbs.endswith(f'<a href="{school_page}">{county.a1.name}</a> › {here}')


def test_the_expel_form_says_that_the_school_may_not_come_back(english, county):
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    english.force_login(county.bureau)
    page = english.get(reverse("dashboard:membership-act", args=[membership.pk, "expel"]))
    page = page.content.decode()
    assert "An expelled school may not join this group again" in page
    assert '<button type="submit" class="danger">Expel</button>' in page
    assert page.index('name="expelled_on"') < page.index('name="reason"')  # as on leaving


def test_the_chair_is_sent_to_the_council_to_expel_a_member(client, county):
    """000 第十三条: the council expels. The chair's page has no expel button but says where
    it is decided; the form's address is refused and nothing changes."""
    membership = Membership.objects.get(school=county.a1, group=county.group_a)
    page = school_page(client, county.chair, county.a1)
    assert 'data-action="expel"' not in page
    assert "取消成员资格须经理事会表决" in page
    assert reverse("dashboard:council", args=[county.group_a.pk]) + "#meetings" in page
    url = reverse("dashboard:membership-act", args=[membership.pk, "expel"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "长期不参加集团活动"}).status_code == 403
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.ACTIVE


# --- A group the school left ----------------------------------------------------------------------


def test_a_group_the_school_left_is_named_but_not_linked_for_its_principal(client, county):
    withdraw(county, county.a1, county.group_a)
    page = school_page(client, county.principal_a1, county.a1)
    group_page = reverse("dashboard:group-detail", args=[county.group_a.pk])
    assert county.group_a.name in page.split('class="membership"')[1]
    assert group_page not in page
    client.force_login(county.principal_a1)
    assert client.get(group_page).status_code == 404  # the link it no longer shows


def test_the_bureau_is_still_led_to_a_group_the_school_left(client, county):
    withdraw(county, county.a1, county.group_a)
    page = school_page(client, county.bureau, county.a1)
    assert reverse("dashboard:group-detail", args=[county.group_a.pk]) in page


def test_a_current_group_is_linked(client, county):
    page = school_page(client, county.principal_a1, county.a1)
    assert reverse("dashboard:group-detail", args=[county.group_a.pk]) in page


# --- The staff table on a phone -------------------------------------------------------------------


def test_each_staff_cell_names_its_column_for_the_stacked_phone_layout(english, county):
    StaffFactory(school=county.a1, name="林晓雯", subject="语文")
    page = school_page(english, county.principal_a1, county.a1)
    assert '<table class="stacked">' in page
    row = page.split("林晓雯")[0].rsplit("<tr>", 1)[1] + "林晓雯" + page.split("林晓雯")[1]
    row = row.split("</tr>")[0]
    for label in ("Staff number", "Full name", "Post", "Subject", "Professional title"):
        assert f'data-label="{label}"' in row


# --- Applying to a group --------------------------------------------------------------------------


def apply_form(client, user, school) -> str:
    return page_of(client, user, "dashboard:membership-apply", school)


def options(page: str) -> dict[str, str]:
    """The group choice's options: value -> text."""
    select = page.split('name="group"')[1].split("</select>")[0]
    return dict(re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select))


def test_the_apply_form_shows_each_groups_mode_stage_and_free_places(english, county):
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    tight = make_group(by=county.bureau, mode=GroupMode.TIGHT, name="北山紧密型集团")
    join(school=SchoolFactory(), group=tight, by=county.bureau)
    page = apply_form(english, principal, school)
    shown = options(page)
    assert shown[""] == "Choose a group"
    assert shown[str(tight.pk)] == (
        f"北山紧密型集团 · Tight · {tight.stage or 'Across stages'} · 2 of 3 places free"
    )
    # Group A: lead A0 and members A1, A2 (the cap counts members besides the lead).
    assert shown[str(county.group_a.pk)].endswith(" · 3 of 5 places free")


def test_a_full_group_shows_no_free_places(english, county):
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    full = make_group(by=county.bureau, mode=GroupMode.TIGHT, name="北山紧密型集团")
    for _ in range(3):
        join(school=SchoolFactory(), group=full, by=county.bureau)
    shown = options(apply_form(english, principal, school))
    assert shown[str(full.pk)].endswith(" · 0 of 3 places free")


def test_a_principal_is_not_offered_the_group_the_school_left_nor_a_dissolved_one(client, county):
    withdraw(county, county.b1, county.group_b)
    dissolved = make_group(by=county.bureau, name="已撤销集团")
    SchoolGroup.objects.filter(pk=dissolved.pk).update(
        status=GroupStatus.DISSOLVED, dissolved_on=past(1)
    )
    shown = options(apply_form(client, county.principal_b1, county.b1))
    assert str(county.group_a.pk) in shown
    assert str(county.group_b.pk) not in shown
    assert str(dissolved.pk) not in shown


def test_the_bureau_is_offered_the_group_the_school_left_to_re_admit_it(client, county):
    withdraw(county, county.b1, county.group_b)
    page = apply_form(client, county.bureau, county.b1)
    assert str(county.group_b.pk) in options(page)
    assert 'name="override_reason"' in page


def test_the_apply_form_names_the_action_and_says_the_bureau_decides(english, county):
    withdraw(county, county.b1, county.group_b)
    page = apply_form(english, county.principal_b1, county.b1)
    assert f"<h1>Apply to join a group: {county.b1.name}</h1>" in page
    assert "The education bureau approves or rejects the application." in page


def test_an_application_from_the_form_waits_for_the_bureau(client, county):
    withdraw(county, county.b1, county.group_b)
    client.force_login(county.principal_b1)
    response = client.post(
        reverse("dashboard:membership-apply", args=[county.b1.pk]),
        {"group": county.group_a.pk},
    )
    assert response.status_code == 302
    assert Membership.objects.get(school=county.b1, group=county.group_a).status == "applied"


def closed_form(page: str) -> str:
    """What the apply page says instead of its form, or "" when it shows the form."""
    match = re.search(r'<p class="empty" id="form-closed">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


def test_a_principal_whose_school_left_every_active_group_is_told_why_none_is_open(english, county):
    withdraw(county, county.b1, county.group_b)
    SchoolGroup.objects.filter(pk=county.group_a.pk).update(
        status=GroupStatus.DISSOLVED, dissolved_on=past(1)
    )
    page = apply_form(english, county.principal_b1, county.b1)
    assert closed_form(page).startswith(
        "No group is open to this school: it left every active group of its stages"
    )
    assert 'name="group"' not in page and '<button type="submit">' not in page
    school_page = reverse("dashboard:school-detail", args=[county.b1.pk])
    assert f'<a href="{school_page}">Back</a>' in page


def test_with_no_active_group_the_apply_page_says_none_is_open(english, bureau):
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    page = apply_form(english, principal, school)
    assert closed_form(page) == "No group is open to this school: no group is active at present."
    assert '<button type="submit">' not in page


def test_a_school_already_in_a_group_is_told_so_instead_of_a_form(english, county):
    page = apply_form(english, county.principal_a1, county.a1)
    assert closed_form(page) == (
        f"This school is a member of {county.group_a.name}; "
        "a school belongs to one group at a time."
    )
    assert '<button type="submit">' not in page


def test_a_school_waiting_on_an_application_is_told_so_instead_of_a_form(english, county):
    withdraw(county, county.b1, county.group_b)
    services.membership_apply(school=county.b1, group=county.group_a, by=county.principal_b1)
    page = apply_form(english, county.principal_b1, county.b1)
    assert closed_form(page).startswith(
        f"This school has an open application to {county.group_a.name};"
    )
    assert '<button type="submit">' not in page


def test_a_post_to_a_closed_apply_page_applies_to_nothing(client, county):
    client.force_login(county.principal_a1)
    url = reverse("dashboard:membership-apply", args=[county.a1.pk])
    response = client.post(url, {"group": county.group_b.pk})
    assert response.status_code == 200
    assert not Membership.objects.filter(school=county.a1, group=county.group_b).exists()


def test_the_bureau_may_re_admit_a_school_that_left_every_active_group(client, county):
    withdraw(county, county.b1, county.group_b)
    SchoolGroup.objects.filter(pk=county.group_a.pk).update(
        status=GroupStatus.DISSOLVED, dissolved_on=past(1)
    )
    page = apply_form(client, county.bureau, county.b1)
    assert not closed_form(page)
    assert str(county.group_b.pk) in options(page)


# --- The staff list -------------------------------------------------------------------------------

HIDDEN_NOTE = "Only the staff records your role may see are listed"


def test_a_teacher_is_told_their_own_record_is_not_the_whole_staff(english, county):
    """A teacher saw a "Staff" table of one row, themselves, under a search box."""
    StaffFactory(school=county.a1)
    page = school_page(english, county.teacher_a1, county.a1)
    assert HIDDEN_NOTE in page
    assert 'name="q"' not in page  # nothing to narrow in one record
    principal_page = school_page(english, county.principal_a1, county.a1)
    assert HIDDEN_NOTE not in principal_page and 'name="q"' in principal_page


def test_the_chair_is_told_why_an_applicant_schools_staff_is_not_listed(english, county):
    """ "No staff records to show" for a school of fourteen staff the chair may not see yet."""
    school = SchoolFactory()
    StaffFactory.create_batch(3, school=school)
    services.membership_apply(school=school, group=county.group_a, by=county.bureau)
    page = school_page(english, county.chair, school)
    assert HIDDEN_NOTE in page and "No staff records you may see." in page
    assert "No staff records to show." not in page


def test_the_membership_history_says_who_recorded_each_step(client, county):
    """The bureau recorded the application: "已申请 · 青溪县教育局" read as if it had applied."""
    page = school_page(client, county.principal_a1, county.a1)
    assert "已申请 · 记录人：bureau" in page
