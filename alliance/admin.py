from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from alliance import selectors, services
from alliance.accounts_admin import AccountAdmin, TokenAdmin
from alliance.audit_admin import HistoryAdmin, register_audit_trail
from alliance.grants_admin import GrantsAdmin
from alliance.models import SchoolGroup
from alliance.service_forms import ServiceFormAdminMixin, ServiceModelForm


class SchoolGroupForm(ServiceModelForm):
    dissolve_reason = forms.CharField(
        label=_("Dissolve the group, for this reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Filling this in dissolves the group and ends every membership."),
    )
    dissolve_on = forms.DateField(label=_("Dissolved on"), required=False)

    class Meta:
        model = SchoolGroup
        fields = "__all__"
        help_texts = {
            "charter": _(
                "Once the council adopts a charter, it is amended only by a charter motion at a "
                "council meeting."
            )
        }

    def run_service(self, data: dict) -> SchoolGroup:
        # A field shown read-only (the charter the council adopted) is not in the form.
        editable = {name: data[name] for name in services.EDITABLE_FIELDS if name in self.fields}
        if self.instance.pk is None:
            return services.group_create(
                by=self.by,
                lead_school=data["lead_school"],
                founded_on=data["founded_on"],
                **editable,
            )
        group = services.group_update(group=self.instance, by=self.by, **editable)
        if data.get("dissolve_reason"):
            group = services.group_dissolve(
                group=group,
                by=self.by,
                reason=data["dissolve_reason"],
                dissolved_on=data.get("dissolve_on"),
            )
        return group


@admin.register(SchoolGroup)
class SchoolGroupAdmin(ServiceFormAdminMixin, HistoryAdmin, GrantsAdmin):
    form = SchoolGroupForm
    list_display = ["name", "mode", "stage", "lead_school", "founded_on", "status"]
    list_filter = ["mode", "status", "stage"]
    search_fields = ["name", "lead_school__name", "lead_school__code"]
    autocomplete_fields = ["lead_school"]
    date_hierarchy = "founded_on"
    list_select_related = ["lead_school", "stage"]
    base_fields = [
        "name",
        "mode",
        "stage",
        "lead_school",
        "founded_on",
        "charter",
        "member_cap_override",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.base_fields
        if obj.is_active:
            return [*self.base_fields, "status", "dissolve_reason", "dissolve_on"]
        return [*self.base_fields, "status", "dissolved_on"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = ["lead_school", "founded_on", "status", "dissolved_on"]
        if selectors.charter_adopted_by_council(obj):
            return [*fixed, "charter"]  # the council's to amend, by a charter motion
        return fixed


register_audit_trail(SchoolGroup)

admin.site.site_header = _("Group schooling platform: education bureau")
admin.site.site_title = _("Group schooling platform")
admin.site.index_title = _("Groups, schools, councils and the audit trail")
admin.site.empty_value_display = "—"  # nothing, written as the dashboards write it


admin.site.unregister(User)  # Django's, which offers staff and superuser switches
admin.site.register(User, AccountAdmin)
admin.site.unregister(AuthToken)
admin.site.register(AuthToken, TokenAdmin)
