from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance.audit import ChangeHistory


class GroupMode(models.TextChoices):
    # 001 组建模式: 联盟型, 紧密型, 托管型
    ALLIANCE = "alliance", _("Alliance")
    TIGHT = "tight", _("Tight")
    ENTRUSTED = "entrusted", _("Entrusted")


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class SchoolGroup(models.Model):
    """A school group (教育集团): a lead school and its member schools."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    mode = models.CharField(_("mode"), max_length=16, choices=GroupMode.choices)
    stage = models.ForeignKey(
        "members.Stage",
        verbose_name=_("stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leave empty for a group that spans stages."),
    )
    lead_school = models.ForeignKey(
        "members.School",
        verbose_name=_("lead school"),
        on_delete=models.PROTECT,
        related_name="led_groups",
    )
    founded_on = models.DateField(_("founded on"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=GroupStatus.choices,
        default=GroupStatus.ACTIVE,
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    charter = models.TextField(_("charter"), blank=True)
    member_cap_override = models.PositiveSmallIntegerField(
        _("member cap override"),
        null=True,
        blank=True,
        # Beside the field, where the constraint below would speak for the whole form.
        validators=[MinValueValidator(1, _("The member cap must be at least 1."))],
        help_text=_("Leave empty to use the default cap for the group's mode."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = ChangeHistory(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("school group")
        verbose_name_plural = _("school groups")
        ordering = ["name"]
        permissions = [("oversee_groups", _("Oversee all groups (education bureau)"))]
        constraints = [
            models.CheckConstraint(
                name="group_dissolved_has_date",
                condition=Q(status=GroupStatus.ACTIVE, dissolved_on__isnull=True)
                | Q(status=GroupStatus.DISSOLVED, dissolved_on__isnull=False),
                violation_error_message=_("A dissolved group needs a dissolution date."),
            ),
            models.CheckConstraint(
                name="group_dissolved_after_founded",
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("founded_on")),
                violation_error_message=_("A group cannot be dissolved before it was founded."),
            ),
            models.CheckConstraint(
                name="group_member_cap_positive",
                condition=Q(member_cap_override__isnull=True) | Q(member_cap_override__gte=1),
                violation_error_message=_("The member cap must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The admin's "view on site": from the record to its page (members, council).
        return reverse("dashboard:group-detail", args=[self.pk])

    @property
    def member_cap(self) -> int:
        """How many member schools besides the lead school the group may have."""
        if self.member_cap_override is not None:
            return self.member_cap_override
        return settings.GROUP_MEMBER_CAPS[self.mode]

    @property
    def is_active(self) -> bool:
        return self.status == GroupStatus.ACTIVE


class TaskRun(models.Model):
    """A task's effect that has been committed, by key: the redelivery guard (alliance/tasks.py)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    task = models.CharField(_("task"), max_length=200)
    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")

    def __str__(self) -> str:
        return self.key
