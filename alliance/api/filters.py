import datetime
from collections.abc import Callable

from django import forms
from django.db import models
from django.db.models import F, Model, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import (
    BooleanFilter,
    DjangoFilterBackend,
    FilterSet,
    IsoDateTimeFilter,
)
from django_filters.widgets import BooleanWidget
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.settings import api_settings

from alliance.language import in_pinyin_order

UNIQUE = {"pk", "-pk", "id", "-id"}


def visible(visible_to: Callable[[object], QuerySet], model: type[Model]) -> Callable:
    """A filter's choices: what the requesting user may see (`schools_visible_to`), so a hidden
    id is the same 400 as a missing one; none while the schema is drawn without a request."""
    return lambda request: visible_to(request.user) if request else model.objects.none()


class StorableDateTimeField(IsoDateTimeField):
    """An ISO 8601 time the database can store, passed on in UTC: year 1 at 00:00 in Beijing is
    year 0 in UTC, which crashed the list (500) where it is a mistake in the request (400); and
    PostgreSQL refuses an offset past 15:59 (+23:20, which Python reads), a 500 the API's
    fuzzing found."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            message = _("This time is too far in the past or the future.")
            raise forms.ValidationError(message, code="out_of_range") from None


class StorableDateTimeFilter(IsoDateTimeFilter):
    field_class = StorableDateTimeField


class StrictBooleanWidget(BooleanWidget):
    """django-filter's reading of true/false/1/0, passing anything else on for the field to
    refuse: its own turns "no" into no filter at all, and an HR sync asking for the staff no
    longer in post with `?is_active=no` got everyone."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return data.get(name) if value is None else value


class StrictBooleanField(forms.NullBooleanField):
    def to_python(self, value):
        if value not in (None, "", True, False):
            raise forms.ValidationError(_("Give true or false (or 1 or 0)."), code="invalid")
        return None if value == "" else value


class StrictBooleanFilter(BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", StrictBooleanWidget)
        super().__init__(*args, **kwargs)


class SyncFilterSet(FilterSet):
    """The API's filter sets: their time filters (`updated_at__gte`, what changed since an
    integrator's last sync) refuse a time out of the database's range on their parameter, and
    their true/false filters (also `__isnull`) a value that is neither."""

    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": StorableDateTimeFilter},
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


class SyncFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with a view's `filterset_fields` made into a SyncFilterSet."""

    filterset_base = SyncFilterSet


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` as DRF reads it, then by id: rows that tie (two meetings at the same hour)
    keep one place across pages instead of showing on one page and missing from the next."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) < len(fields):  # DRF drops an unknown field silently
            allowed = [name for name, _label in self.get_valid_fields(queryset, view, {})]
            message = _("Order by one of: %(fields)s (a leading - reverses).") % {
                "fields": ", ".join(allowed)
            }
            raise ValidationError({self.ordering_param: [message]})
        return valid

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = ", ".join(name for name, _label in self.get_valid_fields(None, view, {}))
        for parameter in parameters:
            parameter["description"] = _(
                "Order by one of: %(fields)s (a leading - reverses; several, comma-separated)."
            ) % {"fields": fields}
        return parameters

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            queryset = queryset.order_by(*(_ordered(term) for term in ordering))
        order = [*queryset.query.order_by] or [*queryset.model._meta.ordering]
        if UNIQUE.isdisjoint(order):
            return queryset.order_by(*order, "pk")
        return queryset


def _ordered(term: str) -> OrderBy:
    """A client's `?ordering=` term: a name (of a group, a school, a person) in pinyin order, as
    the pages list them; an empty date (a membership not yet approved, or not left) last either
    way, where PostgreSQL and SQLite would each put it at another end."""
    field = term.lstrip("-")
    column = in_pinyin_order(field) if field == "name" else F(field)
    if term.startswith("-"):
        return column.desc(nulls_last=True)
    return column.asc(nulls_last=True)


class KnownParametersOnly(BaseFilterBackend):
    """A list refuses a query parameter it does not know (400) instead of ignoring it: a client
    syncing with `?updated_at__gte=` on a list without that filter got every row and took them
    for the changes."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        unknown = sorted(set(request.query_params) - _known_parameters(queryset, view))
        if unknown:
            message = _("This list has no such parameter.")
            raise ValidationError({name: [message] for name in unknown})
        return queryset


def _known_parameters(queryset, view) -> set[str]:
    known = {api_settings.URL_FORMAT_OVERRIDE}
    filterset = DjangoFilterBackend().get_filterset_class(view, queryset)
    if filterset is not None:
        known |= set(filterset.base_filters)
    if getattr(view, "search_fields", None):
        known.add(api_settings.SEARCH_PARAM)
    if getattr(view, "ordering_fields", None):
        known.add(api_settings.ORDERING_PARAM)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        known |= {paginator.page_query_param, paginator.page_size_query_param}
    return known
