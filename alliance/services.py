"""Group life cycle: founding (with the lead school as first member), changes, dissolution."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import GroupStatus, SchoolGroup
from members import services as member_services
from members.roles import viewer_for

# What the bureau may change on an existing group; the lead school is fixed at founding.
EDITABLE_FIELDS = ("name", "mode", "stage", "charter", "member_cap_override")


def _require_bureau(by) -> None:
    if not viewer_for(by).is_bureau:
        raise PermissionDenied(_("Only the education bureau can change groups."))


@transaction.atomic
def group_create(
    *,
    name: str,
    mode: str,
    lead_school,
    founded_on: datetime.date,
    by,
    stage=None,
    charter: str = "",
    member_cap_override: int | None = None,
) -> SchoolGroup:
    """Found a group; its lead school becomes its first, active member."""
    _require_bureau(by)
    group = SchoolGroup(
        name=name,
        mode=mode,
        lead_school=lead_school,
        founded_on=founded_on,
        stage=stage,
        charter=charter,
        member_cap_override=member_cap_override,
    )
    if founded_on > timezone.localdate():
        raise ValidationError({"founded_on": _("The date cannot be in the future.")})
    group.full_clean()
    group.save()
    member_services.membership_admit_lead(group=group, by=by)
    return group


@transaction.atomic
def group_update(*, group: SchoolGroup, by, **changes) -> SchoolGroup:
    _require_bureau(by)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    group = SchoolGroup.objects.select_for_update().get(pk=group.pk)
    for name, value in changes.items():
        setattr(group, name, value)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_dissolve(
    *, group: SchoolGroup, by, reason: str, dissolved_on: datetime.date | None = None
) -> SchoolGroup:
    """001: a group found failing its assessment may be dissolved (集团撤销); history stays."""
    _require_bureau(by)
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
    member_services.membership_close_all(
        group=group, by=by, closed_on=dissolved_on, reason=reason.strip()
    )
    group.status = GroupStatus.DISSOLVED
    group.dissolved_on = dissolved_on
    group.save()
    return group
