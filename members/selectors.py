import datetime
from collections import Counter

from django.db.models import Count, F, Q, QuerySet

from alliance.language import in_pinyin_order
from alliance.models import SchoolGroup
from members.models import CURRENT_STATUSES, Membership, MembershipStatus, School, Staff, Stage
from members.roles import granted_ids, viewer_for


def _overseen_group_ids(user) -> Q:
    """Groups whose memberships and schools the user sees in full: chaired or granted."""
    viewer = viewer_for(user)
    return Q(pk__in=viewer.chaired_group_ids) | Q(
        pk__in=granted_ids(user, "view_schoolgroup", SchoolGroup)
    )


def schools_visible_to(user) -> QuerySet[School]:
    """The one scope for schools: own school, every school of a chaired group, explicit grants."""
    schools = School.objects.all()
    viewer = viewer_for(user)
    if viewer.is_bureau:
        return schools
    if not user.is_authenticated:
        return schools.none()
    overseen = SchoolGroup.objects.filter(_overseen_group_ids(user))
    return schools.filter(
        Q(pk=viewer.school_id)
        | Q(pk__in=_members_and_applicants(overseen))
        | Q(pk__in=granted_ids(user, "view_school", School))
    )


def _members_and_applicants(groups) -> QuerySet:
    """A chair oversees the group's current members and open applicants, not former members."""
    statuses = [MembershipStatus.APPLIED, *CURRENT_STATUSES]
    memberships = Membership.objects.filter(group__in=groups, status__in=statuses)
    return memberships.values("school_id")


def memberships_visible_to(user) -> QuerySet[Membership]:
    """The one scope for memberships: a chair sees the group's, a principal their school's."""
    memberships = Membership.objects.select_related("group", "school")
    viewer = viewer_for(user)
    if viewer.is_bureau:
        return memberships
    if not user.is_authenticated:
        return memberships.none()
    own_school = Q(school_id=viewer.school_id) if viewer.is_principal else Q(pk__in=[])
    overseen = SchoolGroup.objects.filter(_overseen_group_ids(user))
    return memberships.filter(own_school | Q(group__in=overseen))


def staff_visible_to(user) -> QuerySet[Staff]:
    """The one scope for staff: oneself, a principal's school, a chair's current member schools."""
    staff = Staff.objects.select_related("school")
    viewer = viewer_for(user)
    if viewer.is_bureau:
        return staff
    if not user.is_authenticated:
        return staff.none()
    scope = Q(user=user) | Q(school_id__in=granted_ids(user, "view_school", School))
    if viewer.is_principal:
        scope |= Q(school_id=viewer.school_id)
    if viewer.chaired_group_ids:
        scope |= Q(
            school_id__in=Membership.objects.filter(
                group_id__in=viewer.chaired_group_ids, status__in=CURRENT_STATUSES
            ).values("school_id")
        )
    return staff.filter(scope)


def school_staff_partly_hidden(user, school: School) -> bool:
    """Whether the school has staff records the user may not see: its list then says so,
    rather than passing for the whole staff."""
    visible = staff_visible_to(user).filter(school=school).values("pk")
    return Staff.objects.filter(school=school).exclude(pk__in=visible).exists()


def staff_in_post_visible_to(user, *, school_ids: set[int]) -> QuerySet[Staff]:
    """Staff in post at those schools whom the user may see, by school: whom a council officer
    may name among the member schools' (a follow-up's owner, a seat's holder)."""
    return (
        staff_visible_to(user)
        .filter(school_id__in=school_ids, is_active=True)
        .order_by("school__code", in_pinyin_order("name"))
    )


def is_current_member(school: School) -> bool:
    """Whether the school is a member of a group now (a school belongs to one at a time)."""
    return Membership.objects.filter(school=school, status__in=CURRENT_STATUSES).exists()


def current_member_schools(groups: QuerySet[SchoolGroup]) -> QuerySet[School]:
    """The schools now members of these groups: whom a group's council may name (a meeting's
    host and invitees, a follow-up's owner) whatever else of theirs the user may see."""
    members = Membership.objects.filter(group__in=groups, status__in=CURRENT_STATUSES)
    return School.objects.filter(pk__in=members.values("school_id"))


def school_teaches(school: School, stage: Stage) -> bool:
    return school.stages.filter(pk=stage.pk).exists()


def member_school_ids_on(*, group: SchoolGroup, day) -> set[int]:
    """Schools that were members of the group on `day`: approved by then and not yet gone."""
    ended = Q(left_on__isnull=False, left_on__lte=day)
    memberships = Membership.objects.filter(group=group, approved_on__lte=day).exclude(ended)
    return set(memberships.values_list("school_id", flat=True))


def membership_left_on(*, group: SchoolGroup, school: School, day) -> datetime.date | None:
    """The day the school's membership of `day` ended (its first day out), if it has."""
    return (
        Membership.objects.filter(group=group, school=school, approved_on__lte=day, left_on__gt=day)
        .values_list("left_on", flat=True)
        .first()
    )


def membership_history(*, group: SchoolGroup, until: datetime.date) -> list[tuple]:
    """(day, member schools besides the lead) at the founding and at every change until `until`.

    Counted as the cap counts: approved and not yet gone, the lead school left out.
    """
    changes: Counter = Counter()
    spans = (
        Membership.objects.filter(group=group, approved_on__isnull=False, approved_on__lte=until)
        .exclude(school_id=group.lead_school_id)
        .values_list("approved_on", "left_on")
    )
    for joined, left in spans:
        changes[joined] += 1
        if left is not None and left <= until:
            changes[left] -= 1
    start = min([group.founded_on, *changes]) if changes else group.founded_on
    if start > until:
        return []
    series, count = [], 0
    for day in sorted(changes):
        count += changes[day]
        series.append((day, count))
    if not series or series[0][0] > start:
        series.insert(0, (start, 0))
    if series[-1][0] < until:
        series.append((until, count))
    return series


def applications_awaiting_approval(user) -> QuerySet[Membership]:
    """Open applications the user may approve, oldest first: only the bureau approves
    (members/services.py, `membership_approve`)."""
    if not viewer_for(user).is_bureau:
        return Membership.objects.none()
    applied = memberships_visible_to(user).filter(status=MembershipStatus.APPLIED)
    return applied.order_by("applied_on", "pk")


def groups_with_member_counts(groups: QuerySet[SchoolGroup]) -> QuerySet[SchoolGroup]:
    """The groups, by name, with their current member schools counted: all of them
    (current_member_count), and as the cap counts them, besides the lead school
    (member_count, `services.membership_count`), for saying how many places are free."""
    current = Q(memberships__status__in=CURRENT_STATUSES)
    counted = groups.select_related("stage").annotate(
        current_member_count=Count("memberships", filter=current, distinct=True),
        member_count=Count(
            "memberships",
            filter=current & ~Q(memberships__school=F("lead_school")),
            distinct=True,
        ),
    )
    # Meta.ordering is not applied to GROUP BY queries; pages need a stable order.
    return counted.order_by(in_pinyin_order("name"), "pk")


def open_application_of(school_id: int) -> Membership | None:
    """The school's open application, if it has one (one at a time, members.services)."""
    applied = Membership.objects.select_related("group").filter(
        school_id=school_id, status=MembershipStatus.APPLIED
    )
    return applied.first()
