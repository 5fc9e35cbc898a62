"""What a user noticed on the dashboards and the council's pages: dropdowns that began on
"---------", a refusal worded two ways, a warned member in plain text, dates broken over two
lines, a date box named only for screen readers, fields said to be marked but not marked."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from members import services as member_services
from members.models import Membership
from tests.governance.factories import action_item, meeting, passed_resolution, vice_chair_a1
from tests.site_css import declarations, media, rule

pytestmark = pytest.mark.django_db

REFUSED = "Nothing was saved: correct the fields marked below."


def first_option(page: str, name: str) -> str:
    select = page.split(f'name="{name}"')[1].split("</select>")[0]
    return re.search(r'<option value=""[^>]*>([^<]*)</option>', select).group(1)


def test_the_dropdowns_start_on_words_not_dashes(english, client, county):
    english.force_login(county.chair)
    new_meeting = english.get(reverse("dashboard:meeting-new", args=[county.group_a.pk]))
    assert first_option(new_meeting.content.decode(), "host_school") == "No host school"
    seat = english.get(reverse("dashboard:seat-new", args=[county.group_a.pk])).content.decode()
    assert first_option(seat, "role") == "Choose a role"
    assert first_option(seat, "holder") == "Choose a person"
    # The meeting page's motion and action-item forms, in any language.
    resolution = passed_resolution(county)
    client.force_login(county.chair)
    for page in (
        client.get(reverse("dashboard:meeting-new", args=[county.group_a.pk])),
        client.get(reverse("dashboard:seat-new", args=[county.group_a.pk])),
        client.get(reverse("dashboard:meeting-detail", args=[resolution.meeting_id])),
        client.get(reverse("dashboard:meeting-detail", args=[meeting(county).pk])),
    ):
        assert page.status_code == 200 and "---------" not in page.content.decode()


def alert(page: str) -> str:
    """The refusal's words: a form's banner (in a <p>) or the page's message."""
    found = re.search(r'<div class="flash error" role="alert">(?:<p>)?(.*?)(?:</p>)?</div>', page)
    return found[1]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_refusal_is_worded_alike_on_a_dashboard_form_and_on_the_meeting_page(
    client, county, language
):
    """The dashboard's forms said 请更正下面标出的内容, the meeting page
    未保存：请按下方表单的提示修改: one refusal, two wordings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(county.chair)
    seat = client.post(reverse("dashboard:seat-new", args=[county.group_a.pk]), {"role": ""})
    motion = client.post(
        reverse("dashboard:meeting-act", args=[meeting(county).pk, "propose"]), {"title": ""}
    )
    assert seat.status_code == motion.status_code == 200
    assert alert(seat.content.decode()) == alert(motion.content.decode())
    if language == "en":
        assert alert(seat.content.decode()) == REFUSED


def test_a_refused_field_is_marked_not_only_named_below(english, county):
    english.force_login(county.chair)
    url = reverse("dashboard:seat-new", args=[county.group_a.pk])
    page = english.post(url, {"role": "", "starts_on": ""}).content
    role = re.search(r'<select name="role"[^>]*>', page.decode())[0]
    assert 'aria-invalid="true"' in role
    assert "border-color: var(--err)" in rule(
        'input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]'
    )
    assert '<div class="field has-error">' in page.decode()
    assert "border-left" in rule(".form .field.has-error")
    # The banner's paragraph adds no margins to its padding.
    assert "margin: 0" in rule(".flash p")


def test_a_warned_member_shows_a_warning_badge_in_the_group_table(english, county):
    member_services.membership_warn(
        membership=Membership.objects.get(school=county.a1), by=county.bureau, reason="缺席"
    )
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:group-detail", args=[county.group_a.pk])).content
    members = page.decode().split("<h2>Member schools</h2>")[1].split("</section>")[0]
    row = members.split(county.a1.name)[1].split("</tr>")[0]
    assert '<span class="badge warn">Warned</span>' in row
    assert '<span class="badge ok">Active</span>' in members.split(county.a2.name)[1]


def test_the_time_attendance_opens_is_one_unbreakable_piece(english, county):
    """ "出席自 2026-/12-09 15:30 起登记" broke inside the date on a phone."""
    tomorrow = meeting(county, days_ago=-1)
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:meeting-detail", args=[tomorrow.pk])).content.decode()
    start = r'<time class="date" datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d</time>'
    assert re.search(rf"who is present, from {start}\.", page)
    assert "&lt;time" not in page
    assert "white-space: nowrap" in rule(".date")


def test_the_quarterly_report_keeps_its_dates_whole(english, county):
    action_item(county, passed_resolution(county))
    english.force_login(county.chair)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    page = english.get(url).content.decode()
    day = r"\d{4}-\d\d-\d\d"
    assert re.search(rf'<span class="date">{day} — {day}</span>', page)  # the quarter
    assert re.search(
        rf'Open action items on <time class="date" datetime="{day}">{day}</time>', page
    )
    assert re.search(rf'due on <time class="date" datetime="{day}">{day}</time>', page)
    assert "&lt;time" not in page


def test_each_seats_date_box_is_named_where_it_is_seen(english, county):
    seat = vice_chair_a1(county)
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()
    assert f'<label for="seat-end-{seat.pk}">Last day</label>' in page
    # What the box is for is said before the rows, not after the list.
    assert page.index('id="seat-end-help"') < page.index('<ul class="seat-list">')


def test_the_way_back_sits_with_the_button_and_keeps_to_one_line(english, county):
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:seat-new", args=[county.group_a.pk])).content.decode()
    actions = page.split('<div class="form-actions">')[1].split("</div>")[0]
    assert '<button type="submit"' in actions and "Back without saving</a>" in actions
    assert "white-space: nowrap" in rule(".form-actions a")


def test_the_calendar_legend_keeps_each_swatch_with_its_word(english, county):
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:group-detail", args=[county.group_a.pk])).content
    legend = page.decode().split('<p class="muted legend-row">')[1].split("</p>")[0]
    assert re.findall(r'<span class="legend-item"><span class="legend (\w+)"></span>', legend) == [
        "held",
        "missing",
        "due",
        "current",
    ]
    assert "white-space: nowrap" in rule(".legend-item")
    # The counts under each month at the strip's size (12.8px), not <small>'s 10.7px.
    assert "font-size: 1em" in rule(".calendar small")


def test_a_dates_machine_form_is_the_day_shown_in_beijing_time(english, county):
    """A meeting at 00:30 in Beijing is 16:30 UTC the day before: <time> says the day shown,
    to the second (HTML takes no microseconds)."""
    late = meeting(county, days_ago=-2)
    late.starts_at = timezone.localtime(late.starts_at).replace(hour=0, minute=30, second=0)
    late.save()
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:meeting-detail", args=[late.pk])).content.decode()
    day = timezone.localtime(late.starts_at).date().isoformat()
    assert f'<time class="date" datetime="{day}T00:30:00+08:00">{day} 00:30</time>' in page


def test_the_quarter_in_the_reports_heading_is_one_piece(english, county):
    """ "2026 年第 4 季/度理事会重大决策" broke inside the quarter on a 375px phone."""
    english.force_login(county.chair)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    page = english.get(url, {"year": 2025, "quarter": 3}).content.decode()
    heading = '<h1><span class="keep-together">2025 Q3</span>: major decisions of the council</h1>'
    assert heading in page
    # In Chinese the quarter is the catalogue's, whole in its span, the heading's words after it.
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = english.get(url, {"year": 2025, "quarter": 3}).content.decode()
    with translation.override("zh-hans"):
        quarter = translation.gettext("%(year)s Q%(quarter)s") % {"year": 2025, "quarter": 3}
    assert f'<h1><span class="keep-together">{quarter}</span>' in page
    assert "display: inline-block" in rule(".keep-together")


def test_the_councils_heading_keeps_the_groups_name_whole_with_its_dot(english, county):
    """ "青溪县实验小学教/育联盟 · 理事会" broke inside the group's name on a phone; the line ends
    after the dot, never before it."""
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()
    name = county.group_a.name
    assert f'<h1><span class="keep-together">{name}&nbsp;·</span> Council</h1>' in page


def test_a_seat_shares_a_line_with_its_term_and_puts_its_form_below_from_601px(english, county):
    """From 601px to 900px three columns squeezed a seat: "青溪/县实验小学", the box's name, the
    box and the button on three lines. Now who and the term share a line, the form under them,
    up to 1023px; the three columns only from 1024px, where they fit."""
    seat = vice_chair_a1(county)
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()
    row = page.split('<ul class="seat-list">')[1].split("</li>")[0]
    who = f"Vice-chair: {seat.holder.name} ({county.a1.name})"
    assert f'<li><span class="seat-holder">{who}</span> <span class="date">' in row
    assert '<form method="post"' in row and 'class="inline-form seat-end"' in row
    tablet, desktop = media("(min-width: 601px)"), media("(min-width: 1024px)")
    assert "grid-template-columns: minmax(0, 1fr) auto" in declarations(tablet, ".seat-list")
    assert "grid-template-columns: subgrid" in declarations(tablet, ".seat-list li")
    assert "grid-column: 1 / -1" in declarations(tablet, ".seat-list .seat-end")
    three = "grid-template-columns: auto auto minmax(max-content, 1fr)"
    assert three in declarations(desktop, ".seat-list")
    assert "grid-column: auto" in declarations(desktop, ".seat-list .seat-end")
    # A line ends between the role, the person and the school, not inside a name.
    assert "word-break: keep-all" in rule(".seat-list .seat-holder")


def test_long_cells_and_column_names_wrap_instead_of_running_off_the_card(english, county):
    """At 768px the open action items ran past the card, their latest progress cut off, and
    the groups' table lost its status column in English: one line for every cell."""
    item = action_item(county, passed_resolution(county))
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()
    items = page.split('<section class="card" id="action-items">')[1].split("</section>")[0]
    assert '<div class="table-wrap open-items"><table class="stacked">' in items
    assert f'<tr id="item-{item.pk}">' in items and '<td data-label="What">' in items
    wrapping = rule(".open-items td:is(:nth-child(1), :nth-child(4), :nth-child(5))")
    assert "white-space: normal" in wrapping
    # A column's name wraps between words, and a Chinese one only at its punctuation.
    assert "white-space: normal" in rule("th") and "word-break: keep-all" in rule("th")


def test_a_fact_keeps_a_number_with_its_measure_and_a_search_box_its_hint():
    """ "上限 5 / 所）" on a phone; "Search by title or plac" beside the council's filters."""
    assert "text-wrap: pretty" in rule(".facts dd")
    assert "min-width: min(100%, 15rem)" in rule('.search.filters input[type="search"]')
