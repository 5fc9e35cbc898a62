"""Units of text a line must not break inside: a date (`{{ day|time_tag:"Y-m-d" }}`, in a
<time> element that also gives machines its ISO form) and any other piece, such as a quarter in
a heading (`{{ period|keep_together }}`). Filters, not markup in the template, so that such a
unit can be a translated sentence's placeholder (`blocktranslate with day=…|time_tag:…`)."""

import datetime

from django import template
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


@register.filter
def time_tag(value: datetime.date | datetime.datetime | None, shown: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # HTML takes at most three digits of a second's fraction; the pages show minutes.
        value = timezone.localtime(value).replace(microsecond=0)
    return format_html(
        '<time class="date" datetime="{}">{}</time>', value.isoformat(), date_format(value, shown)
    )


@register.filter
def keep_together(value: str) -> str:
    return format_html('<span class="keep-together">{}</span>', value)


@register.filter
def break_after(value: str, prefix: str) -> str:
    """A name that begins with another (a group's with its lead school's: 青溪县实验小学 +
    教育联盟) breaks only after it, not inside a word; another name as it is."""
    if not prefix or not value.startswith(prefix) or value == prefix:
        return value
    rest = value[len(prefix) :]
    return format_html('<span class="whole-names">{}<wbr>{}</span>', prefix, rest)
