"""The admin site: the bureau's daily work (groups, schools, councils) listed first."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_noop, ngettext_lazy

# The admin's own sentences as the bureau reads them in Chinese (a helper's audit of every admin
# page listed them). Django's and
# django-simple-history's catalogues put spaces around the model's name (选择 学校 来修改), an
# ASCII colon in titles (查看历史记录: …), 增加 on one button and 添加 on the next, and
# 取消选中 (deselect) for "Delete selected". Naming the msgids here puts them in the project's
# catalogue (locale/zh_Hans), which Django consults before any app's.
ADMIN_WORDING = (
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Add %s"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Save and add another"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("%(full_result_count)s total"),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("%(app)s administration"),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    # Sentences the bureau reads daily: sign-in, saves, lists, actions.
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. Note that "
        "both fields may be case-sensitive."
    ),
    gettext_noop("Error:"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("You may edit it again below."),
    ngettext_lazy("%(counter)s result", "%(counter)s results", "counter"),
    gettext_noop("Filter"),
    gettext_noop("Action:"),
    gettext_noop("Run the selected action"),
    gettext_noop("No action selected."),
    gettext_noop(
        "Items must be selected in order to perform actions on them. No items have been changed."
    ),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("None available"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Remove from sorting"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop(
        "Designates whether this user should be treated as active. Unselect this instead of "
        "deleting accounts."
    ),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
)


class AllianceAdminSite(admin.AdminSite):
    # Then the rest (accounts, API tokens, …) by name, as Django lists every app.
    first_apps = ["alliance", "members", "governance"]

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: n for n, label in enumerate(self.first_apps)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))


class AllianceAdminConfig(AdminConfig):
    default_site = "alliance.admin_site.AllianceAdminSite"
