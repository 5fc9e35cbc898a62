"""Group life cycle: founding (with the lead school as first member), changes, dissolution."""

import datetime

from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from alliance import accounts, selectors
from alliance.integrity import save_validated
from alliance.models import GroupStatus, SchoolGroup
from members import selectors as member_selectors
from members import services as member_services
from members.roles import viewer_for

# What the bureau may change on an existing group; the lead school is fixed at founding.
EDITABLE_FIELDS = ("name", "mode", "stage", "charter", "member_cap_override")


def require_bureau(by: User) -> None:
    """Only the bureau founds, changes and dissolves groups (an API action asks it before it
    reads the body: a chair is refused for the role, not for a reason left out)."""
    if not viewer_for(by).is_bureau:
        raise PermissionDenied(_("Only the education bureau can change groups."))


@transaction.atomic
def group_create(
    *,
    name: str,
    mode: str,
    lead_school,
    founded_on: datetime.date,
    by: User,
    stage=None,
    charter: str = "",
    member_cap_override: int | None = None,
) -> SchoolGroup:
    """Found a group; its lead school becomes its first, active member."""
    require_bureau(by)
    group = SchoolGroup(
        name=name,
        mode=mode,
        lead_school=lead_school,
        founded_on=founded_on,
        stage=stage,
        charter=charter,
        member_cap_override=member_cap_override,
    )
    # Every broken rule at once, each by its field: the bureau fixed them one submit at a time.
    errors: dict = {}
    if founded_on > timezone.localdate():
        errors["founded_on"] = [_("The date cannot be in the future.")]
    try:
        group.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if lead_school is not None:
        # Locked before it is judged, as an application locks it: an application elsewhere or
        # a change of its stages waits for this group, or this reads what it committed.
        member_services.school_lock(lead_school)
    if lead_school and stage and not member_selectors.school_teaches(lead_school, stage):
        errors.setdefault("stage", []).append(_stage_refusal([lead_school.name], stage))
    if lead_school is not None and member_selectors.is_current_member(lead_school):
        errors.setdefault("lead_school", []).append(
            _("This school is already a member of a group.")
        )
    elif lead_school is not None and (
        application := member_selectors.open_application_of(lead_school.pk)
    ):
        # Left open, it could never be approved (a school belongs to one group) and would
        # keep the school's principal from applying anywhere.
        errors.setdefault("lead_school", []).append(
            _(
                "This school has applied to join %(group)s: refuse or withdraw that "
                "application first."
            )
            % {"group": application.group.name}
        )
    if errors:
        raise ValidationError(errors)
    save_validated(group, clean_first=False)
    member_services.membership_admit_lead(group=group, by=by)
    return group


@transaction.atomic
def group_update(*, group: SchoolGroup, by: User, **changes) -> SchoolGroup:
    require_bureau(by)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    group = SchoolGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_active:
        raise ValidationError(_("A dissolved group cannot be changed."))
    changes = {name: value for name, value in changes.items() if getattr(group, name) != value}
    if not changes:
        return group  # nothing to save: no new updated_at for a sync, no line in the audit trail
    if "charter" in changes and selectors.charter_adopted_by_council(group):
        # 000: the charter is amended by council vote; group_charter_adopt records each version.
        raise ValidationError(
            {
                "charter": _(
                    "The council has adopted a charter: it is amended by a charter motion at "
                    "a council meeting."
                )
            }
        )
    if (stage := changes.get("stage")) is not None:
        outside = member_services.members_outside_stage(group=group, stage=stage)
        if outside:
            raise ValidationError({"stage": _stage_refusal(outside, stage)})
    for name, value in changes.items():
        setattr(group, name, value)
    members = member_services.membership_count(group=group)
    if group.member_cap < members:
        # Beside what lowered it: an override sent, else a new mode's cap, else neither (the
        # setting's cap fell since): the request as a whole.
        field = next(
            (name for name in ("member_cap_override", "mode") if name in changes),
            NON_FIELD_ERRORS,
        )
        raise ValidationError(
            {
                field: _(
                    "The group has %(count)d member schools besides the lead school; its cap "
                    "cannot be lower."
                )
                % {"count": members}
            }
        )
    save_validated(group)
    return group


def _stage_refusal(school_names: list[str], stage) -> str:
    # 001: 成员学校为…同学段学校; a group across stages (003 跨学段) leaves the stage empty.
    return _(
        "A group of %(stage)s schools takes only schools that teach %(stage)s; these do not: "
        "%(schools)s. Leave the stage empty for a group across stages."
    ) % {"stage": stage, "schools": pgettext("between schools", ", ").join(school_names)}


@transaction.atomic
def group_charter_adopt(*, group: SchoolGroup, text: str) -> SchoolGroup:
    """The council adopted a charter (000: amendment by council vote). Called by governance
    once the resolution passed; the vote, not a role, is the authority here."""
    group = SchoolGroup.objects.select_for_update().get(pk=group.pk)
    group.charter = text
    save_validated(group)
    return group


@transaction.atomic
def group_dissolve(
    *, group: SchoolGroup, by: User, reason: str, dissolved_on: datetime.date | None = None
) -> SchoolGroup:
    """001: a group found failing its assessment may be dissolved (集团撤销); history stays."""
    require_bureau(by)
    group = SchoolGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_active:
        raise ValidationError(_("This group is already dissolved."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for dissolving the group.")})
    dissolved_on = dissolved_on or timezone.localdate()
    if dissolved_on < group.founded_on or dissolved_on > timezone.localdate():
        raise ValidationError(
            {"dissolved_on": _("The date must lie between the founding date and today.")}
        )
    # Imported here: governance builds on alliance, not the other way round.
    from governance.services import meetings_cancel_with_group

    # The meetings first: called off, they keep whom they invited when the schools then leave.
    meetings_cancel_with_group(group=group, dissolved_on=dissolved_on, reason=reason.strip())
    member_services.membership_close_all(
        group=group, by=by, closed_on=dissolved_on, reason=reason.strip()
    )
    group.status = GroupStatus.DISSOLVED
    group.dissolved_on = dissolved_on
    group.save()
    return group


BUREAU_GROUP_NAME = "bureau"
# Bureau staff manage everything in the admin but never delete: history is kept.
BUREAU_PERMISSIONS = [
    ("alliance", "oversee_groups"),
    *[
        (app, f"{verb}_{model}")
        for app, model in [
            ("alliance", "schoolgroup"),
            ("members", "school"),
            ("members", "staff"),
            ("members", "membership"),
        ]
        for verb in ("view", "add", "change")
    ],
    *[
        ("governance", f"view_{model}")
        for model in [
            "councilseat",
            "meeting",
            "agendaitem",
            "attendance",
            "resolution",
            "vote",
            "charterversion",
            "councilpolicy",
            "actionitem",
            "progressnote",
        ]
    ],
    ("governance", "add_councilpolicy"),
    ("governance", "change_councilpolicy"),
    ("members", "view_stage"),
    ("members", "view_membershipevent"),
    ("knox", "view_authtoken"),
    ("knox", "delete_authtoken"),
    # Schools' and integrations' sign-in accounts (alliance/accounts_admin.py).
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
]


@transaction.atomic
def bureau_role_ensure() -> Group:
    """The auth group that makes a user bureau staff (教育局), with its permissions."""
    group, _created = Group.objects.get_or_create(name=BUREAU_GROUP_NAME)
    wanted = Q()
    for app_label, codename in BUREAU_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted))
    if len(permissions) != len(BUREAU_PERMISSIONS):
        raise ImproperlyConfigured("Run `manage.py migrate` first: bureau permissions are missing.")
    group.permissions.set(permissions)
    return group


@transaction.atomic
def bureau_user_ensure(*, username: str, password: str | None, **names) -> User:
    """Create or update a bureau account: admin access and the bureau role."""
    user, _created = User.objects.get_or_create(username=username, defaults=names)
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    user.is_staff = True
    user.save()
    if password is not None:
        accounts.tokens_revoke(user)
    user.groups.add(bureau_role_ensure())
    return user
