"""Shared set-up: a small county with two groups and a user for every role.

group_a (alliance): lead school A0 (its principal is the chair), members A1, A2.
group_b (alliance): lead school B0, member B1. Nobody in group A can see group B's schools.
"""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from alliance.models import SchoolGroup
from alliance.services import bureau_user_ensure
from members import services as member_services
from members.models import Post, School, Staff
from tests.alliance.factories import make_group
from tests.members.factories import SchoolFactory, StaffFactory, UserFactory, past

PASSWORD = "pass-for-tests-1"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle counters live in the cache (Redis in CI); each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploaded files from tests land in a temporary folder, never in the project.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def english(client):
    """A browser that picked English with the language switch: page texts as in the code."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _english():
    # Service messages are asserted in English; pages and the API pick their language per
    # request (Chinese by default), which tests of those check explicitly.
    with translation.override("en"):
        yield


@pytest.fixture
def bureau(db):
    return bureau_user_ensure(username="bureau", password=PASSWORD)


def staff_user(*, school: School, post: str = Post.TEACHER, username: str) -> Staff:
    return StaffFactory(school=school, post=post, user=UserFactory(username=username))


def join(*, school: School, group: SchoolGroup, by) -> None:
    membership = member_services.membership_apply(
        school=school, group=group, by=by, applied_on=past(300)
    )
    member_services.membership_approve(membership=membership, by=by, approved_on=past(290))


@dataclass
class County:
    bureau: object
    group_a: SchoolGroup
    group_b: SchoolGroup
    a0: School
    a1: School
    a2: School
    b0: School
    b1: School
    chair: object  # principal of A0, the lead school of group A
    principal_a1: object
    teacher_a1: object
    principal_b1: object
    outsider: object  # a login with no staff record


@pytest.fixture
def county(bureau) -> County:
    a0, a1, a2, b0, b1 = (SchoolFactory() for _ in range(5))
    group_a = make_group(by=bureau, lead=a0, name="青溪县实验小学教育集团")
    group_b = make_group(by=bureau, lead=b0, name="东河镇中心小学教育集团")
    for school, group in [(a1, group_a), (a2, group_a), (b1, group_b)]:
        join(school=school, group=group, by=bureau)
    return County(
        bureau=bureau,
        group_a=group_a,
        group_b=group_b,
        a0=a0,
        a1=a1,
        a2=a2,
        b0=b0,
        b1=b1,
        chair=staff_user(school=a0, post=Post.PRINCIPAL, username="chair").user,
        principal_a1=staff_user(school=a1, post=Post.PRINCIPAL, username="principal_a1").user,
        teacher_a1=staff_user(school=a1, username="teacher_a1").user,
        principal_b1=staff_user(school=b1, post=Post.PRINCIPAL, username="principal_b1").user,
        outsider=UserFactory(username="outsider"),
    )


@pytest.fixture
def api():
    return APIClient()


def fresh(user):
    """A new instance of the user, without the per-request role cache."""
    return type(user).objects.get(pk=user.pk)


def inline_error(page: str, field: str) -> str:
    """The error a form page shows beside `field` (the block its widget's aria-describedby
    names), or "" when there is none."""
    match = re.search(rf'<div id="id_{field}_error">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""
