import pytest
from django.conf import settings


@pytest.fixture
def english(client):
    """A browser that picked English with the language switch: page texts as in the code."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
