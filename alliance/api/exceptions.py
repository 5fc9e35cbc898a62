"""Errors from services reach API clients as DRF errors: 400 with field messages, 403, 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = exc.message_dict
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        # One "not found" whatever the reason: get_object_or_404's own text names the model
        # ("No SchoolGroup matches the given query.") and differs from a malformed id's.
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
