"""The declared access rule of every route: who may read it, who may write through it.

`tests/test_access_rules.py` walks the URL patterns and fails on a route with no entry here,
so a new page or endpoint cannot ship without saying who may use it. Objects belong to group A
of the `county` fixture; `principal_b1` (group B) is the outsider who must get 404.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from members.models import Membership


def _no_args(county) -> list:
    return []


@dataclass(frozen=True)
class Rule:
    args: Callable = _no_args  # URL arguments, from the County fixture
    readers: frozenset = frozenset()  # roles that GET it with 200
    method: str = "get"  # "post"/"patch" for routes that only write
    writers: frozenset = frozenset()  # roles allowed to write (not exercised: side effects)
    read_only: frozenset = field(default_factory=frozenset)  # roles that see it, 403 on write
    is_list: bool = False
    body: dict = field(default_factory=dict)

    @property
    def names_an_object(self) -> bool:
        return self.args is not _no_args


EVERYONE = frozenset({"bureau", "chair", "principal_a1", "teacher_a1"})
BUREAU = frozenset({"bureau"})


def _membership(county):
    return [Membership.objects.get(school=county.a1, group=county.group_a).pk]


def _group(c):
    return [c.group_a.pk]


def _staff(c):
    return [c.teacher_a1.staff.pk]


MEMBERSHIP_ACTION = Rule(
    args=_membership, method="post", read_only=frozenset({"principal_a1"}), writers=BUREAU
)

RULES = {
    # Dashboard pages
    "dashboard:home": Rule(readers=EVERYONE | {"principal_b1"}),
    "dashboard:group-list": Rule(readers=EVERYONE | {"principal_b1"}, is_list=True),
    "dashboard:group-detail": Rule(args=_group, readers=EVERYONE),
    "dashboard:school-detail": Rule(args=lambda c: [c.a1.pk], readers=EVERYONE),
    "dashboard:membership-apply": Rule(
        args=lambda c: [c.a1.pk],
        readers=frozenset({"bureau", "principal_a1"}),
        read_only=frozenset({"chair", "teacher_a1"}),
    ),
    "dashboard:membership-act": Rule(
        args=lambda c: [*_membership(c), "warn"],
        readers=frozenset({"bureau", "chair"}),
        read_only=frozenset({"principal_a1"}),
    ),
    # API
    "api:group-list": Rule(readers=EVERYONE, is_list=True, read_only=frozenset({"chair"})),
    "api:group-detail": Rule(
        args=_group, readers=EVERYONE, read_only=frozenset({"chair", "principal_a1"})
    ),
    "api:group-dissolve": Rule(
        args=_group, method="post", read_only=frozenset({"chair"}), writers=BUREAU
    ),
    "api:school-list": Rule(readers=EVERYONE, is_list=True, read_only=frozenset({"chair"})),
    "api:school-detail": Rule(
        args=lambda c: [c.a1.pk], readers=EVERYONE, read_only=frozenset({"principal_a1"})
    ),
    "api:membership-list": Rule(readers=EVERYONE, is_list=True),
    "api:membership-detail": Rule(
        args=_membership, readers=frozenset({"bureau", "chair", "principal_a1"})
    ),
    "api:membership-approve": MEMBERSHIP_ACTION,
    "api:membership-reject": MEMBERSHIP_ACTION,
    "api:membership-warn": MEMBERSHIP_ACTION,
    "api:membership-withdraw": Rule(
        args=_membership, method="post", read_only=frozenset({"chair"}), writers=BUREAU
    ),
    "api:membership-expel": MEMBERSHIP_ACTION,
    "api:staff-list": Rule(readers=EVERYONE, is_list=True, read_only=frozenset({"chair"})),
    "api:staff-detail": Rule(args=_staff, readers=EVERYONE, read_only=frozenset({"teacher_a1"})),
    "api:api-root": Rule(readers=EVERYONE),
    "api:token-revoke": Rule(method="post", writers=EVERYONE),
    "api:token-revoke-all": Rule(method="post", writers=EVERYONE),
}

# Routes anyone may reach, signed in or not; each says why.
PUBLIC = {
    "login": "the sign-in page",
    "set_language": "switching the language",
    "api:token": "sign-in for machine clients (throttled, locked out after failures)",
    "api:schema": "the API description integrators read before they have an account",
    "api:docs": "the same, rendered",
    "api:redoc": "the same, rendered",
    "logout": "signing out needs no rights",
}
# Routes that need a signed-in user and show only that user's own data.
OWN_DATA = {"password_change": "changing one's own password"}
