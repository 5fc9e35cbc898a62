"""Errors from services reach API clients as DRF errors: 400 with field messages, 403, 404."""

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
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
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({"non_field_errors": [_unreadable(exc)]})
    elif isinstance(exc, Http404):
        # One "not found" whatever the reason: get_object_or_404's own text names the model
        # ("No SchoolGroup matches the given query.") and differs from a malformed id's.
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


def _unreadable(error: exceptions.ParseError) -> str:
    """A body that could not be parsed, in the request's language and the documented 400 shape:
    DRF's own is a `detail` in English ("JSON parse error - Expecting value: …")."""
    cause = error.__context__  # DRF raises ParseError while handling the parser's error
    if isinstance(cause, json.JSONDecodeError):
        return _("The body is not valid JSON (line %(line)d, column %(column)d).") % {
            "line": cause.lineno,
            "column": cause.colno,
        }
    return _("The body could not be read: check it is well formed for its Content-Type.")
