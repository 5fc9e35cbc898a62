"""Sign-in accounts in the admin, as the bureau keeps them: the accounts of schools' people and
of integrations. The bureau creates them, sets a new password for someone who forgot theirs,
switches an account off and lifts a lock-out. The operator's accounts (alliance/accounts.py) are not
listed to the bureau, and no field the bureau sees can make an account staff or give it
permissions (grants are per group or school, on that record's Object permissions page)."""

import logging

from axes.models import AccessAttempt
from axes.utils import reset as lockout_reset
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from knox.admin import AuthTokenAdmin

from alliance import accounts

log = logging.getLogger("alliance.security")

BUREAU_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    (_("Personal info"), {"fields": ("last_name", "first_name", "email")}),
    (_("Permissions"), {"fields": ("is_active",)}),
    (_("Important dates"), {"fields": ("last_login", "date_joined")}),
)


def _locked_out():
    """An Exists() for the account's lock-out (django-axes): enough recent failures."""
    return Exists(
        AccessAttempt.objects.filter(
            username=OuterRef("username"),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        )
    )


class AccountPasswordForm(accounts.TokensEndWithPassword, AdminPasswordChangeForm):
    pass


class AccountAdmin(UserAdmin):
    change_password_form = AccountPasswordForm
    list_display = ["username", "last_name", "first_name", "is_active", "locked_out", "last_login"]
    list_filter = ["is_active"]
    actions = ["unlock"]

    def get_queryset(self, request):
        listed = super().get_queryset(request).annotate(is_locked_out=_locked_out())
        if request.user.is_superuser:
            return listed
        return listed.filter(pk__in=accounts.kept_by_bureau().values("pk"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            accounts.tokens_revoke(obj)  # a switched-off account's clients stop too

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return BUREAU_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    @admin.display(boolean=True, description=_("locked out"), ordering="is_locked_out")
    def locked_out(self, account) -> bool:
        return account.is_locked_out

    @admin.action(description=_("Lift the sign-in lock-out of the selected accounts"))
    def unlock(self, request, queryset):
        for account in queryset:
            lockout_reset(username=account.username)
            self.log_change(request, account, gettext("Lifted the sign-in lock-out."))
            log.info("unlock user=%s by=%s", account.username, request.user.get_username())
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "The lock-out of %(count)d account was lifted: it may sign in again.",
                "The lock-out of %(count)d accounts was lifted: they may sign in again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class TokenAdmin(AuthTokenAdmin):
    """knox's token list, narrowed for the bureau to its own tokens and those of the accounts it
    keeps: an operator's tokens are not the bureau's to see or revoke."""

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return tokens
        kept = accounts.kept_by_bureau().values("pk")
        return tokens.filter(Q(user__in=kept) | Q(user=request.user))
