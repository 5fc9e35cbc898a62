import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from alliance.models import GroupMode, SchoolGroup
from governance.cadence import attendance_rates
from governance.models import CharterVersion, Meeting, Resolution
from members.models import (
    CURRENT_STATUSES,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Post,
    School,
    Staff,
)
from members.roles import viewer_for

DEMO_PASSWORD = "demo-pass-2026"


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [School, Staff, SchoolGroup, Membership, MembershipEvent, User]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_it_builds_a_county_with_every_mode():
    seed()
    assert SchoolGroup.objects.count() >= 4
    assert set(SchoolGroup.objects.values_list("mode", flat=True)) == set(GroupMode.values)
    assert School.objects.count() >= 15
    assert Staff.objects.count() >= 300
    assert all(
        len(code) == 10 and code.isdigit() for code in School.objects.values_list("code", flat=True)
    )
    assert not School.objects.filter(stages__isnull=True).exists()


@pytest.mark.django_db
def test_tight_campuses_share_the_lead_schools_legal_person():
    seed()
    tight = SchoolGroup.objects.get(mode=GroupMode.TIGHT)
    campuses = School.objects.filter(memberships__group=tight).exclude(pk=tight.lead_school_id)
    assert campuses.exists()
    assert not campuses.filter(is_legal_person=True).exists()
    assert tight.lead_school.is_legal_person


@pytest.mark.django_db
def test_every_school_has_one_principal_and_one_or_two_vice_principals():
    seed()
    schools = School.objects.annotate(
        principals=Count("staff", filter=Q(staff__post=Post.PRINCIPAL, staff__is_active=True)),
        vices=Count("staff", filter=Q(staff__post=Post.VICE_PRINCIPAL)),
    )
    for school in schools:
        assert school.principals == 1, school.name
        assert 1 <= school.vices <= 2, school.name


@pytest.mark.django_db
def test_about_fifteen_percent_are_backbone_and_three_percent_famous():
    seed()
    total = Staff.objects.count()
    backbone = Staff.objects.filter(is_backbone=True).count()
    famous = Staff.objects.filter(is_famous=True).count()
    assert 0.12 <= backbone / total <= 0.18
    assert 0.02 <= famous / total <= 0.04
    assert not Staff.objects.filter(is_famous=True, is_backbone=False).exists()


@pytest.mark.django_db
def test_running_it_twice_changes_nothing():
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "already there" in output


@pytest.mark.django_db
def test_demo_logins_work(client):
    seed()
    expected = {"bureau": "bureau", "chair": "chair", "principal": "principal", "teacher": "staff"}
    for username, role in expected.items():
        form = {"username": username, "password": DEMO_PASSWORD}
        assert client.post(reverse("login"), form).status_code == 302, username
        assert viewer_for(User.objects.get(username=username)).role == role
        client.logout()


@pytest.mark.django_db
def test_the_demo_secretary_holds_the_secretary_generals_seat_and_runs_its_meetings(client):
    seed()
    secretary = User.objects.get(username="secretary")
    group = SchoolGroup.objects.get(pk=next(iter(viewer_for(secretary).group_ids)))
    seat = group.council_seats.get(role="secretary_general")
    assert seat.holder.user == secretary
    client.force_login(secretary)
    assert client.get(reverse("dashboard:meeting-new", args=[group.pk])).status_code == 200
    assert "秘书长" in client.get(reverse("dashboard:home")).content.decode()


@pytest.mark.django_db
def test_the_demo_principal_and_teacher_work_in_the_chairs_group():
    seed()
    chair = viewer_for(User.objects.get(username="chair"))
    principal = viewer_for(User.objects.get(username="principal"))
    teacher = viewer_for(User.objects.get(username="teacher"))
    group = SchoolGroup.objects.get(pk=next(iter(chair.chaired_group_ids)))
    assert group.mode == GroupMode.ALLIANCE
    assert principal.school_id != group.lead_school_id
    assert principal.group_ids == teacher.group_ids == {group.pk}
    assert teacher.school_id == principal.school_id


@pytest.mark.django_db
def test_it_prints_the_logins():
    output = seed()
    for username in ("bureau", "chair", "secretary", "principal", "teacher"):
        assert f"{username}:" in output
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_caps_hold():
    seed()
    for group in SchoolGroup.objects.all():
        members = (
            group.memberships.filter(status__in=CURRENT_STATUSES)
            .exclude(school_id=group.lead_school_id)
            .count()
        )
        assert 1 <= members <= group.member_cap, group.name


@pytest.mark.django_db
def test_it_records_an_application_a_warning_and_a_withdrawal():
    seed()
    statuses = set(Membership.objects.values_list("status", flat=True))
    assert {
        MembershipStatus.APPLIED,
        MembershipStatus.WARNED,
        MembershipStatus.WITHDRAWN,
    } <= statuses
    withdrawn = Membership.objects.get(status=MembershipStatus.WITHDRAWN)
    assert withdrawn.events.filter(to_status=MembershipStatus.WITHDRAWN).exists()


@pytest.mark.django_db
def test_dates_are_in_order_and_in_the_past():
    seed()
    today = timezone.localdate()
    for m in Membership.objects.select_related("group"):
        steps = [m.group.founded_on, m.applied_on, m.approved_on, m.warned_on, m.notice_on]
        steps = [day for day in [*steps, m.left_on] if day is not None]
        assert steps == sorted(steps), m
        assert steps[-1] <= today, m
    assert not MembershipEvent.objects.filter(effective_on__gt=today).exists()


@pytest.mark.django_db
def test_a_clash_leaves_nothing_behind():
    User.objects.create_user("teacher", password="someone-else-1")
    with pytest.raises(CommandError):
        seed()
    assert not School.objects.exists()
    assert not SchoolGroup.objects.exists()


@pytest.mark.django_db
def test_the_demo_council_met_voted_and_adopted_a_charter(client):
    seed()
    group = SchoolGroup.objects.get(name="青溪县实验小学教育联盟")
    assert Meeting.objects.filter(group=group, status="approved").count() == 3
    assert set(Resolution.objects.values_list("outcome", flat=True)) == {"passed"}
    assert CharterVersion.objects.get(group=group).text == group.charter
    flagged = [row["school"].name for row in attendance_rates(group=group) if row["flagged"]]
    assert flagged == ["南山乡中心小学"]
