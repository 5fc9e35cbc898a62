from rest_framework.filters import OrderingFilter

UNIQUE = {"pk", "-pk", "id", "-id"}


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` as DRF reads it, then by id: rows that tie (two meetings at the same hour)
    keep one place across pages instead of showing on one page and missing from the next."""

    def filter_queryset(self, request, queryset, view):
        queryset = super().filter_queryset(request, queryset, view)
        order = [*queryset.query.order_by] or [*queryset.model._meta.ordering]
        if UNIQUE.isdisjoint(order):
            return queryset.order_by(*order, "pk")
        return queryset
