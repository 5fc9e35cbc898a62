"""Who a signed-in user is in the domain, derived from their staff record.

Roles are not stored: a principal is the staff member in post as principal of a school, a group
chair (理事长) is the principal of an active group's lead school (001: 龙头学校校长任理事长),
unless the group's chair rotates among its members (000), which the governance app decides
through `set_chair_rule`. A transfer or a new principal therefore changes what a user sees at
once, with no permission rows to keep in sync. Bureau staff hold the `alliance.oversee_groups`
permission. Explicit per-object grants (for example an integration account that may read one
group) are django-guardian object permissions, see `granted_ids`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user

from alliance.models import GroupStatus
from members.models import CURRENT_STATUSES, Membership, Post, Staff

ROLE_LABELS = {
    "bureau": _("Education bureau"),
    "chair": _("Group chair"),
    "principal": _("Principal"),
    "none": _("No role"),
}


# (principal, groups whose lead school they head, groups their school belongs to) -> the groups
# they chair. Set at start-up by the app that keeps the council, so members does not import it.
ChairRule = Callable[[Staff, frozenset[int], frozenset[int]], frozenset[int]]
_chair_rule: ChairRule | None = None


def set_chair_rule(rule: ChairRule) -> None:
    global _chair_rule
    _chair_rule = rule


@dataclass(frozen=True)
class Viewer:
    is_bureau: bool = False
    staff: Staff | None = None
    is_principal: bool = False
    # Active groups the viewer's home school currently belongs to.
    group_ids: frozenset[int] = field(default_factory=frozenset)
    # Active groups whose lead school the viewer heads as principal.
    chaired_group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def school_id(self) -> int | None:
        return self.staff.school_id if self.staff else None

    @property
    def role(self) -> str:
        if self.is_bureau:
            return "bureau"
        if self.chaired_group_ids:
            return "chair"
        if self.is_principal:
            return "principal"
        return "staff" if self.staff else "none"

    @property
    def role_label(self) -> str:
        if self.role == "staff":  # a vice-principal or a middle manager, not only teachers
            return self.staff.get_post_display()
        return str(ROLE_LABELS[self.role])


def viewer_for(user) -> Viewer:
    """The user's roles, computed once per user object (so once per request)."""
    cached = getattr(user, "_viewer", None)
    if cached is not None:
        return cached
    viewer = _compute_viewer(user)
    if user.is_authenticated:
        user._viewer = viewer
    return viewer


def _compute_viewer(user) -> Viewer:
    if not (user.is_authenticated and user.is_active):
        return Viewer()
    if user.has_perm("alliance.oversee_groups"):
        return Viewer(is_bureau=True)
    staff = Staff.objects.filter(user=user, is_active=True).select_related("school").first()
    if staff is None:
        return Viewer()
    rows = Membership.objects.filter(
        school_id=staff.school_id,
        status__in=CURRENT_STATUSES,
        group__status=GroupStatus.ACTIVE,
    ).values_list("group_id", "group__lead_school_id")
    is_principal = staff.post == Post.PRINCIPAL
    group_ids = frozenset(group_id for group_id, _lead in rows)
    chaired = frozenset(
        group_id for group_id, lead_id in rows if is_principal and lead_id == staff.school_id
    )
    if is_principal and _chair_rule is not None:
        chaired = _chair_rule(staff, chaired, group_ids)
    return Viewer(
        staff=staff,
        is_principal=is_principal,
        group_ids=group_ids,
        chaired_group_ids=chaired,
    )


def granted_ids(user, perm: str, model) -> QuerySet:
    """Primary keys of objects the user was granted `perm` on, one by one (django-guardian)."""
    return get_objects_for_user(
        user, perm, klass=model, accept_global_perms=False, with_superuser=False
    ).values("pk")


def display_name(user) -> str:
    """A user as people here write a name: family name first, no space (唐思浩, where
    get_full_name() gives "思浩 唐"); the login name when none is set."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def name_with_login(user) -> str:
    """A user in the audit trail: the name, and the login that tells two of one name apart."""
    name, login = display_name(user), user.get_username()
    return login if name == login else f"{name}（{login}）"


def require_role(allowed: bool) -> None:
    """The one refusal of a role (403) that the services, pages and API share."""
    if not allowed:
        raise PermissionDenied(gettext("Your role does not allow this action."))
