"""Bureau staff read the councils' records in the admin; changes go through the dashboard and
API, where the services apply the rules (a vote typed in here would bypass them)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from alliance.audit_admin import ReadOnlyInline, register_audit_trail
from governance.models import (
    AgendaItem,
    Attendance,
    CharterVersion,
    CouncilPolicy,
    CouncilSeat,
    Meeting,
    Resolution,
    Vote,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, SimpleHistoryAdmin):
    """A record with an audit trail, shown with its history."""


class AgendaInline(ReadOnlyInline):
    model = AgendaItem


class AttendanceInline(ReadOnlyInline):
    model = Attendance


class ResolutionInline(ReadOnlyInline):
    model = Resolution
    fields = ["title", "kind", "outcome", "yes", "no", "abstain", "decided_at"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "kind", "starts_at", "status"]
    list_filter = ["kind", "status", "group"]
    search_fields = ["title", "group__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["group"]
    inlines = [AgendaInline, AttendanceInline, ResolutionInline]


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["title", "meeting", "kind", "outcome", "yes", "no", "abstain"]
    list_filter = ["kind", "outcome"]
    search_fields = ["title", "meeting__title"]
    list_select_related = ["meeting"]


@admin.register(CouncilSeat)
class CouncilSeatAdmin(ReadOnlyAdmin):
    list_display = ["group", "role", "holder", "school", "starts_on", "ends_on"]
    list_filter = ["role", "group"]
    list_select_related = ["group", "holder", "school"]


@admin.register(CouncilPolicy)
class CouncilPolicyAdmin(SimpleHistoryAdmin):
    """The one governance record the bureau edits directly: a group's own council rules."""

    list_display = [
        "group",
        "rotating_chair",
        "quorum_ratio",
        "majority_ratio",
        "charter_majority_ratio",
    ]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Vote, ReadOnlyAdmin)


@admin.register(CharterVersion)
class CharterVersionAdmin(ReadOnly, admin.ModelAdmin):
    """Never edited (a new version is a new row, adopted by a resolution): no audit trail."""


register_audit_trail(CouncilSeat, Meeting, Attendance, Resolution, Vote, CouncilPolicy)
