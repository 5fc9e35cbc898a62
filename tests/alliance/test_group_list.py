"""The group list and the home page's groups: a form reads the filters, the selector applies
them; the home page shows the first few and links to the rest."""

import re

import pytest
from django.urls import reverse

from alliance import selectors
from alliance.forms import GroupSearchForm
from alliance.services import group_dissolve
from members import services as member_services
from members.models import Membership, Post
from tests.alliance.factories import make_group
from tests.conftest import fresh, staff_user
from tests.members.factories import SchoolFactory, past

pytestmark = pytest.mark.django_db


def names(groups) -> list[str]:
    return [group.name for group in groups]


def test_the_form_keeps_the_valid_filters_and_leaves_out_unknown_ones():
    form = GroupSearchForm({"q": "  东河 ", "mode": "bogus", "status": "active"})
    assert form.filters() == {"q": "东河", "status": "active"}
    assert GroupSearchForm({}).filters() == {}


def test_the_selector_matches_group_or_lead_school_names_mode_and_status(county):
    tight = make_group(by=county.bureau, name="城南教育共同体", mode="tight")
    group_dissolve(group=tight, by=county.bureau, reason="评估不合格", dissolved_on=past(1))
    bureau = county.bureau
    assert names(selectors.group_list(user=bureau, filters={"q": county.b0.name})) == [
        county.group_b.name
    ]
    assert names(selectors.group_list(user=bureau, filters={"mode": "tight"})) == ["城南教育共同体"]
    active = selectors.group_list(user=bureau, filters={"status": "active"})
    assert "城南教育共同体" not in names(active)
    assert len(selectors.group_list(user=bureau)) == 3


def test_the_page_shows_the_search_it_ran(client, county):
    client.force_login(county.bureau)
    page = client.get(reverse("dashboard:group-list"), {"q": " 东河 ", "mode": "alliance"})
    text = page.content.decode()
    assert 'name="q" value="东河"' in text
    assert '<option value="alliance" selected>' in text
    assert page.context["filtered"] is True


def test_the_home_page_lists_the_first_ten_groups_and_links_to_the_rest(english, county):
    for n in range(9):
        make_group(by=county.bureau, name=f"第{n}教育集团")
    english.force_login(county.bureau)
    page = english.get(reverse("dashboard:home")).content.decode()
    table = page.split("<h2>Groups</h2>")[1]
    assert table.count('<tr><td class="row-title"><a href="/groups/') == 10
    assert "10 of 11 groups." in table and reverse("dashboard:group-list") in table
    english.force_login(county.chair)  # one group: no "of"
    assert " of 1 groups" not in english.get(reverse("dashboard:home")).content.decode()


def test_a_bureau_without_groups_is_pointed_to_founding_one(english, bureau):
    english.force_login(bureau)
    page = english.get(reverse("dashboard:home")).content.decode()
    assert "No groups yet." in page and reverse("admin:alliance_schoolgroup_add") in page


@pytest.mark.parametrize("page", ["dashboard:group-list", "dashboard:home"])
def test_on_a_phone_each_group_reads_as_a_block_with_its_places_and_status(english, county, page):
    """The table scrolled sideways with no sign of it: places used and status were cut off."""
    english.force_login(county.bureau)
    text = english.get(reverse(page)).content.decode()
    assert '<table class="stacked">' in text
    link = reverse("dashboard:group-detail", args=[county.group_a.pk])
    row = re.search(rf'<tr><td class="row-title"><a href="{link}">.*?</tr>', text, re.S).group(0)
    cells = re.findall(r'<td[^>]*\sdata-label="([^"]+)"', row)
    assert cells == ["Mode", "Lead school", "Places used (besides the lead)", "Status"]
    # The phone's label is the desktop's column heading: one name for one number.
    headings = re.search(r"<thead>(.*?)</thead>", text, re.S).group(1)
    assert re.findall(r"<th>([^<]+)</th>", headings)[1:] == cells


# --- A viewer who sees no group -------------------------------------------------------------------


def group_list(client, user, **query) -> str:
    client.force_login(user)
    return client.get(reverse("dashboard:group-list"), query).content.decode()


def test_a_principal_whose_school_left_its_group_is_offered_to_apply_not_a_search(english, county):
    membership = Membership.objects.get(school=county.b1, group=county.group_b)
    member_services.membership_withdraw(
        membership=membership, by=county.principal_b1, notice_on=past(0)
    )
    page = group_list(english, fresh(county.principal_b1))
    apply = reverse("dashboard:membership-apply", args=[county.b1.pk])
    assert f'<a class="button" href="{apply}">Apply to join a group</a>' in page
    assert 'class="search"' not in page
    assert 'id="open-application"' not in page


def test_a_principal_whose_school_waits_for_approval_is_led_to_the_application(english, county):
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    application = member_services.membership_apply(
        school=school, group=county.group_a, by=principal
    )
    page = group_list(english, principal)
    said = page.split('id="open-application"')[1].split("</p>")[0]
    assert f"Your school has applied to join {county.group_a.name}" in said
    school_page = reverse("dashboard:school-detail", args=[school.pk])
    assert f'href="{school_page}#membership-{application.pk}"' in said
    assert reverse("dashboard:membership-apply", args=[school.pk]) not in page
    assert 'class="search"' not in page


def test_a_search_by_a_viewer_who_sees_no_group_still_says_what_to_do_next(english, county):
    """A search typed into the URL finds nothing because there is nothing: not 'no match'."""
    school = SchoolFactory()
    principal = staff_user(school=school, post=Post.PRINCIPAL, username="p_new").user
    page = group_list(english, principal, q="东河")
    assert "No group matches this search." not in page
    assert reverse("dashboard:membership-apply", args=[school.pk]) in page


def test_a_search_that_finds_nothing_keeps_the_search_and_offers_to_clear_it(english, county):
    page = group_list(english, county.principal_a1, q="不存在的集团")
    assert 'class="search"' in page and 'value="不存在的集团"' in page
    assert 'No group matches this search. <a href="?">Show all groups</a>' in page
    assert "Apply to join a group" not in page


def test_a_member_school_is_shown_its_groups_with_the_search_and_no_apply(english, county):
    page = group_list(english, county.principal_a1)
    assert 'class="search"' in page
    assert county.group_a.name in page
    assert "Apply to join a group" not in page and 'id="open-application"' not in page


def test_the_bureau_without_groups_is_pointed_to_founding_one_on_the_list_too(english, bureau):
    page = group_list(english, bureau)
    assert "No groups yet." in page and reverse("admin:alliance_schoolgroup_add") in page
    assert 'class="search"' not in page
