"""schemathesis generates requests from our own OpenAPI schema and sends them in process.

Whatever it sends, the API answers without a server error, and every client error carries a
JSON body an integrating engineer can read. The example count is bounded so CI stays quick.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error

from alliance.wsgi import application

EXAMPLES_PER_OPERATION = 12


# Served by the app itself, in process: the schema the clients see is the one we test.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def in_test_transaction():
    """Keep the test's connection across requests, as Django's own test client does: the
    end-of-request connection clean-up would close it in the middle of the test transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(county, in_test_transaction):
    """A bureau token: every operation is reachable, the county gives them data to act on."""
    return AuthToken.objects.create(user=county.bureau)[1]


def client_errors_are_json(ctx, response, case) -> None:
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), (
            f"{response.status_code} with {content_type or 'no content type'}"
        )
        assert isinstance(json.loads(response.content), dict | list)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_breaks_the_api(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, client_errors_are_json],
    )
