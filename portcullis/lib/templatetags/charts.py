"""`{% chart c %}`: a `portcullis.lib.charts.Chart` as a figure, its SVG and its table."""

from typing import Any

from django import template

from portcullis.lib.charts import Chart, svg

register = template.Library()


@register.inclusion_tag("charts/chart.html")
def chart(chart: Chart, heading_level: int = 3) -> dict[str, Any]:
    return {"chart": chart, "svg": svg(chart), "heading": f"h{heading_level}"}
