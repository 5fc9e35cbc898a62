"""The chair (or the bureau) seats the council from the council page: before, seats could be
given only through the API, though the page said the chair assigns them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import selectors
from governance.models import CouncilSeat, SeatRole
from members.models import Post
from tests.conftest import inline_error, staff_user
from tests.governance.factories import secretary_general

pytestmark = pytest.mark.django_db


def test_the_chair_seats_a_secretary_general_who_then_runs_the_council(
    client, county, django_assert_max_num_queries
):
    holder = staff_user(school=county.a1, post=Post.VICE_PRINCIPAL, username="lin")
    staff_user(school=county.b1, post=Post.VICE_PRINCIPAL, username="other_group")
    url = reverse("dashboard:seat-new", args=[county.group_a.pk])
    client.force_login(county.chair)
    council = client.get(reverse("dashboard:council", args=[county.group_a.pk])).content.decode()
    assert url in council
    client.get(url)  # content types are read once per process
    with django_assert_max_num_queries(11):  # the people are read once, whatever their number
        form = client.get(url).content.decode()
    assert holder.name in form and "other_group" not in form  # member schools' staff only
    assert "请留空以采用本集团 5 年的任期。" in form
    today = timezone.localdate()
    response = client.post(
        url,
        {"role": SeatRole.SECRETARY_GENERAL, "holder": holder.pk, "starts_on": today},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("#seats")
    assert "理事会职务已设置。" in response.content.decode()
    seat = CouncilSeat.objects.get(holder=holder)
    assert (seat.role, seat.starts_on) == (SeatRole.SECRETARY_GENERAL, today)
    assert seat.ends_on.year == today.year + 5  # the seed's five-year term (000)
    assert selectors.runs_council(holder.user, group_id=county.group_a.pk)


def test_an_overlapping_term_comes_back_with_what_was_typed_and_nothing_saved(english, county):
    secretary_general(county)
    newcomer = staff_user(school=county.a2, post=Post.VICE_PRINCIPAL, username="newcomer")
    english.force_login(county.chair)
    ends = timezone.localdate() + datetime.timedelta(days=400)
    response = english.post(
        reverse("dashboard:seat-new", args=[county.group_a.pk]),
        {
            "role": SeatRole.SECRETARY_GENERAL,
            "holder": newcomer.pk,
            "starts_on": timezone.localdate(),
            "ends_on": ends,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The term overlaps another term of the same seat." in page
    assert f'value="{ends.isoformat()}"' in page
    assert f'<option value="{newcomer.pk}" selected>' in page
    assert not CouncilSeat.objects.filter(holder=newcomer).exists()


def test_only_the_bureau_and_the_chair_are_offered_seats(client, county):
    council = reverse("dashboard:council", args=[county.group_a.pk])
    url = reverse("dashboard:seat-new", args=[county.group_a.pk])
    for user, offered in (
        (county.bureau, True),
        (county.chair, True),
        (county.principal_a1, False),
    ):
        client.force_login(user)
        assert (url in client.get(council).content.decode()) is offered


def test_the_seat_form_makes_the_officer_choose_the_role(client, county):
    """It offered 理事长 already chosen: a vice-chair could be seated as chair unnoticed."""
    holder = staff_user(school=county.a1, post=Post.VICE_PRINCIPAL, username="lin")
    url = reverse("dashboard:seat-new", args=[county.group_a.pk])
    client.force_login(county.chair)
    form = client.get(url).content.decode()
    role = form.split('name="role"')[1].split("</select>")[0]
    assert '<option value="" selected>' in role
    today = timezone.localdate()
    refused = client.post(url, {"role": "", "holder": holder.pk, "starts_on": today})
    assert refused.status_code == 200 and "该字段是必填项" in refused.content.decode()
    assert not CouncilSeat.objects.filter(holder=holder).exists()


def test_a_refused_seat_shows_every_broken_rule_at_once_by_its_field(english, county):
    """A term that ends before it starts, for someone whose school was not yet a member: the
    officer was told one, fixed it, and only then heard of the other."""
    holder = staff_user(school=county.a1, post=Post.VICE_PRINCIPAL, username="lin")
    english.force_login(county.chair)
    page = english.post(
        reverse("dashboard:seat-new", args=[county.group_a.pk]),
        {
            "role": SeatRole.SECRETARY_GENERAL,
            "holder": holder.pk,
            "starts_on": "2000-01-01",
            "ends_on": "1999-12-31",
        },
    ).content.decode()
    assert inline_error(page, "holder") == "The school was not a member school on 2000-01-01."
    assert inline_error(page, "ends_on") == "A term must end after it starts."
    assert not CouncilSeat.objects.exists()
