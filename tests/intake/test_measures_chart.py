"""The server-drawn chart: one dot per scored visit on the measure's scale, the baseline
plus and minus the MCID marked, and words for whoever cannot see it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.template.loader import render_to_string

from intake.charts import HEIGHT, TOP, outcome_chart
from intake.measures import Point, Series

START = datetime(2026, 11, 2, 15, tzinfo=UTC)


def series(*scores, higher_is_better=True, low=0, high=10) -> Series:
    return Series(
        measure_name="Patient-Specific Functional Scale",
        activity="",
        scale_min=Decimal(low),
        scale_max=Decimal(high),
        mcid=Decimal(2),
        higher_is_better=higher_is_better,
        points=tuple(
            Point(
                appointment_id=n + 1,
                visit_start=START + timedelta(days=7 * n),
                first_visit=n == 0,
                score=None if value is None else Decimal(value),
            )
            for n, value in enumerate(scores)
        ),
    )


def draw(chart) -> str:
    return render_to_string("admin/intake/measures/_chart.html", {"chart": chart})


def test_one_dot_per_scored_visit_left_to_right_in_visit_order():
    chart = outcome_chart(series=series(3, 5, 8), chart_id="c")

    xs = [dot.x for dot in chart.dots]
    assert xs == sorted(xs)
    assert [dot.score for dot in chart.dots] == ["3", "5", "8"]
    assert draw(chart).count('class="dot"') == 3
    assert [date.text for date in chart.dates] == ["Nov 2", "Nov 9", "Nov 16"]


def test_the_y_axis_is_the_measures_scale_higher_scores_drawn_higher():
    chart = outcome_chart(series=series(0, 10), chart_id="c")

    bottom, top = chart.dots
    assert bottom.y == HEIGHT - 52 and top.y == TOP
    assert [tick.text for tick in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]


def test_the_band_is_the_baseline_plus_and_minus_the_mcid_and_is_labelled():
    chart = outcome_chart(series=series(4, 7), chart_id="c")
    per_point = (HEIGHT - 52 - TOP) / 10

    assert chart.band.top == round(TOP + 4 * per_point, 1)  # the 6 line
    assert chart.band.height == round(4 * per_point, 1)  # from 6 down to 2
    assert chart.band.label == "Baseline 4 ± MCID 2"
    svg = draw(chart)
    assert 'class="band"' in svg
    assert "Baseline 4 ± MCID 2" in svg


def test_a_visit_left_blank_keeps_its_date_but_has_no_dot():
    chart = outcome_chart(series=series(3, None, 6), chart_id="c")

    assert len(chart.dots) == 2
    assert len(chart.dates) == 3
    assert "not answered" in draw(chart)


def test_the_chart_says_the_change_in_words_and_has_the_same_numbers_in_a_table():
    chart = outcome_chart(series=series(7, 4, higher_is_better=False), chart_id="pain-1")

    svg = draw(chart)

    assert 'role="img" aria-labelledby="pain-1-title"' in svg
    assert (
        '<title id="pain-1-title">Patient-Specific Functional Scale, 2 visits: from 7 to 4, '
        "improved by 3 points (the MCID is 2). Clinically important change: yes.</title>"
    ) in svg
    assert "<td>-3: improved</td>" in svg
    assert "<td>baseline</td>" in svg
    assert "lower is better" in svg


def test_many_visits_show_at_most_eight_dates_always_the_last():
    chart = outcome_chart(series=series(*range(10), 9, 9, 9, 9, 9, 9, 9, 9), chart_id="c")

    assert len(chart.dots) == 18
    assert len(chart.dates) <= 9
    assert chart.dates[-1].position == chart.dots[-1].x


def test_a_percentage_scale_gets_round_ticks():
    chart = outcome_chart(series=series(40, 65, low=0, high=100), chart_id="c")

    assert [tick.text for tick in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]
