"""Error pages: JSON under /api/ (clients parse them), the site's pages elsewhere."""

from django.http import Http404, JsonResponse
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


class NotFoundPageMiddleware:
    """The site's not-found page for a 404 a view raises (a record outside the user's scope),
    also with DEBUG on, as `make run`'s demo runs: there Django would answer with its technical
    page, and a principal trying another school's address should see what production shows.
    An address that matches no route keeps Django's page under DEBUG (it lists the routes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return not_found(request, exception)
        return None
