"""The admin site: the bureau's daily work (groups, schools, councils) listed first."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_noop

# The admin's own sentences as the bureau reads them in Chinese. Django's and
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
