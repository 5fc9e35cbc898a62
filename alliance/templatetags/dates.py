"""`{{ day|time_tag:"Y-m-d" }}`: a date as the pages show it, in a <time> element that keeps it
on one line and gives machines its ISO form. A filter, not markup in the template, so a date
can also be a translated sentence's placeholder (`blocktranslate with day=…|time_tag:…`)."""

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
        value = timezone.localtime(value)
    return format_html(
        '<time class="date" datetime="{}">{}</time>', value.isoformat(), date_format(value, shown)
    )
