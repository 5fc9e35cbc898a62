"""A group whose chair rotates among its members (000): whoever holds the chair seat is the
chair everywhere (the top bar, what they oversee, the council), and the lead school's
principal is a principal like the others."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from governance import services
from tests.conftest import fresh, staff_user
from tests.governance.factories import meeting, rotating_chair
from tests.members.factories import past

pytestmark = pytest.mark.django_db


@pytest.fixture
def rotating(county):
    """Group A rotates its chair; A1's principal holds the seat this term."""
    rotating_chair(county, holder=county.principal_a1.staff)
    return county


def top_bar(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("dashboard:home")).content.decode()
    return page.split('<header class="topbar">')[1].split("</header>")[0]


def test_the_seat_holder_is_the_chair_and_the_lead_principal_is_not(client, rotating):
    assert "理事长" in top_bar(client, rotating.principal_a1)
    assert "理事长" not in top_bar(client, rotating.chair)


def test_the_rotating_chair_oversees_the_member_schools_staff(client, rotating):
    teacher_a2 = staff_user(school=rotating.a2, username="teacher_a2")
    school_page = reverse("dashboard:school-detail", args=[rotating.a2.pk])
    client.force_login(rotating.principal_a1)
    assert teacher_a2.name in client.get(school_page).content.decode()
    client.force_login(rotating.chair)  # the lead principal no longer oversees A2
    assert client.get(school_page).status_code == 404


def test_when_the_term_ends_no_one_chairs_until_the_next_seat(client, rotating):
    seat = rotating.principal_a1.staff.seats.get()
    seat.ends_on = past(1)
    seat.save(update_fields=["ends_on"])
    scheduled = meeting(rotating)
    for user in (rotating.principal_a1, rotating.chair):
        assert "理事长" not in top_bar(client, user)
        with pytest.raises(PermissionDenied):
            services.meeting_close(meeting=scheduled, by=fresh(user))
