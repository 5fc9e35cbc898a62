"""A council term ended early (its holder steps down): the seat is free for a successor, and
the term served stays on record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import selectors, services
from governance.models import CouncilSeat, SeatRole
from members.models import Post
from tests.conftest import staff_user
from tests.governance.factories import secretary_general
from tests.members.factories import past

pytestmark = pytest.mark.django_db


def secretary_seat(county) -> CouncilSeat:
    secretary_general(county)  # seated from 30 days ago, for the full term
    return CouncilSeat.objects.get(group=county.group_a, role=SeatRole.SECRETARY_GENERAL)


def successor(county):
    return staff_user(school=county.a2, post=Post.VICE_PRINCIPAL, username="successor")


def test_the_chair_ends_a_term_and_seats_the_successor_the_same_day(county):
    seat = secretary_seat(county)
    next_one = successor(county)
    with pytest.raises(ValidationError, match="overlaps"):
        services.seat_assign(
            group=county.group_a,
            role=SeatRole.SECRETARY_GENERAL,
            holder=next_one,
            starts_on=past(0),
            by=county.chair,
        )
    services.seat_end(seat=seat, by=county.chair, last_day=past(2))
    seat.refresh_from_db()
    assert (seat.starts_on, seat.ends_on) == (past(30), past(2))
    assert seat.history.first().history_type == "~"
    new = services.seat_assign(
        group=county.group_a,
        role=SeatRole.SECRETARY_GENERAL,
        holder=next_one,
        starts_on=past(2),
        by=county.chair,
    )
    assert new.starts_on == past(2)


@pytest.mark.parametrize(
    "last_day, message",
    [(past(-1), "future"), (past(31), "began on"), (None, None)],
)
def test_a_term_is_cut_short_never_erased_or_cut_in_the_future(county, last_day, message):
    seat = secretary_seat(county)
    if message is None:  # the default: today
        services.seat_end(seat=seat, by=county.chair)
        seat.refresh_from_db()
        assert seat.ends_on == past(0)
        return
    with pytest.raises(ValidationError, match=message):
        services.seat_end(seat=seat, by=county.chair, last_day=last_day)
    assert CouncilSeat.objects.get(pk=seat.pk).ends_on == seat.ends_on


def test_a_term_already_ending_sooner_is_refused(county):
    seat = secretary_seat(county)
    services.seat_end(seat=seat, by=county.chair, last_day=past(5))
    with pytest.raises(ValidationError, match="ends on"):
        services.seat_end(seat=seat, by=county.chair, last_day=past(3))


def test_a_term_not_yet_begun_is_withdrawn(county):
    upcoming = services.seat_assign(
        group=county.group_a,
        role=SeatRole.DIRECTOR,
        holder=county.principal_a1.staff,
        starts_on=past(-10),
        by=county.bureau,
    )
    assert services.seat_end(seat=upcoming, by=county.chair) is None
    assert not CouncilSeat.objects.filter(pk=upcoming.pk).exists()
    assert CouncilSeat.history.filter(id=upcoming.pk, history_type="-").exists()


def test_only_the_chair_or_the_bureau_ends_a_term(county):
    seat = secretary_seat(county)
    for user in (county.principal_a1, county.teacher_a1):
        with pytest.raises(PermissionDenied):
            services.seat_end(seat=seat, by=user)
    assert CouncilSeat.objects.get(pk=seat.pk).ends_on > past(-365)


def test_the_council_page_ends_a_term_and_says_so(client, county):
    seat = secretary_seat(county)
    client.force_login(county.chair)
    council = reverse("dashboard:council", args=[county.group_a.pk])
    page = client.get(council).content.decode()
    assert reverse("dashboard:seat-end", args=[seat.pk]) in page
    url = reverse("dashboard:seat-end", args=[seat.pk])
    page = client.post(url, {"last_day": str(past(1))}, follow=True).content.decode()
    assert f"{seat.holder.name}的秘书长任期已结束" in page
    assert not selectors.seat_held_by(seat.holder.user)
    refused = client.post(url, {"last_day": "2000-01-01"}, follow=True).content.decode()
    assert "任期始于" in refused
    assert CouncilSeat.objects.get(pk=seat.pk).ends_on == past(1)


def test_a_member_principal_sees_no_end_button_and_is_refused(client, county):
    seat = secretary_seat(county)
    client.force_login(county.principal_a1)
    page = client.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()
    assert "seat-end" not in page
    url = reverse("dashboard:seat-end", args=[seat.pk])
    assert client.post(url, {}).status_code == 403


def test_the_api_ends_a_term(api, county):
    seat = secretary_seat(county)
    api.force_authenticate(county.chair)
    url = f"/api/v1/council-seats/{seat.pk}/end/"
    refused = api.post(url, {"last_day": str(past(-1))}, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["last_day"]
    ended = api.post(url, {"last_day": str(past(1))}, format="json")
    assert ended.status_code == 200, ended.content
    assert ended.json()["ends_on"] == str(past(1))
