"""What a user noticed on the dashboards and the council's pages: dropdowns that began on
"---------", a refusal worded two ways, a warned member in plain text, dates broken over two
lines, a date box named only for screen readers, fields said to be marked but not marked."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.models import Membership
from tests.governance.factories import action_item, meeting, passed_resolution, vice_chair_a1

pytestmark = pytest.mark.django_db

SITE_CSS = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
REFUSED = "Nothing was saved: correct the fields marked below."


def first_option(page: str, name: str) -> str:
    select = page.split(f'name="{name}"')[1].split("</select>")[0]
    return re.search(r'<option value=""[^>]*>([^<]*)</option>', select).group(1)


def rule(selector: str) -> str:
    """What site.css declares for exactly this selector, outside @media blocks too."""
    return " ".join(re.findall(rf"(?:^|[}}\n])\s*{re.escape(selector)}\s*\{{([^}}]*)\}}", SITE_CSS))


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
    """A meeting at 00:30 in Beijing is 16:30 UTC the day before: <time> says the day shown."""
    late = meeting(county, days_ago=-2)
    late.starts_at = timezone.localtime(late.starts_at).replace(
        hour=0, minute=30, second=0, microsecond=0
    )
    late.save()
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:meeting-detail", args=[late.pk])).content.decode()
    day = timezone.localtime(late.starts_at).date().isoformat()
    assert f'<time class="date" datetime="{day}T00:30:00+08:00">{day} 00:30</time>' in page
