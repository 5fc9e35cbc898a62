from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alliance"
    verbose_name = _("School groups")

    def ready(self):
        # Connect the security-log and audit signal receivers.
        from alliance import audit, security_log  # noqa: F401
