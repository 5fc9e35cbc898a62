"""The pages a person sees when the site fails or a form's token has gone stale: the site's
look and language, not Django's plain English."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import path, reverse

from alliance import errors
from alliance import urls as site_urls

# For @pytest.mark.urls(__name__): the site's URLs, and one that fails.


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", _broken), *site_urls.urlpatterns]
handler500 = site_urls.handler500


def browser(language: str | None = None, **options) -> Client:
    client = Client(**options)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
def test_an_expired_form_says_so_and_what_to_do_on_the_sites_page():
    client = browser("en", enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "chair", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>The form has expired</h1>" in page
    assert "Go back, reload the page and try again." in page
    assert "Group schooling platform" in page  # the site's top bar
    assert "CSRF verification failed" not in page and "DEBUG=True" not in page


@pytest.mark.django_db
def test_the_expired_form_page_is_in_chinese_by_default_with_a_working_language_switch():
    client = browser(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "chair", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403 and '<html lang="zh-hans">' in page
    # Drawn with the request, unlike Django's view: the switch on it carries a token.
    switch = page[page.index('action="/i18n/setlang/"') :]
    assert 'name="csrfmiddlewaretoken"' in switch[: switch.index("</form>")]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_shows_the_sites_500_page():
    response = browser("en", raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Server error</h1>" in page
    assert "/static/css/site.css" in page and 'class="brand"' in page
    assert "Server Error (500)" not in page


def test_the_500_page_needs_no_database_and_no_request_context():
    # No django_db mark: any query here fails the test.
    response = errors.server_error(RequestFactory().get("/meetings/1/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "/static/css/site.css" in page and 'class="brand"' in page


def test_a_browser_asking_for_favicon_ico_is_sent_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


@pytest.mark.django_db
def test_with_debug_on_as_in_the_demo_another_schools_page_is_the_sites_not_found_page(
    county, settings
):
    settings.DEBUG = True
    client = browser("en")
    client.force_login(county.principal_a1)
    response = client.get(reverse("dashboard:school-detail", args=[county.b1.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page does not exist, or it is not open to your account." in page
    assert "DEBUG = True" not in page and county.b1.name not in page
