"""Read-only admin for the audit trail: bureau staff filter it by user, date and interface."""

import datetime

from django.contrib import admin
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.roles import viewer_for


class AuditTrailAdmin(admin.ModelAdmin):
    list_display = ["history_date", "history_user", "history_type", "history_interface", "record"]
    list_filter = [
        "history_type",
        "history_interface",
        "history_date",
        ("history_user", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "history_date"
    readonly_fields = [
        "history_date",
        "history_user",
        "history_type",
        "history_interface",
        "changes",
    ]

    def get_fields(self, request, obj=None):
        return self.readonly_fields

    def get_list_select_related(self, request):
        # A record is named by its own fields and at most one relation deep (a membership by
        # its school and group): those relations are read with the page, not row by row.
        relations = self.model.instance_type._meta.concrete_fields
        return ["history_user", *(field.name for field in relations if field.is_relation)]

    @admin.display(description=_("record"))
    def record(self, obj) -> str:
        # `history_object`, not `instance`: the latter reads the live row again for the fields
        # the trail leaves out (updated_at), one query per line of the list.
        record = obj.history_object
        for field in record._meta.concrete_fields:
            if field.is_relation and field.is_cached(obj):
                field.set_cached_value(record, field.get_cached_value(obj))
        return str(record)

    @admin.display(description=_("changes (before → after)"))
    def changes(self, obj):
        previous = obj.prev_record
        if previous is None:
            return _("created")
        model = obj.instance_type
        rows = [
            (
                _field_name(model, c.field),
                _shown(model, c.field, c.old),
                _shown(model, c.field, c.new),
            )
            for c in obj.diff_against(previous).changes
        ]
        return format_html_join("\n", "<div>{}: {} → {}</div>", rows) or "—"

    def has_view_permission(self, request, obj=None):
        return viewer_for(request.user).is_bureau

    def has_module_permission(self, request):
        return viewer_for(request.user).is_bureau

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _field_name(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _shown(model, name: str, value) -> str:
    """A value as the record's own page shows it: choice labels, local times, "—" for none."""
    field = model._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return yesno(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


class ReadOnlyInline(admin.TabularInline):
    """History shown inside its parent's page: never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def register_audit_trail(*models) -> None:
    for model in models:
        admin.site.register(model.history.model, AuditTrailAdmin)
