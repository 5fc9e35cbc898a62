"""The rules the services keep hold in the database too: a row written past them is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from governance.models import Attendance, CouncilPolicy, Resolution
from members.models import Membership
from tests.governance.factories import meeting
from tests.members.factories import SchoolFactory, past

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(write, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write(**values)


def invalid(instance, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert message in error.value.messages


def test_a_school_cannot_hold_two_open_applications_even_written_directly(county):
    school = SchoolFactory()
    Membership.objects.create(group=county.group_a, school=school, applied_on=past(2))
    second = Membership(group=county.group_b, school=school, applied_on=past(1))
    invalid(second, "This school already has an open application to a group.")
    refused(second.save)


def test_a_school_cannot_leave_before_its_written_notice_even_written_directly(county):
    membership = Membership.objects.get(school=county.a1)
    membership.notice_on, membership.left_on = past(5), past(6)
    invalid(membership, "A school cannot leave before its written notice.")
    refused(Membership.objects.filter(pk=membership.pk).update, notice_on=past(5), left_on=past(6))


def test_a_member_cannot_be_warned_before_it_was_approved_even_written_directly(county):
    membership = Membership.objects.get(school=county.a1)  # approved 290 days ago
    membership.warned_on = past(291)
    invalid(membership, "A member cannot be warned before it was approved.")
    refused(Membership.objects.filter(pk=membership.pk).update, warned_on=past(291))


@pytest.mark.parametrize(
    ("kind", "charter_text", "message"),
    [
        ("charter", "", "Give the charter text to adopt."),
        (
            "ordinary",
            "新章程第一条",
            "Only a charter motion adopts a charter text: choose that kind.",
        ),
    ],
)
def test_only_a_charter_motion_has_a_charter_text_and_it_always_has_one(
    county, kind, charter_text, message
):
    motion = Resolution(meeting=meeting(county), title="动议", kind=kind, charter_text=charter_text)
    invalid(motion, message)
    refused(motion.save)


def test_a_seat_term_is_at_least_a_year_even_written_directly(county):
    policy = CouncilPolicy(group=county.group_a, seat_term_years=0)
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "seat_term_years" in error.value.message_dict
    with pytest.raises(ValidationError, match="A seat term is at least one year."):
        policy.validate_constraints()
    refused(policy.save)


def test_an_absence_has_its_reason_even_written_directly(county):
    absence = Attendance(meeting=meeting(county), school=county.a1, status="absent", reason="")
    invalid(absence, "Give the reason for the absence.")
    refused(absence.save)
