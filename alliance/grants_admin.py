"""The admin's "Object permissions" page (django-guardian), where the bureau grants one account
access to one group or school (an integration account, say)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin, UserManage


class AccountPicker(UserManage):
    # guardian's help reads "输入对应 User.USERNAME_FIELD 的值", its code, not the bureau's words.
    user = forms.CharField(
        label=_("Account"),
        max_length=200,
        error_messages={"does_not_exist": _("No account has this login name.")},
        help_text=_("The account's login name, as typed on the sign-in page."),
    )


class GrantsAdmin(GuardedModelAdmin):
    def get_obj_perms_user_select_form(self, request):
        return AccountPicker
