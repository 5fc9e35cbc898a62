"""The API's documentation pages (Swagger UI, ReDoc), served from this site under its CSP.

drf-spectacular's stock pages put their set-up in inline <script> and <style> elements and ReDoc
fetches Google's fonts: the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) refuses
all three. Swagger UI takes its set-up script from a URL (the split view) and its page styles
from static/css/api/. ReDoc writes its styles into <style> elements while its bundle loads,
before a nonce could reach it, and searches in a worker made from a blob: so its page alone
allows inline styles and blob: workers. Scripts stay 'self' there too.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


@method_decorator(
    csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}), name="get"
)
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"


class ApiRoot(APIRootView):
    """The group-schooling platform's API, version 1: a link to each resource's list, and to
    the documentation (Swagger UI at docs, ReDoc at redoc) and the OpenAPI schema. Sign in
    with a token from auth/token/; the README's API section says how."""

    def get_view_name(self) -> str:
        return "Group schooling platform API v1"

    def get(self, request, *args, **kwargs):
        # Where an integrator starts: DRF's root named the resources, not how to read them.
        response = super().get(request, *args, **kwargs)
        for name in ("docs", "redoc", "schema"):
            response.data[name] = reverse(f"api:{name}", request=request)
        return response
