"""What the last layout pass left at 320, 375, 601 and 768px: school names broken mid-word in
the quarterly report ("西岭/镇中心小学"), search hints cut off in English, tables that scrolled
inside their cards from 601px to 768px, and names broken on the home page, in the breadcrumbs
and beside a fact on a phone."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from members import services as member_services
from tests.governance.factories import action_item, meeting, passed_resolution, vote_left_out
from tests.members.factories import SchoolFactory, StaffFactory, past
from tests.site_css import declarations, media, rule

pytestmark = pytest.mark.django_db

PHONE = "(max-width: 600px)"
NARROWEST = "(max-width: 359px)"


def paragraphs(page: str, start: str) -> list[str]:
    """The opening tags of the <p>s whose text begins with `start`."""
    return re.findall(rf"(<p[^>]*>){re.escape(start)}", page)


def test_the_quarterly_report_ends_a_line_between_schools_not_inside_a_name(english, county):
    """On a 375px phone "出席情况：…、青溪/县城关第二小学（出席）" and "西岭/镇中心小学：赞成":
    the attendance, the votes and an action item's owner break only between their pieces."""
    resolution = passed_resolution(county)
    item = action_item(county, resolution, description="Upload lessons")
    english.force_login(county.chair)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    page = english.get(url).content.decode()
    assert paragraphs(page, "Attendance: ") == ['<p class="whole-names">']
    votes = f"{county.a0.name}: Yes; {county.a1.name}: Yes"
    assert f'<p class="muted"><span class="whole-names">{votes}</span>' in page
    assert paragraphs(page, "Upload lessons — ") == ['<p class="whole-names">']
    assert item.owner_school == county.a1
    # The line ends at a space or after a mark ("、", "；"), never inside a Chinese name; one
    # longer than the line still wraps.
    assert "word-break: keep-all" in rule(".whole-names")
    assert "overflow-wrap: break-word" in rule(".whole-names")


def test_a_vote_not_counted_stays_in_the_same_line_of_whole_names(client, county):
    """The votes line is the meeting page's too (governance/_votes.html): its words, with the
    vote left out of the tally, are unchanged inside the span."""
    vote_left_out(county, meeting(county))  # today: in this quarter, whenever the test runs
    today = timezone.localdate()
    client.force_login(county.chair)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    quarter = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    page = client.get(url, quarter).content.decode()
    left_out = "反对（未计入：计票时不是出席会议的成员学校）"
    votes = f"{county.a0.name}：赞成；{county.a1.name}：{left_out}"
    assert f'<span class="whole-names">{votes}</span>' in page
    assert paragraphs(page, "出席情况：") == ['<p class="whole-names">']


def test_a_search_box_shows_its_whole_hint_in_english(english, county):
    """ "Search by group or leac" beside the group list's menus at 601px; "Search by name or
    staff nur" on a school's page at 320px."""
    english.force_login(county.bureau)
    groups = english.get(reverse("dashboard:group-list")).content.decode()
    assert 'type="search"' in groups and 'placeholder="Search by group or lead school"' in groups
    school = english.get(reverse("dashboard:school-detail", args=[county.a1.pk])).content.decode()
    assert 'placeholder="Search by name or staff number"' in school
    search = '.search input[type="search"]'
    assert "min-width: min(100%, 17.5rem)" in rule(search)
    # The clearing "×" takes no room from the hint before anything is typed.
    cancel = f"{search}:placeholder-shown::-webkit-search-cancel-button"
    assert "display: none" in rule(cancel)
    # On the narrowest phones the hint is a size smaller than what is typed (still 14px).
    assert "font-size: .875rem" in declarations(media(NARROWEST), f"{search}::placeholder")
    assert "::placeholder" not in rule(search)


def test_the_groups_table_wraps_a_groups_name_and_its_lead_school(english, county):
    """From 601px to 700px the groups' table scrolled inside the home page's card (92px in
    Chinese, 105px in English) and on the group list (58px, 71px): every cell on one line."""
    english.force_login(county.bureau)
    for name in ("dashboard:home", "dashboard:group-list"):
        page = english.get(reverse(name)).content.decode()
        table = page.split('<div class="group-table">')[1].split("</table>")[0]
        assert '<div class="table-wrap"><table class="stacked">' in table
        assert '<td class="row-title"><a href="/groups/' in table
        # The third column is the lead school, the one .group-table td:nth-child(3) wraps.
        headers = re.findall(r"<th>(.*?)</th>", table)
        assert headers[2] == "Lead school"
        assert f'<td data-label="Lead school">{county.a0.name}</td>' in table
    name = rule(".group-table td.row-title")
    assert "word-break: normal" in name and "min-width: 6rem" in name
    lead = rule(".group-table td:nth-child(3)")
    assert "white-space: normal" in lead and "min-width: 9rem" in lead
    # Where the table is tight the places column is its bar's width, not its long heading's.
    tight = media("(min-width: 601px) and (max-width: 1023px)")
    assert "width: 7rem" in declarations(tight, ".group-table td.places")


def test_a_schools_name_moves_its_badge_below_rather_than_scroll_the_members_table(english, county):
    """At 601px in English the group's members scrolled 22px: "<school> Lead school" on one
    line. The name and its badge may now take two lines; the name itself stays whole."""
    english.force_login(county.bureau)
    page = english.get(reverse("dashboard:group-detail", args=[county.group_a.pk])).content
    assert '<span class="badge">Lead school</span></td>' in page.decode()
    title = rule(".table-wrap td.row-title")
    assert "white-space: normal" in title and "word-break: keep-all" in title


def test_a_schools_staff_fits_its_card_from_601px_to_768px(english, county):
    """In English the staff table scrolled 251px at 601px, 152px at 700px, 84px at 768px."""
    english.force_login(county.bureau)
    page = english.get(reverse("dashboard:school-detail", args=[county.a1.pk])).content.decode()
    assert '<td class="post" data-label="Post">' in page
    assert '<td class="title" data-label="Professional title">' in page
    cells = rule(".staff-list td:is(.post, .subject, .title)")
    assert "white-space: normal" in cells and "word-break: keep-all" in cells
    tablet = media("(min-width: 601px) and (max-width: 768px)")
    assert "font-size: .875rem" in declarations(tablet, ".staff-list table")
    assert "padding-inline: .35rem" in declarations(tablet, ".staff-list :is(th, td)")
    # The staff number, a code, is not among the cells that wrap.
    assert "staff-no" not in cells


def test_a_groups_name_breaks_after_its_lead_schools_name_not_inside_a_word(english, county):
    """From 601px to 700px "青溪县实验小/学教育联盟" and "青溪县第二/中学托管办/学共同体" in the
    groups' table (home page and group list), in both languages. A name that begins with its
    lead school's may now end a line only there; another still wraps where it must."""
    county.a0.name = "青溪县实验小学"
    county.a0.save(update_fields=["name"])
    assert county.group_a.name == "青溪县实验小学教育集团"
    english.force_login(county.bureau)
    for name in ("dashboard:home", "dashboard:group-list"):
        page = english.get(reverse(name)).content.decode()
        table = page.split('<div class="group-table">')[1].split("</table>")[0]
        url = reverse("dashboard:group-detail", args=[county.group_a.pk])
        split = '<span class="whole-names">青溪县实验小学<wbr>教育集团</span>'
        named = f'<a href="{url}">{split}</a></td>'
        assert f'<td class="row-title">{named}' in table
        # Group B's lead school (a factory's name) does not begin its name.
        url = reverse("dashboard:group-detail", args=[county.group_b.pk])
        assert f'<td class="row-title"><a href="{url}">{county.group_b.name}</a></td>' in table
    whole = rule(".whole-names")
    assert "word-break: keep-all" in whole and "overflow-wrap: break-word" in whole
    # The name's seven characters (122px) left the home page's card 5px short at 601px in
    # English: the cells stand closer up to 768px.
    tablet = media("(min-width: 601px) and (max-width: 768px)")
    assert "padding-inline: .35rem" in declarations(tablet, ".group-table :is(th, td)")


def test_a_groups_members_keep_a_long_schools_name_whole_without_scrolling(english, county):
    """At 601px in English a member school of 14 characters ("青溪县第一中学东河镇中心校区")
    scrolled the members' table 26px: its name is whole. Up to 768px the table is in 14px
    letters, its cells closer, as a school's staff; a name of up to 16 characters fits."""
    county.a1.name = "青溪县第一中学东河镇中心校区"
    county.a1.save(update_fields=["name"])
    english.force_login(county.bureau)
    page = english.get(reverse("dashboard:group-detail", args=[county.group_a.pk])).content
    members = page.decode().split("<h2>Member schools</h2>")[1].split("</table>")[0]
    assert '<div class="table-wrap member-list"><table class="stacked">' in members
    assert f">{county.a1.name}</a></td>" in members
    tablet = media("(min-width: 601px) and (max-width: 768px)")
    assert "font-size: .875rem" in declarations(tablet, ".member-list table")
    assert "padding-inline: .35rem" in declarations(tablet, ".member-list :is(th, td)")
    assert "word-break: keep-all" in rule(".table-wrap td.row-title")


def test_a_teachers_badge_stays_on_one_line_after_the_title(english, county):
    """ "Famous / teacher" and "Backbone / teacher" took two lines from 601px to 768px in
    English, in a column of their own; on one line there the staff scrolled 52px at 601px. The
    badge follows the title in its cell (below it when the column is narrow), whole."""
    StaffFactory(school=county.a1, title="senior_professor", is_famous=True)
    StaffFactory(school=county.a1, title="first", is_backbone=True)
    english.force_login(county.bureau)
    page = english.get(reverse("dashboard:school-detail", args=[county.a1.pk])).content.decode()
    title = '<td class="title" data-label="Professional title">'
    assert f'{title}Senior professor teacher <span class="badge">Famous teacher</span></td>' in page
    assert f'{title}First-grade teacher <span class="badge">Backbone teacher</span></td>' in page
    staff = page.split('<div class="table-wrap staff-list"')[1].split("</table>")[0]
    headers = re.findall(r"<th>(.*?)</th>", staff)
    assert headers == ["Staff number", "Full name", "Post", "Subject", "Professional title"]
    assert 'class="badges"' not in staff
    assert "white-space: nowrap" in rule(".staff-list .badge")
    # On a phone the title stays beside the subject, the badge below it (sized by its words and
    # its badge, the title would take a line of its own at 320px in English).
    assert "flex: 1 1 0" in declarations(media(PHONE), ".staff-list .stacked .title")


def test_on_a_phone_a_facts_label_leaves_its_value_room():
    """At 320px in English "Own legal person" left the value 98px: the school code ran out of
    the card, the lead school broke ("青溪县实验/小学")."""
    phone = media(PHONE)
    assert "grid-template-columns: fit-content(40%) minmax(0, 1fr)" in declarations(phone, ".facts")
    assert "word-break: keep-all" in declarations(phone, ".facts dt")


def test_the_home_page_keeps_a_groups_and_a_schools_name_whole(client, county):
    """On a 375px phone "… · 青溪县实/验小学教育联盟" in the upcoming meetings and
    "甲校申请加入青溪县实验小学/教育联盟" in the applications."""
    applicant = SchoolFactory()
    member_services.membership_apply(
        school=applicant, group=county.group_a, by=county.bureau, applied_on=past(3)
    )
    services.meeting_schedule(
        group=county.group_a,
        kind="council",
        title="十二月理事会议",
        starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=5),
        place="会议室",
        by=county.chair,
    )
    client.force_login(county.bureau)
    page = client.get(reverse("dashboard:home")).content.decode()
    whole = '<span class="keep-together">{}</span>'
    group = whole.format(county.group_a.name)
    assert f" · {group}</span></li>" in page
    assert f"{whole.format(applicant.name)}申请加入{group}</a>" in page
    # In a link the kept-together name is underlined with the rest.
    assert "text-decoration: inherit" in rule("a .keep-together")


def test_a_membership_timeline_and_the_breadcrumbs_keep_names_whole(english, county):
    """ "recorded by 青溪县教育/局" on a school's page and "青溪县实验小学教/育联盟" as the last
    breadcrumb of a group's page, at 320px."""
    english.force_login(county.bureau)
    page = english.get(reverse("dashboard:school-detail", args=[county.a1.pk])).content.decode()
    assert '<ol class="timeline whole-names">' in page
    crumbs = rule(".crumbs")
    assert "word-break: keep-all" in crumbs and "overflow-wrap: break-word" in crumbs


def test_the_meeting_page_keeps_its_title_invitations_and_owners_names_whole(english, county):
    """ "十月理事会/议" in the heading; "南山/乡中心小学" among the invited, and as an item's
    owner."""
    item = action_item(county, passed_resolution(county))
    english.force_login(county.chair)
    url = reverse("dashboard:meeting-detail", args=[item.resolution.meeting_id])
    page = english.get(url).content.decode()
    assert f'<span class="whole-names">{county.a1.name}</span>' in page
    assert "word-break: keep-all" in rule("h1, .facts dd")


def test_the_councils_meetings_wrap_their_kind_and_status_instead_of_scrolling(english, county):
    """ "Council meeting" and "Minutes approved" on one line each scrolled the table 25px at
    601px in English."""
    meeting(county)
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()
    assert '<div class="table-wrap meeting-list"><table class="stacked">' in page
    wrapping = rule(".meeting-list td:is(:nth-child(3), :nth-child(4))")
    assert "white-space: normal" in wrapping and "word-break: keep-all" in wrapping
