from django import template

from alliance.charts import Bar

register = template.Library()


@register.inclusion_tag("charts/bar.html")
def progress(value: int, total: int, label: str = "", target: float | None = None) -> dict:
    """A progress bar, `{% progress 4 5 label="名额" %}`; a target share (0–1) is marked on it."""
    return {"bar": Bar(label, value, total, target)}
