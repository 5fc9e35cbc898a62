"""Bureau staff read the councils' records in the admin; changes go through the dashboard and
API, where the services apply the rules (a vote typed in here would bypass them)."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from alliance.audit_admin import ReadOnlyInline, register_audit_trail
from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CharterVersion,
    CouncilPolicy,
    CouncilSeat,
    Meeting,
    ProgressNote,
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
    # As on the meeting form: "meeting.example.cn/123" means https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def lookup_allowed(self, lookup, value, request=None):
        # The home page's to-do card links here for active groups' meetings only.
        return lookup == "group__status__exact" or super().lookup_allowed(lookup, value, request)


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
    search_fields = ["holder__name", "school__name", "group__name"]
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
    search_fields = ["group__name"]
    list_select_related = ["group"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["resolution", "school", "choice", "cast_at"]
    list_filter = ["choice", "resolution__meeting__group"]
    search_fields = ["resolution__title", "school__name"]
    list_select_related = ["resolution", "school"]


class ProgressNoteInline(ReadOnlyInline):
    model = ProgressNote
    fields = ["at", "note", "by"]
    readonly_fields = fields  # `at` is set on save: a form may not name it otherwise


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    """Every group's follow-ups in one list: the bureau's view across the county, which the
    group pages give one group at a time."""

    list_display = ["description", "group", "owner", "due_on", "done_on"]
    list_filter = [("done_on", admin.EmptyFieldListFilter), "resolution__meeting__group"]
    search_fields = ["description", "owner_school__name", "owner_person__name"]
    list_select_related = ["resolution__meeting__group", "owner_school", "owner_person"]
    date_hierarchy = "due_on"
    inlines = [ProgressNoteInline]

    def lookup_allowed(self, lookup, value, request=None):
        # The home page's to-do card links here for active groups' items only.
        allowed = lookup == "resolution__meeting__group__status__exact"
        return allowed or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("group"), ordering="resolution__meeting__group__name")
    def group(self, item: ActionItem):
        return item.resolution.meeting.group

    @admin.display(description=_("owner"))
    def owner(self, item: ActionItem):
        return item.owner_person or item.owner_school


@admin.register(CharterVersion)
class CharterVersionAdmin(ReadOnly, admin.ModelAdmin):
    """Never edited (a new version is a new row, adopted by a resolution): no audit trail."""

    list_display = ["group", "adopted_on", "resolution"]
    list_filter = ["group"]
    search_fields = ["group__name", "resolution__title"]
    list_select_related = ["group", "resolution"]


register_audit_trail(CouncilSeat, Meeting, Attendance, Resolution, Vote, CouncilPolicy, ActionItem)
