"""GET /health/: whether this web process can reach its database and its cache, for a load
balancer or an orchestrator (docker compose's healthcheck).

A middleware, first in the chain, rather than a view: the prober asks by IP address over plain
HTTP, which ALLOWED_HOSTS and the HTTPS redirect would refuse, and it needs no session,
language or audit. It answers the state only ("ok" or "unavailable"), never the reason, which
goes to the log.
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

PATH = "/health/"
log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("health-probe", "ok", timeout=10)
    if cache.get("health-probe") != "ok":
        raise RuntimeError("the cache did not keep a value")


CHECKS = {"database": _database, "cache": _cache}


def report() -> tuple[bool, dict[str, str]]:
    states = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            # One line a probe: a load balancer asks every few seconds.
            log.warning("Health check %s failed: %s", name, error)
            states[name] = "unavailable"
        else:
            states[name] = "ok"
    return all(state == "ok" for state in states.values()), states


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        healthy, states = report()
        response = JsonResponse(
            {"status": "ok" if healthy else "unavailable", "checks": states},
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response
