"""The SVG chart helper: an image with a title and description, no script or inline style,
values drawn where they belong, gaps where a month has no figure."""

from __future__ import annotations

import re
from datetime import date

from django.template import Context, Template
from django.test import SimpleTestCase

from portcullis.lib.charts import Chart, Series, month_ends, nice_ceiling, svg


def chart(**kw: object) -> Chart:
    base: dict[str, object] = {
        "key": "c",
        "title": "Reports & <things>",
        "description": "Two series",
        "categories": ("Jan", "Feb", "Mar"),
        "series": (Series("A", (1.0, 2.0, None)), Series("B", (3.0, 0.0, 5.0))),
    }
    return Chart(**(base | kw))  # type: ignore[arg-type]


class ChartTests(SimpleTestCase):
    def test_the_svg_is_a_titled_image_without_script_or_inline_style(self) -> None:
        drawn = str(svg(chart()))
        self.assertIn('role="img" aria-labelledby="c-title c-desc"', drawn)
        self.assertIn('<title id="c-title">Reports &amp; &lt;things&gt;</title>', drawn)
        self.assertIn('<desc id="c-desc">Two series</desc>', drawn)
        self.assertIn('viewBox="0 0 640 300"', drawn)
        self.assertNotIn("style=", drawn)
        self.assertNotIn("<script", drawn)

    def test_stacked_bars_reach_the_total_of_each_month(self) -> None:
        drawn = str(svg(chart(kind="bar", maximum=10)))
        heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', drawn)]
        # Jan 1 + 3, Feb 2 (+0 not drawn), Mar 5 (None not drawn): four bars, 24 px per unit.
        self.assertEqual(len(heights), 4)
        self.assertAlmostEqual(sum(heights), 11 * 240 / 10, places=0)

    def test_a_missing_value_breaks_the_line(self) -> None:
        drawn = str(svg(chart(series=(Series("A", (1.0, None, 3.0)),))))
        self.assertNotIn("<polyline", drawn)  # no two neighbouring points to join
        self.assertEqual(drawn.count("<circle"), 2)

    def test_the_table_beside_it_holds_every_figure(self) -> None:
        html = Template("{% load charts %}{% chart c %}").render(
            Context({"c": chart(unit="%", rows=("January 2026", "February 2026", "March 2026"))})
        )
        self.assertIn('<th scope="row" class="govuk-table__header">March 2026</th>', html)
        self.assertIn(">5%</td>", html)
        self.assertIn(">–</td>", html)
        self.assertIn('aria-label="Figures: Reports &amp; &lt;things&gt;"', html)

    def test_scales_and_months(self) -> None:
        self.assertEqual([nice_ceiling(v) for v in (0, 3, 7, 12, 180)], [1, 5, 10, 20, 200])
        ends = month_ends(date(2026, 3, 15), 3)
        self.assertEqual(ends, [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 15)])
