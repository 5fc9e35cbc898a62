"""The admin site: the bureau's daily work (groups, schools, councils) listed first."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class AllianceAdminSite(admin.AdminSite):
    # Then the rest (accounts, API tokens, …) by name, as Django lists every app.
    first_apps = ["alliance", "members", "governance"]

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: n for n, label in enumerate(self.first_apps)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))


class AllianceAdminConfig(AdminConfig):
    default_site = "alliance.admin_site.AllianceAdminSite"
