"""GET /health/ tells a load balancer whether this web process can work."""

import pytest


@pytest.mark.django_db
def test_health_answers_ok_to_a_prober_asking_by_ip_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production: a page would redirect to https
    response = client.get("/health/", HTTP_HOST="10.0.0.5:8000")  # not in ALLOWED_HOSTS
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_health_is_unavailable_while_the_cache_cannot_be_reached(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable"},
    }


def test_health_is_unavailable_when_the_database_refuses_and_says_no_more(client, caplog):
    # Without the django_db mark, pytest-django refuses every query, as a database that is down.
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "cache": "ok"}
    assert "Database access not allowed" not in response.content.decode()  # only in the log
    assert "Health check database failed" in caplog.text
