"""Read-only admin for the audit trail: bureau staff filter it by user, date and interface."""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from members.roles import name_with_login, viewer_for


def _who(user) -> str:
    """Who made a change: name and login, or "(system)" when no user did (a task, a migration)."""
    return name_with_login(user) if user else _("(system)")


class ChangedByFilter(admin.RelatedOnlyFieldListFilter):
    """Users by name and login, as the list shows them; "(system)" for changes made by none."""

    def field_choices(self, field, request, model_admin):
        changers = model_admin.get_queryset(request).values(self.field_path)
        users = field.related_model.objects.filter(pk__in=changers).order_by("username")
        return [(user.pk, name_with_login(user)) for user in users]


class AuditTrailAdmin(admin.ModelAdmin):
    list_display = ["history_date", "changed_by", "history_type", "history_interface", "record"]
    list_filter = [
        "history_type",
        "history_interface",
        "history_date",
        ("history_user", ChangedByFilter),
    ]
    date_hierarchy = "history_date"
    readonly_fields = [
        "history_date",
        "changed_by",
        "history_type",
        "history_interface",
        "changes",
    ]
    # A change no user made: a scheduled task, a migration.
    empty_value_display = _("(system)")

    def get_fields(self, request, obj=None):
        return self.readonly_fields

    def get_list_select_related(self, request):
        # A record is named by its own fields and at most one relation deep (a membership by
        # its school and group): those relations are read with the page, not row by row.
        relations = self.model.instance_type._meta.concrete_fields
        return ["history_user", *(field.name for field in relations if field.is_relation)]

    @admin.display(description=_("changed by"), ordering="history_user__username")
    def changed_by(self, obj) -> str:
        # Not None for empty_value_display: a record's own page would print "None".
        return _who(obj.history_user)

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
            for c in obj.diff_against(previous, foreign_keys_are_objs=True).changes
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
    """A value as the record's own page shows it: choice labels, local times, "—" for none,
    the names of the related rows (小学、初中); a model's `describe_<field>(value)` words a
    value of its own (JSON rules, say)."""
    field = model._meta.get_field(name)
    if isinstance(value, DeletedObject) and value.pk is None:
        value = None  # simple-history's stand-in for an empty foreign key, not a deleted row
    if field.many_to_many:
        # One row of the link table each, {"school": …, "stage": …}: the far side, named in
        # its model's order (小学、初中), before and after alike.
        related = get_m2m_reverse_field_name(field)
        order = [f for f in field.related_model._meta.ordering if "-" not in f and "__" not in f]
        objs = sorted((row[related] for row in value), key=lambda o: [getattr(o, f) for f in order])
        value = pgettext("between items", ", ").join(str(obj) for obj in objs)
    if value is None or value == "":
        return "—"
    if describe := getattr(model, f"describe_{name}", None):
        return describe(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return yesno(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


class _ShownChanges(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        return _shown(self.model, change.field, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """A record's admin with its history page, whose changes read as the audit trail's do."""

    def get_historical_record_context_helper(self, request, historical_record):
        return _ShownChanges(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """simple-history's, but the many-to-many snapshots (a meeting's invitations) are read
        once for the page, not four queries a line."""
        records = list(historical_records)
        m2m = [field.name for field in self.model.history.model._history_m2m_fields]
        snapshots = _m2m_snapshots(records, m2m)
        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(
                older, excluded_fields=m2m, foreign_keys_are_objs=foreign_keys_are_objs
            )
            changes = list(delta.changes)
            for field in m2m:
                before, after = snapshots[older.pk][field], snapshots[newer.pk][field]
                if _keys(before) != _keys(after):
                    changes.append(ModelChange(field, before, after))
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(
                ModelDelta(changes, [c.field for c in changes], older, newer)
            )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is read, never saved back: SIMPLE_HISTORY_REVERT_DISABLED hides the
        # button, but simple-history would still save a posted form, around the services.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _m2m_snapshots(records, fields: list[str]) -> dict[int, dict[str, list[dict]]]:
    """Each record's rows of each many-to-many field, as diff_against gives them ({"school":
    <School>}), in one query a field."""
    snapshots = {record.pk: {field: [] for field in fields} for record in records}
    if not records:
        return snapshots
    for field in fields:
        model_field = records[0].instance_type._meta.get_field(field)
        related = get_m2m_reverse_field_name(model_field)
        rows = getattr(records[0], field).model.objects.filter(history__in=snapshots)
        for row in rows.select_related(related).order_by(related):
            snapshots[row.history_id][field].append({related: getattr(row, related)})
    return snapshots


def _keys(rows: list[dict]) -> list[tuple]:
    return [tuple(value.pk for value in row.values()) for row in rows]


class ReadOnlyInline(admin.TabularInline):
    """History shown inside its parent's page: never added, changed or deleted here."""

    extra = 0
    can_delete = False
    template = "admin/edit_inline/read_only_tabular.html"  # css/admin/tables.css

    def get_queryset(self, request):
        # Who, which school, which person: read with the rows, not one query per cell.
        relations = [f.name for f in self.model._meta.concrete_fields if f.is_relation]
        return super().get_queryset(request).select_related(*relations)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def named_user_column(model, field: str):
    """An inline's column naming the user in `field` as the audit trail does: 青溪县教育局
    (bureau), not the login alone; "(system)" for none."""

    @admin.display(description=capfirst(model._meta.get_field(field).verbose_name))
    def column(inline, obj) -> str:
        return _who(getattr(obj, field))

    return column


def register_audit_trail(*models) -> None:
    for model in models:
        admin.site.register(model.history.model, AuditTrailAdmin)
