"""Bureau staff read the councils' records in the admin; changes go through the dashboard and
API, where the services apply the rules (a vote typed in here would bypass them)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from alliance.audit_admin import (
    HistoryAdmin,
    ReadOnlyInline,
    named_user_column,
    register_audit_trail,
)
from governance.models import (
    CADENCE_PERIODS,
    ActionItem,
    AgendaItem,
    Attendance,
    CharterVersion,
    CouncilPolicy,
    CouncilSeat,
    Meeting,
    MeetingKind,
    ProgressNote,
    Resolution,
    Vote,
    describe_cadence_rule,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, HistoryAdmin):
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
    # Whom it invites, joined as the meeting page joins names (、 in Chinese): Django joins a
    # read-only many-to-many field with ASCII commas.
    readonly_fields = ["invited_school_names", "invited_people_names"]
    _NAMES = {"invited_schools": "invited_school_names", "invited_people": "invited_people_names"}

    def get_fields(self, request, obj=None):
        # Django lists the form's fields, then the read-only ones: each list once, in its place.
        fields = super().get_fields(request, obj)
        return [self._NAMES.get(name, name) for name in fields if name not in self.readonly_fields]

    @admin.display(description=Meeting._meta.get_field("invited_schools").verbose_name)
    def invited_school_names(self, meeting: Meeting) -> str:
        names = [school.name for school in meeting.invited_schools.all()]
        return pgettext("between schools", ", ").join(names) or self.get_empty_value_display()

    @admin.display(description=Meeting._meta.get_field("invited_people").verbose_name)
    def invited_people_names(self, meeting: Meeting) -> str:
        names = [person.name for person in meeting.invited_people.all()]
        return pgettext("between people", ", ").join(names) or self.get_empty_value_display()

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


class CadenceRuleWidget(forms.MultiWidget):
    def decompress(self, value):
        return value or [None, None]  # stored as [period, count]; None: the default


class CadenceRuleField(forms.MultiValueField):
    """How many meetings of one kind a group must hold per month or school year, or nothing
    for the deployment's default: the bureau picks and types, instead of writing JSON."""

    widget = CadenceRuleWidget(
        [
            forms.Select(choices=[("", _("Default")), *CADENCE_PERIODS.items()]),
            forms.NumberInput(
                attrs={"min": 1, "class": "vIntegerField", "placeholder": _("times")}
            ),
        ]
    )

    def __init__(self, kind: MeetingKind):
        fields = (
            forms.ChoiceField(choices=CADENCE_PERIODS.items(), required=False),
            forms.IntegerField(min_value=1, required=False),
        )
        super().__init__(fields, require_all_fields=False, required=False, label=kind.label)
        self.kind = kind

    def default_text(self) -> str:
        """The deployment's rule for this kind, read when the form is shown (settings may
        differ from when the module was imported)."""
        period, count = settings.GOVERNANCE_DEFAULTS["cadence"][self.kind.value]
        return _("Default: {rule}.").format(rule=describe_cadence_rule(period, count))

    def compress(self, data_list):
        period, count = data_list or ("", None)
        if not period and count is None:
            return None
        if not period or count is None:
            message = _("Choose a period and give a number, or neither for the default.")
            raise ValidationError(message)
        return [period, count]


class CouncilPolicyForm(forms.ModelForm):
    # One per meeting kind; tests/test_admin.py checks none is missing.
    cadence_council = CadenceRuleField(MeetingKind.COUNCIL)
    cadence_principals = CadenceRuleField(MeetingKind.PRINCIPALS)
    cadence_annual_plan = CadenceRuleField(MeetingKind.ANNUAL_PLAN)
    cadence_annual_summary = CadenceRuleField(MeetingKind.ANNUAL_SUMMARY)
    cadence_academic = CadenceRuleField(MeetingKind.ACADEMIC)

    class Meta:
        model = CouncilPolicy
        fields = [
            "group",
            "rotating_chair",
            "seat_term_years",
            "quorum_ratio",
            "majority_ratio",
            "charter_majority_ratio",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, rule in self.instance.cadence.items():
            self.initial[f"cadence_{kind}"] = rule
        for kind in MeetingKind:
            field = self.fields[f"cadence_{kind.value}"]
            field.help_text = field.default_text()

    def clean(self):
        data = super().clean()
        rules = {kind.value: data.get(f"cadence_{kind.value}") for kind in MeetingKind}
        self.instance.cadence = {kind: rule for kind, rule in rules.items() if rule}
        return data


@admin.register(CouncilPolicy)
class CouncilPolicyAdmin(HistoryAdmin):
    """The one governance record the bureau edits directly: a group's own council rules."""

    form = CouncilPolicyForm
    fieldsets = [
        (None, {"fields": ["group", "rotating_chair", "seat_term_years"]}),
        (
            _("Quorum and majorities"),
            {"fields": ["quorum_ratio", "majority_ratio", "charter_majority_ratio"]},
        ),
        (
            _("Required meetings"),
            {
                "fields": [f"cadence_{kind.value}" for kind in MeetingKind],
                "description": _(
                    "How many meetings of each kind the group must hold. The council page "
                    "marks a month or school year with too few as missing."
                ),
            },
        ),
    ]

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
    fields = ["at", "note", "by_name"]
    readonly_fields = fields  # `at` is set on save: a form may not name it otherwise
    by_name = named_user_column(ProgressNote, "by")


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
