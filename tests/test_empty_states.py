"""An empty list says what to do next, and offers it only to those who may do it."""

import pytest
from django.urls import reverse

from tests.governance.factories import meeting

pytestmark = pytest.mark.django_db


def page(client, name: str, *args, **params) -> str:
    response = client.get(reverse(f"dashboard:{name}", args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_council_without_meetings_offers_those_who_may_schedule_to_do_so(english, county):
    schedule = reverse("dashboard:meeting-new", args=[county.group_a.pk])
    english.force_login(county.chair)
    text = page(english, "council", county.group_a.pk)
    assert "No meetings yet." in text and "Schedule the first meeting" in text
    english.force_login(county.teacher_a1)
    text = page(english, "council", county.group_a.pk)
    assert "No meetings yet." in text and schedule not in text


def test_a_new_meeting_points_its_officers_to_the_forms_below(english, county):
    of = meeting(county)
    english.force_login(county.chair)
    text = page(english, "meeting-detail", of.pk)
    assert "No documents yet. Attach the agenda papers or slides below." in text
    assert "No motions yet. Put one to the vote below." in text
    english.force_login(county.teacher_a1)
    text = page(english, "meeting-detail", of.pk)
    assert "No documents." in text and "Attach the agenda" not in text


def test_a_staff_search_that_finds_nobody_offers_to_clear_it(english, county):
    english.force_login(county.principal_a1)
    text = page(english, "school-detail", county.a1.pk, q="没有这个人")
    assert "No staff match this search." in text and 'href="?#staff-title"' in text
