"""Membership rules (DOMAIN.md, "The group"). Every interface — admin, pages, API — calls these.

Each transition is one transaction that locks the rows it decides on, changes the membership
and appends its MembershipEvent, so a failure leaves nothing half-written.
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.audit import no_history_line
from alliance.integrity import is_unchanged, save_validated
from alliance.language import recorded
from alliance.models import GroupStatus, SchoolGroup
from members.models import (
    CURRENT_STATUSES,
    ENDED_STATUSES,
    LEFT_STATUSES,
    Membership,
    MembershipAction,
    MembershipEvent,
    MembershipStatus,
    School,
    Staff,
    Stage,
)
from members.roles import require_role, viewer_for
from members.selectors import is_current_member, open_application_of, school_teaches


def _is_principal_of(by: User, school_id: int) -> bool:
    viewer = viewer_for(by)
    return viewer.is_principal and viewer.school_id == school_id


def _is_chair_of(by: User, group_id: int) -> bool:
    return group_id in viewer_for(by).chaired_group_ids


def membership_count(*, group: SchoolGroup) -> int:
    """Current member schools besides the lead school: what the cap limits."""
    current = group.memberships.filter(status__in=CURRENT_STATUSES)
    return current.exclude(school_id=group.lead_school_id).count()


def membership_may_apply(by: User, school: School) -> bool:
    """Whether `by` may apply for the school: its principal, or the bureau on its behalf."""
    return viewer_for(by).is_bureau or _is_principal_of(by, school.pk)


def membership_groups_open_to(*, school: School, by: User) -> QuerySet[SchoolGroup]:
    """The groups `by` may apply to for the school, as `membership_apply` decides: active ones,
    and not one the school left (000: 退出后不得再次加入) unless the bureau re-admits it."""
    groups = SchoolGroup.objects.filter(status=GroupStatus.ACTIVE).filter(_of_stages(school))
    if not viewer_for(by).is_bureau:
        groups = groups.exclude(pk__in=_memberships_left(school).values("group_id"))
    return groups


def _of_stages(school: School) -> Q:
    """Groups that take the school by its stages: 001 成员学校为…同学段学校, so a group of one
    stage takes schools that teach it; a group across stages (003 跨学段, no stage) takes any."""
    return Q(stage__isnull=True) | Q(stage__in=school.stages.all())


def membership_apply_closed_reason(*, school: School, by: User) -> str:
    """Why every application `by` could make for the school would be refused now, in
    membership_apply's words; "" when some group is open to it (the apply page's form)."""
    try:
        _refuse_second_group(school)
        _refuse_second_application(school, group=None)
    except ValidationError as refusal:
        return " ".join(refusal.messages)
    if membership_groups_open_to(school=school, by=by).exists():
        return ""
    active = SchoolGroup.objects.filter(status=GroupStatus.ACTIVE)
    if active.filter(_of_stages(school)).exists():
        reason = _(
            "it left every active group of its stages, and only the education bureau can "
            "let a school back into a group it left."
        )
    elif active.exists():
        reason = _("every active group is a group of another stage than the school's.")
    else:
        reason = _("no group is active at present.")
    return _("No group is open to this school: %(reason)s") % {"reason": reason}


def _memberships_left(school: School) -> QuerySet[Membership]:
    """The memberships the school ended by leaving (withdrawn or expelled), not a dissolution."""
    return Membership.objects.filter(school=school, status__in=LEFT_STATUSES)


def membership_allowed_actions(*, membership: Membership, by: User) -> list[str]:
    """The transitions `by` may start on this membership now, for showing buttons."""
    viewer = viewer_for(by)
    is_lead = membership.school_id == membership.group.lead_school_id
    chair = viewer.is_bureau or _is_chair_of(by, membership.group_id)
    school_head = viewer.is_bureau or _is_principal_of(by, membership.school_id)
    allowed = {
        "approve": viewer.is_bureau and membership.status == MembershipStatus.APPLIED,
        "reject": viewer.is_bureau and membership.status == MembershipStatus.APPLIED,
        "cancel": school_head and membership.status == MembershipStatus.APPLIED,
        "warn": chair and not is_lead and membership.status == MembershipStatus.ACTIVE,
        "withdraw": school_head and not is_lead and membership.is_current,
        "expel": viewer.is_bureau and not is_lead and membership.is_current,
    }
    return [name for name, ok in allowed.items() if ok]


def membership_expulsion_goes_to_council(*, membership: Membership, by: User) -> bool:
    """Whether to show `by` where this school's expulsion is decided: the chair does not expel,
    the council votes on an expulsion motion (000 第十三条)."""
    return (
        not viewer_for(by).is_bureau
        and _is_chair_of(by, membership.group_id)
        and membership.school_id != membership.group.lead_school_id
        and membership.is_current
    )


def _locked(membership: Membership) -> Membership:
    """The membership's row alone (`of`: not its group's or school's, read along): callers
    lock the group first, so every path takes the rows in one order, group then membership."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("group", "school")
        .get(pk=membership.pk)
    )


def _locked_with_group(membership: Membership) -> Membership:
    """The group's row first, as approvals and seat_assign lock it: no council seat is given to
    a school while it leaves (its seats end with its membership), and an action on an
    application never holds it while an approval of it holds the group (a deadlock)."""
    SchoolGroup.objects.select_for_update().get(pk=membership.group_id)
    return _locked(membership)


def _check_date(day: datetime.date, *, not_before: datetime.date | None, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before and day < not_before:
        raise ValidationError(
            {field: _("The date cannot be before %(day)s.") % {"day": not_before.isoformat()}}
        )


def _record(
    membership: Membership,
    *,
    action: str,
    from_status: str,
    by: User,
    on: datetime.date,
    note: str = "",
) -> None:
    MembershipEvent.objects.create(
        membership=membership,
        action=action,
        from_status=from_status,
        to_status=membership.status,
        effective_on=on,
        note=note,
        by=by,
    )


def _save(membership: Membership) -> None:
    # The service checked the rules; the database catches a race lost to another request.
    save_validated(membership, clean_first=False)


def membership_admit_lead(*, group: SchoolGroup, by: User) -> Membership:
    """The lead school is an active member of its own group from the day it is founded."""
    membership = Membership(
        group=group,
        school=group.lead_school,
        status=MembershipStatus.ACTIVE,
        applied_on=group.founded_on,
        approved_on=group.founded_on,
    )
    if is_current_member(group.lead_school):
        raise ValidationError({"lead_school": _("This school is already a member of a group.")})
    _refuse_before_last_left(group.lead_school, group.founded_on, field="founded_on")
    _save(membership)
    _record(
        membership,
        action=MembershipAction.FOUNDED,
        from_status="",
        by=by,
        on=group.founded_on,
    )
    return membership


@transaction.atomic
def membership_apply(
    *,
    school: School,
    group: SchoolGroup,
    by: User,
    applied_on: datetime.date | None = None,
    override_reason: str = "",
) -> Membership:
    """A school applies to join a group; the bureau approves (001)."""
    viewer = viewer_for(by)
    require_role(membership_may_apply(by, school))
    applied_on = applied_on or timezone.localdate()
    _check_date(applied_on, not_before=None, field="applied_on")
    group = SchoolGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_active:
        raise ValidationError({"group": _("A dissolved group takes no new members.")})
    _check_date(applied_on, not_before=group.founded_on, field="applied_on")
    # The school's row is locked too: two applications to two groups at once run in turn.
    school_lock(school)
    previous = Membership.objects.filter(school=school, group=group)
    if previous.filter(status__in=CURRENT_STATUSES).exists():
        raise ValidationError({"school": _("This school is already a member of this group.")})
    _refuse_second_group(school)
    _refuse_second_application(school, group)
    _refuse_other_stage(school, group, field="school")
    _refuse_before_last_left(school, applied_on, field="applied_on")
    override_reason = override_reason.strip()
    if _memberships_left(school).filter(group=group).exists():
        # 000: 退出后不得再次加入 — only the bureau may let a school back in, with a reason.
        if not override_reason:
            raise ValidationError(
                {
                    "school": _(
                        "A school that left this group may not apply again "
                        "unless the education bureau overrides with a reason."
                    )
                }
            )
        if not viewer.is_bureau:
            raise PermissionDenied(_("Only the education bureau can re-admit a school."))
    elif override_reason:
        override_reason = ""
    membership = Membership.objects.create(
        group=group,
        school=school,
        applied_on=applied_on,
        rejoin_override_reason=override_reason,
        rejoin_override_by=by if override_reason else None,
    )
    note = recorded(gettext_lazy("Re-admission overridden: %(reason)s"), reason=override_reason)
    _record(
        membership,
        action=MembershipAction.APPLIED,
        from_status="",
        by=by,
        on=applied_on,
        note=note if override_reason else "",
    )
    return membership


@transaction.atomic
def membership_approve(
    *, membership: Membership, by: User, approved_on: datetime.date | None = None
) -> Membership:
    """The bureau approves an application, within the group's member cap (001).

    The group row is locked first, so two approvals into the same group run one after the other
    and the second sees the first's member in its count.
    """
    require_role(viewer_for(by).is_bureau)
    group = SchoolGroup.objects.select_for_update().get(pk=membership.group_id)
    membership = _locked(membership)
    if membership.status != MembershipStatus.APPLIED:
        raise ValidationError(_("Only an open application can be approved."))
    if not group.is_active:
        raise ValidationError(_("A dissolved group takes no new members."))
    approved_on = approved_on or timezone.localdate()
    _check_date(approved_on, not_before=membership.applied_on, field="approved_on")
    members = membership_count(group=group)
    if members >= group.member_cap:
        raise ValidationError(
            _(
                "The group already has %(count)d member schools besides the lead school; the "
                "cap for this %(mode)s group is %(cap)d."
            )
            % {
                "count": members,
                "mode": group.get_mode_display(),
                "cap": group.member_cap,
            },
            code="member_cap",
        )
    _refuse_second_group(membership.school)
    # Again here: the school's stages, or the group's, may have changed since it applied.
    school_lock(membership.school)
    _refuse_other_stage(membership.school, group, field=None)
    _refuse_before_last_left(membership.school, approved_on, field="approved_on")
    previous = membership.status
    membership.status = MembershipStatus.ACTIVE
    membership.approved_on = approved_on
    _save(membership)
    _record(
        membership,
        action=MembershipAction.APPROVED,
        from_status=previous,
        by=by,
        on=approved_on,
    )
    from governance.services import invitations_follow_membership  # as in _transition

    invitations_follow_membership(membership=membership)
    return membership


@transaction.atomic
def membership_reject(*, membership: Membership, by: User, reason: str) -> Membership:
    require_role(viewer_for(by).is_bureau)
    membership = _locked_with_group(membership)
    if membership.status != MembershipStatus.APPLIED:
        raise ValidationError(_("Only an open application can be rejected."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    return _transition(
        membership,
        to=MembershipStatus.REJECTED,
        action=MembershipAction.REJECTED,
        by=by,
        note=reason,
    )


@transaction.atomic
def membership_cancel(*, membership: Membership, by: User, reason: str = "") -> Membership:
    """The school takes back its open application (撤回申请); it may apply again later."""
    require_role(viewer_for(by).is_bureau or _is_principal_of(by, membership.school_id))
    membership = _locked_with_group(membership)
    if membership.status != MembershipStatus.APPLIED:
        raise ValidationError(_("Only an open application can be withdrawn."))
    return _transition(
        membership,
        to=MembershipStatus.CANCELLED,
        action=MembershipAction.CANCELLED,
        by=by,
        note=reason,
    )


@transaction.atomic
def membership_warn(
    *, membership: Membership, by: User, reason: str, warned_on: datetime.date | None = None
) -> Membership:
    """001: the lead school warns members (警告); the bureau may too."""
    require_role(viewer_for(by).is_bureau or _is_chair_of(by, membership.group_id))
    membership = _locked_with_group(membership)
    _refuse_lead(membership)
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("Only an active member can be warned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the warning.")})
    warned_on = warned_on or timezone.localdate()
    _check_date(warned_on, not_before=membership.approved_on, field="warned_on")
    membership.warned_on = warned_on
    membership.warning_reason = reason.strip()
    return _transition(
        membership,
        to=MembershipStatus.WARNED,
        action=MembershipAction.WARNED,
        by=by,
        on=warned_on,
        note=reason,
    )


@transaction.atomic
def membership_withdraw(
    *,
    membership: Membership,
    by: User,
    notice_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
    reason: str = "",
) -> Membership:
    """000: a member may leave after written notice to the council (提前书面通知)."""
    require_role(viewer_for(by).is_bureau or _is_principal_of(by, membership.school_id))
    membership = _locked_with_group(membership)
    _refuse_lead(membership)
    if not membership.is_current:
        raise ValidationError(_("Only a current member can withdraw."))
    if notice_on is None:
        raise ValidationError({"notice_on": _("Give the date of the written notice.")})
    left_on = left_on or timezone.localdate()
    _check_date(notice_on, not_before=membership.approved_on, field="notice_on")
    _check_date(left_on, not_before=notice_on, field="left_on")
    membership.notice_on = notice_on
    membership.left_on = left_on
    membership.leave_reason = reason.strip()
    return _transition(
        membership,
        to=MembershipStatus.WITHDRAWN,
        action=MembershipAction.WITHDRAWN,
        by=by,
        on=left_on,
        note=reason,
    )


@transaction.atomic
def membership_expel(
    *, membership: Membership, by: User, reason: str, expelled_on: datetime.date | None = None
) -> Membership:
    """The bureau records an expulsion (取消成员资格). The chair does not: in the group it is
    the council's decision (000 第十三条), taken by a passed expulsion motion."""
    if not viewer_for(by).is_bureau:
        raise PermissionDenied(
            _(
                "Expelling a member is the council's decision: "
                "put an expulsion motion to a council meeting."
            )
        )
    membership = _locked_with_group(membership)
    expelled_on = expelled_on or timezone.localdate()
    _check_date(expelled_on, not_before=membership.approved_on, field="expelled_on")
    return _expel(membership, by=by, reason=reason, on=expelled_on, note=reason)


@transaction.atomic
def membership_expel_by_council(
    *, group: SchoolGroup, school: School, by: User, grounds: str, title: str, met_on: datetime.date
) -> Membership | None:
    """Carry out a passed expulsion motion of the meeting held on `met_on`. The school was a
    member at that meeting, and stays one on its record: it is out from the next day."""
    membership = group.memberships.filter(school=school, status__in=CURRENT_STATUSES).first()
    if membership is None:  # it withdrew before the votes were counted
        return None
    membership = _locked_with_group(membership)
    note = recorded(
        gettext_lazy("Council resolution “%(title)s”: %(grounds)s"), title=title, grounds=grounds
    )
    return _expel(
        membership, by=by, reason=grounds, on=met_on + datetime.timedelta(days=1), note=note
    )


def _expel(
    membership: Membership, *, by: User, reason: str, on: datetime.date, note: str
) -> Membership:
    _refuse_lead(membership)
    if not membership.is_current:
        raise ValidationError(_("Only a current member can be expelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the expulsion.")})
    membership.left_on = on
    membership.leave_reason = reason.strip()
    return _transition(
        membership,
        to=MembershipStatus.EXPELLED,
        action=MembershipAction.EXPELLED,
        by=by,
        on=on,
        note=note,
    )


def _refuse_second_group(school: School) -> None:
    """A school belongs to one group at a time: it applies elsewhere after it has left."""
    current = Membership.objects.filter(school=school, status__in=CURRENT_STATUSES)
    group = current.values_list("group__name", flat=True).first()
    if group is not None:
        raise ValidationError(
            {
                "group": _(
                    "This school is a member of %(group)s; a school belongs to one group at a time."
                )
                % {"group": group}
            }
        )


def _refuse_other_stage(school: School, group: SchoolGroup, *, field: str | None) -> None:
    """001: 成员学校为若干所相对薄弱的同学段学校. `field` None: the refusal is the form's own."""
    if group.stage is None or school_teaches(school, group.stage):
        return
    message = _(
        "%(group)s is a group of %(stage)s schools, and %(school)s does not teach %(stage)s."
    ) % {"group": group.name, "stage": group.stage, "school": school.name}
    raise ValidationError({field: message} if field else message, code="stage")


def school_lock(school: School) -> None:
    """Lock the school's row while its stages are read and judged. NO KEY: staff, votes and
    invitations that refer to the school may still be written meanwhile."""
    School.objects.select_for_update(no_key=True).get(pk=school.pk)


def members_outside_stage(*, group: SchoolGroup, stage: Stage) -> list[str]:
    """The names of the group's schools (its lead too) that do not teach `stage`, for a change
    of the group's stage. Called with the group locked; the schools are locked too, so that none
    drops the stage before the change is committed (school_save waits)."""
    current = Membership.objects.filter(group=group, status__in=CURRENT_STATUSES)
    members = School.objects.filter(pk__in=current.values("school_id"))
    names = dict(members.select_for_update(no_key=True).order_by("code").values_list("pk", "name"))
    teaching = set(members.filter(stages=stage).values_list("pk", flat=True))
    return [name for pk, name in names.items() if pk not in teaching]


def _refuse_before_last_left(school: School, day: datetime.date, *, field: str) -> None:
    """A school joins its next group from the day it left the last, not before: left_on is its
    first day out (member_school_ids_on), and an earlier date put it in two groups at once."""
    last = (
        Membership.objects.filter(school=school, left_on__isnull=False)
        .select_related("group")
        .order_by("-left_on")
        .first()
    )
    if last is not None and day < last.left_on:
        message = _("The school left %(group)s on %(day)s: the date cannot be before that day.")
        raise ValidationError(
            {field: message % {"group": last.group.name, "day": last.left_on.isoformat()}}
        )


def _refuse_second_application(school: School, group: SchoolGroup | None) -> None:
    """One open application at a time: approving one would leave the other open for ever.
    `group` None: an application to any group."""
    open_to = open_application_of(school.pk)
    if open_to is None:
        return
    if group is not None and open_to.group_id == group.pk:
        message = _("This school already has an open application to this group.")
    else:
        message = _(
            "This school has an open application to %(group)s; withdraw it before applying "
            "to another group."
        ) % {"group": open_to.group.name}
    raise ValidationError({"school": message})


def _refuse_lead(membership: Membership) -> None:
    if membership.school_id == membership.group.lead_school_id:
        raise ValidationError(_("The lead school cannot leave or be warned by its own group."))


def _transition(
    membership: Membership,
    *,
    to: str,
    action: str,
    by: User,
    on: datetime.date | None = None,
    note: str = "",
) -> Membership:
    previous = membership.status
    membership.status = to
    _save(membership)
    _record(
        membership,
        action=action,
        from_status=previous,
        by=by,
        on=on or timezone.localdate(),
        note=note.strip(),
    )
    if to in ENDED_STATUSES:
        # A school that leaves the group leaves its council and the meetings after it left, in
        # this same transaction. Imported here: governance builds on members, not the other
        # way round.
        from governance.services import invitations_follow_membership, seats_end_with_membership

        seats_end_with_membership(membership=membership)
        invitations_follow_membership(membership=membership)
    return membership


def membership_close_all(
    *, group: SchoolGroup, by: User, closed_on: datetime.date, reason: str
) -> None:
    """End every membership of a group that is being dissolved (集团撤销).

    Current members are recorded as closed by the dissolution, not as having withdrawn: no
    school gave notice. Open applications are rejected.
    """
    memberships = list(
        group.memberships.select_for_update(of=("self",))
        .select_related("group")
        .filter(status__in=[MembershipStatus.APPLIED, *CURRENT_STATUSES])
    )
    latest = max((m.approved_on or m.applied_on for m in memberships), default=None)
    if latest and closed_on < latest:
        raise ValidationError(
            {"dissolved_on": _("The date cannot be before %(day)s.") % {"day": latest}}
        )
    for membership in memberships:
        if membership.status == MembershipStatus.APPLIED:
            to, action = MembershipStatus.REJECTED, MembershipAction.REJECTED
        else:
            to, action = MembershipStatus.CLOSED, MembershipAction.CLOSED
            membership.left_on = closed_on
            membership.leave_reason = reason
        _transition(membership, to=to, action=action, by=by, on=closed_on, note=reason)


def _validated_save(instance: School | Staff, by: User, *, changed_elsewhere: bool = False) -> None:
    require_role(viewer_for(by).is_bureau)
    # Written back unchanged (an integrator's PATCH of what it read): no new updated_at for its
    # next sync, no empty line in the audit trail.
    if changed_elsewhere or not is_unchanged(instance):
        save_validated(instance)


@transaction.atomic
def school_save(*, school: School, by: User, stages: list[Stage] | None = None) -> School:
    """Create or change a school (bureau only); `stages` replaces its stages when given.

    A change is one line in the school's audit trail, its stages included; a new school's
    stages follow in a line of their own (they are set once it has an id).
    """
    require_role(viewer_for(by).is_bureau)
    if stages is not None and not stages:
        raise ValidationError({"stages": _("A school has at least one stage.")})
    if school.pk is None:
        _validated_save(school, by)
        if stages is not None:
            school.stages.set(stages)
        return school
    new_stages = stages is not None and set(stages) != set(school.stages.all())
    if new_stages:
        _refuse_dropping_group_stage(school, stages)
        # Without lines of their own (one for the stages removed, another for those added):
        # the save's line holds them.
        with no_history_line(school):
            school.stages.set(stages)
    _validated_save(school, by, changed_elsewhere=new_stages)
    return school


def _refuse_dropping_group_stage(school: School, stages: list[Stage]) -> None:
    """A member keeps its group's stage, or the group would hold a school its approval would
    have refused (001 同学段).

    Only the school's row is locked: an approval or a group's change of stage locks the group
    and then its schools, so either one waits for this or this reads what it committed.
    """
    school_lock(school)
    current = Membership.objects.filter(school=school, status__in=CURRENT_STATUSES)
    group = SchoolGroup.objects.filter(pk__in=current.values("group_id")).first()
    if group is None or group.stage is None or group.stage in stages:
        return
    if not school_teaches(school, group.stage):
        return  # it never taught it (a member from before the rule): no worse for this change
    message = _(
        "This school is a member of %(group)s, a group of %(stage)s schools: keep %(stage)s "
        "among its stages, or let it leave the group first."
    )
    raise ValidationError({"stages": message % {"group": group.name, "stage": group.stage}})


@transaction.atomic
def staff_save(*, staff: Staff, by: User) -> Staff:
    """Create or change a staff record (bureau only)."""
    # governance builds on members, so its services are imported here.
    from governance.services import council_follows_staff, council_groups_lock

    # The groups whose council they sit on or whose meetings invite them first, then their
    # row, as seat_assign, meeting_schedule and a school's leaving take them: a seat or an
    # invitation given or ended meanwhile is seen, not lost.
    council_groups = council_groups_lock(staff=staff) if staff.pk is not None else set()
    locked = Staff.objects.select_for_update(no_key=True).filter(pk=staff.pk)
    before = locked.values("is_active", "school_id").first()
    leaves_post = before is not None and before["is_active"] and not staff.is_active
    moves = before is not None and before["school_id"] != staff.school_id
    _validated_save(staff, by)
    # Their seats and invitations follow, in this transaction.
    if leaves_post or moves:
        council_follows_staff(staff=staff, leaves_post=leaves_post, locked_groups=council_groups)
    return staff
