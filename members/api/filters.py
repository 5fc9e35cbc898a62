"""API filters whose choices are scoped: filtering by a school the user cannot see is the same
400 as filtering by one that does not exist, so a filter cannot probe for hidden records."""

import django_filters
from django.db.models import Q, QuerySet

from alliance.api.filters import SyncFilterSet, visible
from alliance.models import SchoolGroup
from alliance.selectors import groups_visible_to
from members.models import Membership, School, Staff
from members.selectors import memberships_visible_to, schools_visible_to

_schools = visible(schools_visible_to, School)
_groups = visible(groups_visible_to, SchoolGroup)


def _schools_in_memberships(user) -> QuerySet[School]:
    """The schools the user sees, and those of the memberships the list shows: for a chair,
    one that has left the group too (schools_visible_to leaves it out)."""
    listed = Q(pk__in=memberships_visible_to(user).values("school_id"))
    return School.objects.filter(Q(pk__in=schools_visible_to(user).values("pk")) | listed)


class MembershipFilter(SyncFilterSet):
    school = django_filters.ModelChoiceFilter(queryset=visible(_schools_in_memberships, School))
    group = django_filters.ModelChoiceFilter(queryset=_groups)

    class Meta:
        model = Membership
        fields = {"status": ["exact"], "updated_at": ["gte"]}  # updated_at: incremental sync


class StaffFilter(SyncFilterSet):
    school = django_filters.ModelChoiceFilter(queryset=_schools)

    class Meta:
        model = Staff
        fields = {
            "post": ["exact"],
            "title": ["exact"],
            "subject": ["exact"],
            "is_backbone": ["exact"],
            "is_famous": ["exact"],
            "is_active": ["exact"],
            "updated_at": ["gte"],  # what changed since an integrator's last sync
        }
