from django.db.models import Count, Q, QuerySet, Window

from alliance.models import SchoolGroup
from members.models import CURRENT_STATUSES, Post, Staff
from members.roles import granted_ids, viewer_for
from members.selectors import groups_with_member_counts


def groups_visible_to(user) -> QuerySet[SchoolGroup]:
    """The one scope for groups: every page, endpoint and export starts here."""
    groups = SchoolGroup.objects.select_related("lead_school", "stage")
    viewer = viewer_for(user)
    if viewer.is_bureau:
        return groups
    if not user.is_authenticated:
        return groups.none()
    return groups.filter(
        Q(pk__in=viewer.group_ids) | Q(pk__in=granted_ids(user, "view_schoolgroup", SchoolGroup))
    )


def charter_adopted_by_council(group: SchoolGroup) -> bool:
    """Whether the council has adopted a charter version (governance's CharterVersion, read
    through its reverse relation: governance's services import alliance's)."""
    return group.charter_versions.exists()


def group_list(*, user, filters: dict | None = None) -> QuerySet[SchoolGroup]:
    """Visible groups with the counts a list shows, in one query, narrowed by text (group or
    lead school name), mode and status."""
    filters = filters or {}
    groups = groups_visible_to(user)
    if text := filters.get("q"):
        groups = groups.filter(Q(name__icontains=text) | Q(lead_school__name__icontains=text))
    if mode := filters.get("mode"):
        groups = groups.filter(mode=mode)
    if status := filters.get("status"):
        groups = groups.filter(status=status)
    return groups_with_member_counts(groups)


def group_member_summary(*, group: SchoolGroup) -> list[dict]:
    """The aggregate view every viewer of a group gets: current schools and their staff counts."""
    memberships = group.memberships.filter(status__in=CURRENT_STATUSES).select_related("school")
    school_ids = [m.school_id for m in memberships]
    counts = {
        row["school_id"]: row
        for row in Staff.objects.filter(school_id__in=school_ids, is_active=True)
        .values("school_id")
        .annotate(
            total=Count("id"),
            backbone=Count("id", filter=Q(is_backbone=True)),
            famous=Count("id", filter=Q(is_famous=True)),
            leaders=Count("id", filter=Q(post__in=[Post.PRINCIPAL, Post.VICE_PRINCIPAL])),
        )
    }
    empty = {"total": 0, "backbone": 0, "famous": 0, "leaders": 0}
    return [
        {
            "membership": m,
            "school": m.school,
            "is_lead": m.school_id == group.lead_school_id,
            **{k: counts.get(m.school_id, empty)[k] for k in empty},
        }
        for m in memberships
    ]


def first_rows(rows: QuerySet, number: int) -> tuple[list, int]:
    """The first `number` rows and how many there are in all, in one query: the count rides
    along on each row."""
    shown = list(rows.annotate(rows_in_all=Window(Count("pk")))[:number])
    return shown, shown[0].rows_in_all if shown else 0
