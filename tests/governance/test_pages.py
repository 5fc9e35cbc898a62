"""The council page: required meetings, attendance, the quarterly report to the bureau."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alliance.models import GroupStatus, SchoolGroup
from governance import cadence, services
from governance.models import ActionItem, CouncilPolicy, Meeting
from tests.governance.factories import action_item, meeting, passed_resolution

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def held_meeting(county, kind, day, *present):
    meeting = services.meeting_schedule(
        group=county.group_a,
        kind=kind,
        title=f"{kind} {day}",
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(15))),
        place="会议室",
        by=county.chair,
    )
    for school in present:
        services.attendance_record(
            meeting=meeting, school=school, status="present", by=county.chair
        )
    return services.meeting_close(meeting=meeting, by=county.chair)


def statuses(report, kind):
    row = next(r for r in report if r["code"] == kind)
    return [(p.label, p.status) for p in row["periods"]]


def test_monthly_council_meetings_show_held_missing_and_due(county):
    held_meeting(county, "council", datetime.date(2026, 9, 10), county.a0)
    held_meeting(county, "council", datetime.date(2026, 11, 5), county.a0)
    report = cadence.cadence_report(group=county.group_a, today=TODAY)
    months = statuses(report, "council")
    assert months[:4] == [
        ("2026-09", "held"),
        ("2026-10", "missing"),
        ("2026-11", "held"),
        ("2026-12", "due"),
    ]
    principals = statuses(report, "principals")
    assert principals == [("2026–2027", "due")]


def test_months_before_the_founding_or_after_the_dissolution_are_not_missing(county):
    group = county.group_a
    SchoolGroup.objects.filter(pk=group.pk).update(founded_on=datetime.date(2026, 10, 15))
    group.refresh_from_db()
    months = dict(statuses(cadence.cadence_report(group=group, today=TODAY), "council"))
    assert (months["2026-09"], months["2026-10"]) == ("outside", "missing")
    SchoolGroup.objects.filter(pk=group.pk).update(
        status=GroupStatus.DISSOLVED, dissolved_on=datetime.date(2026, 10, 31)
    )
    group.refresh_from_db()
    months = dict(statuses(cadence.cadence_report(group=group, today=TODAY), "council"))
    assert (months["2026-10"], months["2026-11"], months["2027-06"]) == (
        "missing",
        "outside",
        "outside",
    )


def test_a_group_can_require_its_own_cadence(county):
    CouncilPolicy.objects.create(group=county.group_a, cadence={"council": ["year", 4]})
    report = cadence.cadence_report(group=county.group_a, today=TODAY)
    assert statuses(report, "council") == [("2026–2027", "due")]


def test_schools_that_keep_away_are_flagged(county):
    for day in (datetime.date(2026, 9, 10), datetime.date(2026, 10, 10)):
        held_meeting(county, "council", day, county.a0, county.a1)
    rates = {
        row["school"]: row for row in cadence.attendance_rates(group=county.group_a, today=TODAY)
    }
    assert (rates[county.a1]["attended"], rates[county.a1]["flagged"]) == (2, False)
    assert (rates[county.a2]["attended"], rates[county.a2]["flagged"]) == (0, True)


def test_coming_to_a_meeting_one_was_not_invited_to_keeps_the_rate_within_100_percent(county):
    """Present at both meetings but invited to one, A1 read 2 / 1: 200%, never flagged."""
    meetings = [
        held_meeting(county, "council", datetime.date(2026, 9, 10), county.a0, county.a1),
        held_meeting(county, "council", datetime.date(2026, 10, 10), county.a0, county.a1),
    ]
    meetings[1].invited_schools.remove(county.a1)
    rates = {
        row["school"]: row for row in cadence.attendance_rates(group=county.group_a, today=TODAY)
    }
    assert (rates[county.a1]["attended"], rates[county.a1]["held"]) == (1, 1)


def test_the_council_page_shows_it_all(client, county, django_assert_max_num_queries):
    held_meeting(county, "council", timezone.localdate() - datetime.timedelta(days=3), county.a0)
    client.force_login(county.principal_a1)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("dashboard:council", args=[county.group_a.pk]))
    text = page.content.decode()
    assert "理事会议" in text
    assert "出席率偏低" in text  # A1 and A2 attended none of the meetings held


def test_the_quarterly_report_lists_the_quarters_decisions(client, county):
    meeting = held_meeting(county, "council", datetime.date(2026, 10, 15), county.a0, county.a1)
    Meeting.objects.filter(pk=meeting.pk).update(status="scheduled")
    resolution = services.resolution_propose(
        meeting=meeting, title="通过课程共享方案", by=county.chair
    )
    services.vote_cast(
        resolution=resolution, school=county.a1, choice="yes", by=county.principal_a1
    )
    services.meeting_close(meeting=meeting, by=county.chair)
    client.force_login(county.bureau)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    text = client.get(url, {"year": 2026, "quarter": 4}).content.decode()
    assert "通过课程共享方案</b> — 通过（赞成 1 / 反对 0 / 弃权 0）" in text
    assert f"出席情况：{county.a0.name}（出席）、{county.a1.name}（出席）" in text
    # Each meeting links to its page and says where it stands: held, or yet to come.
    assert f'href="/meetings/{meeting.pk}/"' in text
    assert '<span class="badge">已结束</span>' in text
    # The quarter is written one way, in the heading and in its picker.
    assert '<h1><span class="keep-together">2026 年第 4 季度</span>理事会重大决策</h1>' in text
    assert '<option value="4" selected>第 4 季度</option>' in text
    # In English, English punctuation.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(url, {"year": 2026, "quarter": 4}).content.decode()
    assert "Passed (yes 1 / no 0 / abstain 0)" in text
    assert f"Attendance: {county.a0.name} (Present), {county.a1.name} (Present)" in text
    assert f"{county.a1.name}: Yes" in text
    other = client.get(url, {"year": 2026, "quarter": 3}).content.decode()
    assert "通过课程共享方案" not in other
    assert client.get(url, {"quarter": 7}).status_code == 400


def test_the_quarterly_report_refuses_a_quarter_not_begun_and_keeps_what_was_typed(english, county):
    english.force_login(county.chair)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    after = datetime.date(today.year + quarter // 4, 3 * quarter % 12 + 1, 1)
    ahead = english.get(url, {"year": after.year, "quarter": (after.month - 1) // 3 + 1})
    assert ahead.status_code == 400
    page = ahead.content.decode()
    assert "This quarter has not begun yet." in page and "Open action items on" not in page
    assert f'value="{after.year}"' in page and "Show the current quarter" in page
    for year, error in (("1999", "greater than or equal to 2000"), ("二〇二六", "whole number")):
        refused = english.get(url, {"year": year, "quarter": 1})
        assert refused.status_code == 400
        assert error in refused.content.decode() and f'value="{year}"' in refused.content.decode()
    assert english.get(url).status_code == 200  # the current quarter, when none is asked for


def test_a_refused_quarter_marks_each_field_and_names_it_beside_it(english, county):
    english.force_login(county.chair)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    page = english.get(url, {"year": "1999", "quarter": "9"}).content.decode()
    assert "Correct the fields marked below." in page
    form = page.split('<form method="get" class="search filters">')[1].split("</form>")[0]
    for name, label in (("year", "Year"), ("quarter", "Quarter")):
        pair = form.split(f'<label for="report-{name}">')[1].split('<span class="pair')[0]
        box = re.search(rf'<(input|select)[^>]*name="{name}"[^>]*>', pair).group(0)
        assert 'aria-invalid="true"' in box and f'aria-describedby="report-{name}_error"' in box
        error = re.search(
            rf'<span class="error field-error" id="report-{name}_error">([^<]*)', pair
        )
        assert error and error.group(1).startswith(f"{label}: ")
    assert 'class="pair has-error"' in form


def decided_on(county, day: datetime.date, title: str):
    """A resolution passed at a meeting held on `day`."""
    days_ago = (timezone.localdate() - day).days
    return passed_resolution(county, title=title, of=meeting(county, days_ago=days_ago))


def test_the_quarterly_report_lists_the_follow_ups_open_at_the_quarters_end(english, county):
    may = decided_on(county, datetime.date(2026, 5, 10), "五月决议")
    august = decided_on(county, datetime.date(2026, 8, 10), "八月决议")
    for title, resolution, done_on in (
        ("六月已完成", may, datetime.date(2026, 6, 1)),
        ("八月才完成", may, datetime.date(2026, 8, 1)),
        ("仍未完成", may, None),
        ("八月的事项", august, None),
    ):
        item = action_item(county, resolution, description=title)
        ActionItem.objects.filter(pk=item.pk).update(done_on=done_on)
    english.force_login(county.chair)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])

    def listed(quarter: int) -> str:
        page = english.get(url, {"year": 2026, "quarter": quarter}).content.decode()
        return page.split("<h2>Open action items on ")[1]

    second = listed(2)
    assert second.startswith('<time class="date" datetime="2026-06-30">2026-06-30</time>')
    assert "八月才完成" in second and "仍未完成" in second
    assert "六月已完成" not in second and "八月的事项" not in second
    third = listed(3)
    assert "仍未完成" in third and "八月的事项" in third and "八月才完成" not in third


def test_the_quarterly_report_runs_a_bounded_number_of_queries(
    client, county, django_assert_max_num_queries
):
    for n in range(6):
        resolution = decided_on(county, datetime.date(2026, 10, n + 1), f"决议{n}")
        action_item(county, resolution, description=f"事项{n}")
    client.force_login(county.chair)
    url = reverse("dashboard:quarterly-report", args=[county.group_a.pk])
    client.get(url, {"year": 2026, "quarter": 4})  # content types are read once per process
    with django_assert_max_num_queries(13):
        response = client.get(url, {"year": 2026, "quarter": 4})
    assert response.content.decode().count("事项") >= 6


def test_a_school_is_measured_only_against_meetings_it_was_invited_to(county):
    first = held_meeting(county, "council", datetime.date(2026, 9, 10), county.a0)
    first.invited_schools.remove(county.a2)
    held_meeting(county, "council", datetime.date(2026, 10, 10), county.a0, county.a2)
    rates = {
        row["school"]: row for row in cadence.attendance_rates(group=county.group_a, today=TODAY)
    }
    assert (
        rates[county.a2]["attended"],
        rates[county.a2]["held"],
        rates[county.a2]["flagged"],
    ) == (
        1,
        1,
        False,
    )


def test_a_malformed_resolution_id_on_the_page_is_not_a_server_error(client, county):
    meeting = held_meeting(county, "council", datetime.date(2026, 11, 1), county.a0)
    client.force_login(county.chair)
    url = reverse("dashboard:meeting-act", args=[meeting.pk, "decide"])
    assert client.post(url, {"resolution": "abc"}, follow=True).status_code == 200
