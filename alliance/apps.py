from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    # This module holds two configs, so Django needs telling which one is "alliance"'s own.
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "alliance"
    verbose_name = _("School groups")

    def ready(self):
        # Connect the security-log and audit signal receivers.
        from alliance import audit, security_log  # noqa: F401


class ApiTokensConfig(AppConfig):
    """django-rest-knox, named for the bureau's admin: knox ships no Chinese and no verbose names.

    The names are set on the model's options at start-up; they are not in knox's migrations.
    """

    name = "knox"
    verbose_name = _("API tokens")

    def ready(self):
        token = self.get_model("AuthToken")
        token._meta.verbose_name = _("API token")
        token._meta.verbose_name_plural = _("API tokens")
