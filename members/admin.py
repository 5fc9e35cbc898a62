from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliance import accounts
from alliance.audit_admin import (
    HistoryAdmin,
    ReadOnlyInline,
    named_user_column,
    register_audit_trail,
)
from alliance.grants_admin import GrantsAdmin
from alliance.service_forms import ServiceFormAdminMixin, ServiceModelForm
from members import services
from members.models import Membership, MembershipEvent, School, Staff, Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "code", "order"]  # the name links; the code is the API's

    def has_delete_permission(self, request, obj=None):
        return False


class SchoolForm(ServiceModelForm):
    class Meta:
        model = School
        fields = "__all__"

    def run_service(self, data: dict) -> School:
        # The stages too: a change of stages alone is a change of the school (updated_at, trail).
        school = construct_instance(self, self.instance)
        return services.school_save(school=school, by=self.by, stages=list(data["stages"]))


@admin.register(School)
class SchoolAdmin(ServiceFormAdminMixin, HistoryAdmin, GrantsAdmin):
    form = SchoolForm
    list_display = ["code", "name", "district", "is_legal_person"]
    list_filter = ["stages", "district", "is_legal_person"]
    search_fields = ["name", "code", "district"]
    filter_horizontal = ["stages"]


class StaffForm(ServiceModelForm):
    class Meta:
        model = Staff
        fields = "__all__"

    def run_service(self, data: dict) -> Staff:
        return services.staff_save(staff=construct_instance(self, self.instance), by=self.by)


@admin.register(Staff)
class StaffAdmin(ServiceFormAdminMixin, HistoryAdmin):
    form = StaffForm
    list_display = [
        "staff_no",
        "name",
        "school",
        "post",
        "subject",
        "title",
        "is_backbone",
        "is_famous",
        "is_active",
    ]
    list_filter = ["post", "title", "is_backbone", "is_famous", "is_active", "subject"]
    search_fields = ["name", "staff_no", "school__name"]
    autocomplete_fields = ["school"]
    raw_id_fields = ["user"]
    list_select_related = ["school"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = accounts.kept_by_bureau()  # not an operator's account
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipEventInline(ReadOnlyInline):
    model = MembershipEvent
    fields = ["effective_on", "action", "from_status", "to_status", "note", "by_name", "at"]
    readonly_fields = fields
    by_name = named_user_column(MembershipEvent, "by")


class MembershipApplyForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["group", "school", "applied_on", "rejoin_override_reason"]

    def run_service(self, data: dict) -> Membership:
        return services.membership_apply(
            school=data["school"],
            group=data["group"],
            applied_on=data["applied_on"],
            override_reason=data["rejoin_override_reason"],
            by=self.by,
        )


class MembershipActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), required=False)
    effective_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notice_on = forms.DateField(
        label=_("Written notice on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@admin.register(Membership)
class MembershipAdmin(ServiceFormAdminMixin, HistoryAdmin):
    form = MembershipApplyForm
    action_form = MembershipActionForm
    list_display = ["school", "group", "status", "applied_on", "approved_on", "left_on"]
    list_filter = ["status", "group__mode", "group"]
    search_fields = ["school__name", "school__code", "group__name"]
    autocomplete_fields = ["school", "group"]
    list_select_related = ["school", "group"]
    inlines = [MembershipEventInline]
    actions = ["approve", "reject", "cancel", "warn", "withdraw", "expel"]

    class Media:
        css = {"all": ["css/admin/actions.css"]}

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # no history before the application is made

    def add_view(self, request, form_url="", extra_context=None):
        # Nothing to go on editing: once applied, a membership changes by the list's actions.
        extra_context = {**(extra_context or {}), "show_save_and_continue": False}
        return super().add_view(request, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # A recorded membership, on its page and on a past version's (simple-history asks
        # this rather than the change permission): every field shown, none a form's.
        return [f.name for f in Membership._meta.fields] if obj else []

    def has_change_permission(self, request, obj=None):
        # A membership's page is for reading: it changes by the list's actions, each a
        # service with its rules (the page says 查看, with 关闭 instead of 保存).
        return obj is None and super().has_change_permission(request)

    def get_fields(self, request, obj=None):
        if obj is None:
            return MembershipApplyForm.Meta.fields
        return [f.name for f in Membership._meta.fields if f.name != "id"]

    def _run(self, request, queryset, label, call):
        done = 0
        for membership in queryset.select_related("school", "group"):
            try:
                call(membership, request.POST)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = (
                    "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                )
                refused = _("%(membership)s: %(reason)s") % {
                    "membership": membership,
                    "reason": text,
                }
                self.message_user(request, refused, messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d membership %(label)s.", "%(count)d memberships %(label)s.", done
                )
                % {"count": done, "label": label},
            )

    @staticmethod
    def _date(post, name):
        value = post.get(name)
        return forms.DateField().clean(value) if value else None

    @admin.action(description=_("Approve the selected applications"))
    def approve(self, request, queryset):
        self._run(
            request,
            queryset,
            _("approved"),
            lambda m, post: services.membership_approve(
                membership=m,
                by=request.user,
                approved_on=self._date(post, "effective_on"),
            ),
        )

    @admin.action(description=_("Reject the selected applications (give a reason)"))
    def reject(self, request, queryset):
        self._run(
            request,
            queryset,
            _("rejected"),
            lambda m, post: services.membership_reject(
                membership=m, by=request.user, reason=post.get("reason", "")
            ),
        )

    @admin.action(description=_("Record that the school took back the selected applications"))
    def cancel(self, request, queryset):
        self._run(
            request,
            queryset,
            _("application withdrawn"),
            lambda m, post: services.membership_cancel(
                membership=m, by=request.user, reason=post.get("reason", "")
            ),
        )

    @admin.action(description=_("Warn the selected members (give a reason)"))
    def warn(self, request, queryset):
        self._run(
            request,
            queryset,
            _("warned"),
            lambda m, post: services.membership_warn(
                membership=m,
                by=request.user,
                reason=post.get("reason", ""),
                warned_on=self._date(post, "effective_on"),
            ),
        )

    @admin.action(
        description=_("Record the withdrawal of the selected members (give the notice date)")
    )
    def withdraw(self, request, queryset):
        self._run(
            request,
            queryset,
            _("withdrawn"),
            lambda m, post: services.membership_withdraw(
                membership=m,
                by=request.user,
                notice_on=self._date(post, "notice_on"),
                left_on=self._date(post, "effective_on"),
                reason=post.get("reason", ""),
            ),
        )

    @admin.action(description=_("Expel the selected members (give a reason)"))
    def expel(self, request, queryset):
        self._run(
            request,
            queryset,
            _("expelled"),
            lambda m, post: services.membership_expel(
                membership=m,
                by=request.user,
                reason=post.get("reason", ""),
                expelled_on=self._date(post, "effective_on"),
            ),
        )


register_audit_trail(School, Staff, Membership)
