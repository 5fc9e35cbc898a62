"""Error pages: JSON under /api/ (clients parse them), the site's pages elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # templates/500.html is drawn without the request (no context processors, no database):
    # the error may be the database itself.
    if _is_api(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A form sent with a stale or missing token (settings.CSRF_FAILURE_VIEW). Unlike Django's
    view, it draws the page with the request: the top bar's language switch gets a fresh
    token, and the 403 response carries the new cookie for the retry."""
    return render(request, "403_csrf.html", status=403)
