"""The server-drawn charts: what a reader of the group page would notice in the picture."""

import datetime
import re
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from alliance import charts
from alliance.charts import HEIGHT, MARGIN
from members.services import membership_apply, membership_approve
from tests.alliance.factories import make_group
from tests.members.factories import SchoolFactory, past

D = datetime.date


def test_nothing_to_draw_gives_no_chart():
    assert charts.step_chart([]) is None
    assert charts.step_chart([(D(2024, 1, 1), 0), (D(2025, 1, 1), 0)]) is None  # never a member
    assert charts.step_chart([(D(2025, 1, 1), 3)]) is None  # founded today: no history yet


def test_the_line_steps_up_and_down_with_the_count_and_ends_at_the_latest_value():
    chart = charts.step_chart([(D(2024, 1, 1), 0), (D(2024, 7, 1), 3), (D(2025, 1, 1), 2)])
    # Three points: flat at 0, a rise to 3, a drop to 2; the drawing goes left to right.
    assert chart.line.count("V") == 2
    ys = {tick.label: tick.at for tick in chart.y_ticks}
    assert ys["0"] == HEIGHT - MARGIN["bottom"]  # zero sits on the axis
    assert chart.line.endswith(f"V{ys['2']}") or f"V{ys['2']}" in chart.line


def test_the_cap_is_a_reference_line_inside_the_picture_with_its_label():
    chart = charts.step_chart(
        [(D(2024, 1, 1), 2), (D(2025, 1, 1), 5)], limit=5, limit_label="上限 5"
    )
    ys = {tick.label: tick.at for tick in chart.y_ticks}
    assert ys["4"] > chart.limit_y > ys["6"]  # y grows downwards
    assert chart.limit_y > MARGIN["top"]  # headroom above the cap for its label
    assert chart.limit_label == "上限 5"


def test_a_long_history_is_labelled_by_year_and_a_short_one_by_month():
    long = charts.step_chart([(D(2019, 9, 1), 1), (D(2026, 11, 1), 4)])
    assert [t.label for t in long.x_ticks] == [
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
        "2026",
    ]
    short = charts.step_chart([(D(2026, 1, 15), 1), (D(2026, 11, 1), 4)])
    assert [t.label for t in short.x_ticks] == ["2026-02", "2026-05", "2026-08", "2026-11"]
    xs = [t.at for t in short.x_ticks]
    assert xs == sorted(xs) and MARGIN["left"] < xs[0] and xs[-1] <= charts.WIDTH - MARGIN["right"]


def test_a_very_long_history_keeps_the_axis_to_a_handful_of_labels():
    chart = charts.step_chart([(D(2000, 1, 1), 1), (D(2026, 1, 1), 2)])
    assert 3 <= len(chart.x_ticks) <= 7


def test_a_bar_shows_the_share_and_flags_a_shortfall_against_its_target():
    assert charts.Bar("出勤", 1, 4, target=0.5).short
    assert not charts.Bar("出勤", 2, 4, target=0.5).short
    assert charts.Bar("出勤", 1, 4).percent == 25
    assert charts.Bar("名额", 7, 5).percent == 100  # over a lowered cap: full, not past the end
    assert charts.Bar("出勤", 0, 0, target=0.5).percent == 0


def test_a_bar_is_drawn_without_inline_style_which_the_csp_refuses():
    html = Template('{% load charts %}{% progress 1 4 label="出勤" target=0.5 %}').render(Context())
    assert 'class="bar short" role="progressbar" aria-valuemin="0" aria-valuemax="4"' in html
    assert 'aria-valuenow="1" aria-label="出勤"' in html
    assert '<rect class="fill" width="25%"' in html
    assert '<rect class="target" x="50%"' in html
    assert "style=" not in html


@pytest.mark.django_db
def test_the_group_page_says_why_there_is_no_membership_picture(client, county):
    client.force_login(county.bureau)
    alone = make_group(by=county.bureau, name="新建教育集团")
    page = client.get(reverse("dashboard:group-detail", args=[alone.pk])).content.decode()
    assert "membership-chart" not in page and "暂无成员学校" in page
    newborn = make_group(by=county.bureau, name="今日成立教育集团", founded_on=date.today())
    school = SchoolFactory()
    membership = membership_apply(school=school, group=newborn, by=county.bureau)
    membership_approve(membership=membership, by=county.bureau)
    page = client.get(reverse("dashboard:group-detail", args=[newborn.pk])).content.decode()
    assert "membership-chart" not in page and "成立第二天起" in page


def test_the_membership_picture_comes_with_its_numbers_as_text(english, county):
    """For screen readers and readers of numbers: the SVG's title only named the chart."""
    english.force_login(county.chair)
    page = english.get(reverse("dashboard:group-detail", args=[county.group_a.pk])).content.decode()
    assert "membership-chart" in page
    table = page[page.index('<details class="chart-data">') :]
    table = table[: table.index("</details>")]
    rows = re.findall(
        r'<time class="date" datetime="[^"]+">([\d-]+)</time></td><td>(\d+)</td>', table
    )
    founded = county.group_a.founded_on.isoformat()
    assert rows == [(founded, "0"), (str(past(290)), "2")]  # two schools approved the same day
