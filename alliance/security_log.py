"""Security events for the operations log: sign-ins, failed sign-ins, refused requests.

Each line says who, from where and what; passwords and tokens are never logged (the failed
sign-in signal's credentials are reduced to the username).
"""

import ipaddress
import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

log = logging.getLogger("alliance.security")


def client_ip(request) -> str | None:
    """The client's address, as the API's throttling reads it: REMOTE_ADDR, or with
    TRUSTED_PROXY_COUNT proxies in front, the address that many hops from the right of
    X-Forwarded-For (what a client writes further left is not trusted). django-axes locks out
    on it too (AXES_CLIENT_IP_CALLABLE): otherwise behind a proxy every client shares the
    proxy's address, and anyone could lock anyone out. An entry that is not an address (a
    proxy that appends a port, more proxies declared than there are) falls back to
    REMOTE_ADDR: it would fail the database's address column."""
    address = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None


def client_address(request) -> str:
    if request is None:
        return "-"
    return get_client_ip_address(request) or "-"


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log.info(
        "login user=%s ip=%s path=%s", user.get_username(), client_address(request), _path(request)
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    name = user.get_username() if user else "-"
    log.info("logout user=%s ip=%s", name, client_address(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    log.warning(
        "login-failed user=%s ip=%s path=%s",
        credentials.get("username", "-"),
        client_address(request),
        _path(request),
    )


def _path(request) -> str:
    return getattr(request, "path", "-") if request is not None else "-"


class FailedAuthorizationMiddleware:
    """Log every 401 and 403: a refused request is a security event (ASVS V16)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (401, 403):
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else "-"
            log.warning(
                "refused status=%s user=%s ip=%s method=%s path=%s",
                response.status_code,
                name,
                client_address(request),
                request.method,
                request.path,
            )
        return response


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets (django-axes): JSON for the API, a page for browsers."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    message = _("Too many failed sign-ins from this address. Try again in %(minutes)d minutes.") % {
        "minutes": seconds // 60
    }
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    # The whole cool-off, counted from now: at most that long, as the throttles' 429 says too.
    response["Retry-After"] = str(seconds)
    return response
