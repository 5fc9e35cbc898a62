from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = _("Council and meetings")

    def ready(self):
        from governance.selectors import chaired_group_ids
        from governance.services import seats_end_with_membership
        from members.roles import set_chair_rule
        from members.signals import membership_ended

        set_chair_rule(chaired_group_ids)
        membership_ended.connect(seats_end_with_membership, dispatch_uid="seats_end")
