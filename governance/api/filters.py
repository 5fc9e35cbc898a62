"""API filters for the council's records, their choices scoped (alliance.api.filters.visible): a
group, meeting or resolution the user cannot see is the same 400 as one that does not exist, so
a filter cannot probe for hidden records. `updated_at__gte` is what changed since an
integrator's last sync."""

import django_filters

from alliance.api.filters import SyncFilterSet, visible
from alliance.models import SchoolGroup
from alliance.selectors import groups_visible_to
from governance import selectors
from governance.models import ActionItem, CouncilSeat, Meeting, Resolution

_groups = visible(groups_visible_to, SchoolGroup)
_meetings = visible(selectors.meetings_visible_to, Meeting)
_resolutions = visible(selectors.resolutions_visible_to, Resolution)


class SeatFilter(SyncFilterSet):
    group = django_filters.ModelChoiceFilter(queryset=_groups)

    class Meta:
        model = CouncilSeat
        fields = {"role": ["exact"], "updated_at": ["gte"]}


class MeetingFilter(SyncFilterSet):
    group = django_filters.ModelChoiceFilter(queryset=_groups)

    class Meta:
        model = Meeting
        fields = {"kind": ["exact"], "status": ["exact"], "updated_at": ["gte"]}


class ResolutionFilter(SyncFilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=_meetings)

    class Meta:
        model = Resolution
        fields = {"kind": ["exact"], "outcome": ["exact"], "updated_at": ["gte"]}


class ActionItemFilter(SyncFilterSet):
    resolution = django_filters.ModelChoiceFilter(queryset=_resolutions)

    class Meta:
        model = ActionItem
        fields = {
            "done_on": ["isnull"],
            "due_on": ["lte", "gte"],
            "updated_at": ["gte"],
        }
