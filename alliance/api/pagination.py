from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        asked = request.query_params.get(self.page_size_query_param)
        # DRF answers 0, -5 or "ten" with the default size, and 1000 with the largest: a client
        # would not know its rows were cut. Out of range is a 400 that says the range.
        # ASCII digits only: "²" and "１０" are digits to str.isdigit() but not to int().
        if asked is not None and not (
            asked.isascii() and asked.isdigit() and 1 <= int(asked) <= self.max_page_size
        ):
            message = _("A whole number from 1 to %(largest)d.") % {"largest": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return super().get_page_size(request)
