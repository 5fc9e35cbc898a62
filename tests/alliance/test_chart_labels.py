"""The membership chart's labels stay whole inside the picture, however the numbers run: an SVG
cuts off what falls outside it. (tests/e2e/test_phone_layout.py measures the letters and the
staff list on a phone in a browser.)"""

import datetime

from django.template.loader import render_to_string

from alliance import charts

D = datetime.date


def label_boxes(chart: charts.StepChart) -> list[tuple[str, float, float]]:
    """Each label's left and right edge, as charts.text_width estimates them."""
    boxes = []
    for tick in chart.y_ticks:  # right-aligned, 6 units before the plot
        right = chart.plot_left - 6
        boxes.append((tick.label, right - charts.text_width(tick.label), right))
    for tick in chart.x_ticks:  # centred
        half = charts.text_width(tick.label) / 2
        boxes.append((tick.label, tick.label_x - half, tick.label_x + half))
    return boxes


def test_every_label_lies_inside_the_picture():
    today = D(2026, 11, 1)  # a month's start: its mark at the plot's right end
    for chart in [
        charts.step_chart([(D(2026, 1, 15), 1), (today, 4)], limit=5, limit_label="上限 5"),
        charts.step_chart([(D(2019, 9, 1), 1), (today, 4)], limit=5, limit_label="上限 5"),
        charts.step_chart([(D(2024, 3, 2), 40), (today, 120)], limit=150, limit_label="上限 150"),
    ]:
        for label, left, right in label_boxes(chart):
            assert left >= 0 and right <= charts.WIDTH, (label, left, right)


def test_a_mark_at_the_edge_keeps_its_place_and_moves_its_label_in():
    chart = charts.step_chart([(D(2026, 1, 15), 1), (D(2026, 11, 1), 4)])
    last = chart.x_ticks[-1]
    assert last.at == chart.plot_right  # 2026-11-01, the last day
    assert last.label_x + charts.text_width(last.label) / 2 <= charts.WIDTH
    assert chart.x_ticks[0].label_at is None  # one well inside stays centred on its mark


def test_the_plot_starts_after_the_widest_value():
    small = charts.step_chart([(D(2024, 1, 1), 1), (D(2025, 1, 1), 4)], limit=5)
    large = charts.step_chart([(D(2024, 1, 1), 40), (D(2025, 1, 1), 120)], limit=150)
    assert small.plot_left == charts.MARGIN["left"]
    assert large.plot_left >= charts.text_width("200") + 6
    # The same time mark lies further right when the plot starts later.
    assert large.x_ticks[0].at > small.x_ticks[0].at


def test_the_cap_label_stays_below_the_top_however_close_the_cap_is_to_a_round_number():
    for cap in (3, 5, 9, 19, 49, 99):
        chart = charts.step_chart([(D(2024, 1, 1), 1), (D(2025, 1, 1), 2)], limit=cap)
        assert chart.limit_y - 4 - charts.FONT >= 0, cap


def test_a_moved_label_is_drawn_where_it_was_moved():
    chart = charts.step_chart([(D(2026, 1, 15), 1), (D(2026, 11, 1), 4)], limit=5)
    svg = render_to_string("charts/step.html", {"chart": chart, "id": "c", "title": "成员"})
    last = chart.x_ticks[-1]
    assert f'<text class="tick" x="{last.label_x}" ' in svg
    assert f">{last.label}</text>" in svg
    assert "style=" not in svg
