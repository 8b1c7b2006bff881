"""The monthly result as an inline SVG bar chart, drawn on the server (no chart library)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ledgerport.ledger.selectors import YearFigures
from ledgerport.ledger.templatetags.ledger import money

from .statements import monthly_result

WIDTH, HEIGHT, PAD_X, PAD_Y, LABELS = 720, 240, 8, 16, 22


def _scale(values: list[Decimal], slots: int) -> tuple[Callable[[Decimal], float], float]:
    """The vertical position of a value (zero always shown) and the width of one month's slot."""
    top = max([Decimal(0), *values])
    bottom = min([Decimal(0), *values])
    span = (top - bottom) or Decimal(1)
    plot = HEIGHT - 2 * PAD_Y - LABELS

    def y(value: Decimal) -> float:
        return PAD_Y + float((top - value) / span) * plot

    return y, (WIDTH - 2 * PAD_X) / max(slots, 1)


def monthly_result_chart(current: YearFigures, previous: YearFigures | None) -> SafeString:
    """Bars: this year's result per month (profit up, loss down); dots: the previous year's."""
    this_year = monthly_result(current)
    last_year = (
        monthly_result(previous)
        if previous is not None and (previous.from_vouchers or previous.movements)
        else []
    )
    y, slot = _scale([v for _, v in this_year] + [v for _, v in last_year], len(this_year))
    zero = y(Decimal(0))
    bars = []
    for i, (period, value) in enumerate(this_year):
        x = PAD_X + i * slot + slot * 0.15
        y0, y1 = sorted((zero, y(value)))
        month = formats.date_format(date(period // 100, period % 100, 1), "M")
        bars.append(
            (
                f"{x:.1f}",
                f"{y0:.1f}",
                f"{slot * 0.7:.1f}",
                f"{max(y1 - y0, 1):.1f}",
                "bar loss" if value < 0 else "bar profit",
                f"{month}: {money(value)}",
                f"{x + slot * 0.35:.1f}",
                f"{HEIGHT - 6}",
                month,
            )
        )
    dots = [
        (f"{PAD_X + i * slot + slot / 2:.1f}", f"{y(value):.1f}", f"{_('Previous year')}: {money(value)}")
        for i, (_period, value) in enumerate(last_year[: len(this_year)])
    ]
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" preserveAspectRatio="none">'
        '<line class="axis" x1="0" x2="{w}" y1="{zero}" y2="{zero}"/>{bars}{dots}</svg>',
        w=WIDTH,
        h=HEIGHT,
        label=_("Result per month"),
        zero=f"{zero:.1f}",
        bars=format_html_join(
            "",
            '<g><rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title></rect>'
            '<text x="{}" y="{}" text-anchor="middle">{}</text></g>',
            bars,
        ),
        dots=format_html_join(
            "", '<circle cx="{}" cy="{}" r="4" class="previous"><title>{}</title></circle>', dots
        ),
    )


def balance_lines_chart(months: list[tuple[date, Decimal, Decimal]], labels: tuple[str, str]) -> SafeString:
    """Two running balances per month end as lines with dots: (month, first, second) each,
    e.g. the tax account (solid) and ledger account 1630 (dashed)."""
    height, slot = _scale([v for _m, a, b in months for v in (a, b)], len(months))

    def y(value: Decimal) -> str:
        return f"{height(value):.1f}"

    def x(i: int) -> str:
        return f"{PAD_X + i * slot + slot / 2:.1f}"

    lines = []
    series = ([a for _m, a, _b in months], [b for _m, _a, b in months])
    for css, label, points_of in zip(("first", "second"), labels, series, strict=True):
        points = " ".join(f"{x(i)},{y(value)}" for i, value in enumerate(points_of))
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3"><title>{}</title></circle>',
            (
                (x(i), y(value), f"{label} {formats.date_format(months[i][0], 'M')}: {money(value)}")
                for i, value in enumerate(points_of)
            ),
        )
        lines.append(format_html('<g class="line {}"><polyline points="{}"/>{}</g>', css, points, dots))
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        ((x(i), HEIGHT - 6, formats.date_format(m, "M")) for i, (m, _a, _b) in enumerate(months)),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" preserveAspectRatio="none">'
        '<line class="axis" x1="0" x2="{w}" y1="{zero}" y2="{zero}"/>{lines}{ticks}</svg>',
        w=WIDTH,
        h=HEIGHT,
        label=" / ".join(labels),
        zero=y(Decimal(0)),
        lines=format_html_join("", "{}", ((line,) for line in lines)),
        ticks=ticks,
    )


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 3


def sparkline(values: list[Decimal], label: str) -> SafeString:
    """A small line of monthly values (a dot on the last), with the zero line when it is in
    range; `label` names it for screen readers."""
    if not values:
        return format_html("")
    top, bottom = max(values), min(values)
    span = (top - bottom) or Decimal(1)
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)

    def y(value: Decimal) -> float:
        return SPARK_PAD + float((top - value) / span) * (SPARK_HEIGHT - 2 * SPARK_PAD)

    points = [(SPARK_PAD + i * step, y(value)) for i, value in enumerate(values)]
    zero = (
        format_html(
            '<line class="axis" x1="0" x2="{}" y1="{}" y2="{}"/>',
            SPARK_WIDTH,
            f"{y(Decimal(0)):.1f}",
            f"{y(Decimal(0)):.1f}",
        )
        if bottom < 0 < top
        else ""
    )
    last_x, last_y = points[-1]
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" preserveAspectRatio="none">'
        '{zero}<polyline points="{points}"/><circle cx="{x}" cy="{y}" r="2.5"/></svg>',
        w=SPARK_WIDTH,
        h=SPARK_HEIGHT,
        label=label,
        zero=zero,
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in points),
        x=f"{last_x:.1f}",
        y=f"{last_y:.1f}",
    )
