from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = _("Council and meetings")

    def ready(self):
        from governance.selectors import chaired_group_ids
        from members.roles import set_chair_rule

        set_chair_rule(chaired_group_ids)
