from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def _whole(value: str) -> int | None:
    # ASCII digits only: "²" and "１０" are digits to str.isdigit() but not to int().
    return int(value) if value.isascii() and value.isdigit() else None


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` (from 1, or `last`) and `?page_size=` (1 to 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        asked = request.query_params.get(self.page_size_query_param)
        # DRF answers 0, -5 or "ten" with the default size, and 1000 with the largest: a client
        # would not know its rows were cut. Out of range is a 400 that says the range.
        if asked is not None and not 1 <= (_whole(asked) or 0) <= self.max_page_size:
            message = _("A whole number from 1 to %(largest)d.") % {"largest": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        # DRF answers ?page=0 or ?page=abc with 404 "Invalid page.", as if a page were missing:
        # it is a mistake in the request. A page past the last one stays a 404.
        asked = request.query_params.get(self.page_query_param)
        if asked and asked not in self.last_page_strings and not (_whole(asked) or 0) >= 1:
            message = _("A whole number from 1, or “last”.")
            raise ValidationError({self.page_query_param: [message]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                last = {"type": "string", "enum": list(self.last_page_strings)}
                parameter["schema"] = {"oneOf": [{"type": "integer", "minimum": 1}, last]}
            else:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
