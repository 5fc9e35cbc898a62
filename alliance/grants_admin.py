"""The admin's "Object permissions" page (django-guardian), where the bureau grants one account
access to one group or school (an integration account, say)."""

from types import SimpleNamespace

from django import forms
from django.contrib.auth.models import Permission
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.admin import (
    AdminGroupObjectPermissionsForm,
    AdminUserObjectPermissionsForm,
    GuardedModelAdmin,
    UserManage,
)
from guardian.shortcuts import get_perms_for_model

# Django stores a built-in permission's name in English ("Can view school group"), from the
# model's untranslated verbose name, so the grant page would show English to the bureau.
BUILT_IN = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission, model) -> str:
    action, _sep, rest = permission.codename.partition("_")
    if action in BUILT_IN and rest == model._meta.model_name:
        return BUILT_IN[action] % {"model": model._meta.verbose_name}
    return gettext(permission.name)  # the project's own permissions name themselves in code


def permissions_shown(obj) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(codename=p.codename, name=permission_label(p, type(obj)))
        for p in get_perms_for_model(obj)
    ]


class AccountPicker(UserManage):
    # guardian's help reads "输入对应 User.USERNAME_FIELD 的值", its code, not the bureau's words.
    user = forms.CharField(
        label=_("Account"),
        max_length=200,
        error_messages={"does_not_exist": _("No account has this login name.")},
        help_text=_("The account's login name, as typed on the sign-in page."),
    )


class ShownChoices:
    def get_obj_perms_field_choices(self) -> list:
        return [(p.codename, p.name) for p in permissions_shown(self.obj)]


class AccountGrants(ShownChoices, AdminUserObjectPermissionsForm):
    pass


class UserGroupGrants(ShownChoices, AdminGroupObjectPermissionsForm):
    pass


class GrantsAdmin(GuardedModelAdmin):
    def get_obj_perms_user_select_form(self, request):
        return AccountPicker

    def get_obj_perms_manage_user_form(self, request):
        return AccountGrants

    def get_obj_perms_manage_group_form(self, request):
        return UserGroupGrants

    def get_obj_perms_base_context(self, request, obj):
        return super().get_obj_perms_base_context(request, obj) | {
            "model_perms": permissions_shown(obj)
        }
