from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance.audit import ChangeHistory

school_code_validator = RegexValidator(
    r"^[0-9]{10}$", _("The school code (学校标识码) is exactly 10 digits.")
)


class Stage(models.Model):
    """A school stage (学段): 学前, 小学, 初中, 高中. Rows are created by a migration."""

    code = models.SlugField(_("code"), max_length=16, primary_key=True)
    name = models.CharField(_("name"), max_length=32)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["order"]

    def __str__(self) -> str:
        return str(_(self.name))


class School(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("school code"),
        max_length=10,
        unique=True,
        validators=[school_code_validator],
        help_text=_("The 10-digit national school code (学校标识码)."),
    )
    stages = models.ManyToManyField(Stage, verbose_name=_("stages"), related_name="schools")
    district = models.CharField(_("district"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_legal_person = models.BooleanField(
        _("own legal person"),
        default=True,
        help_text=_("Whether the school is its own legal person (独立法人)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The stages too: each line of the trail holds the school's stages as they were then.
    history = ChangeHistory(excluded_fields=["updated_at"], m2m_fields=["stages"])

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="school_code_ten_digits",
                condition=Q(code__regex=r"^[0-9]{10}$"),
                violation_error_message=school_code_validator.message,
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dashboard:school-detail", args=[self.pk])


class Post(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    VICE_PRINCIPAL = "vice_principal", _("Vice-principal")
    MIDDLE_MANAGER = "middle_manager", _("Middle manager")
    TEACHER = "teacher", _("Teacher")


class Title(models.TextChoices):
    # 中小学教师职称
    SENIOR_PROFESSOR = "senior_professor", _("Senior professor teacher")
    SENIOR = "senior", _("Senior teacher")
    FIRST = "first", _("First-grade teacher")
    SECOND = "second", _("Second-grade teacher")
    THIRD = "third", _("Third-grade teacher")
    NONE = "none", _("Not yet rated")


class Staff(models.Model):
    """A teacher or school leader (教职工)."""

    name = models.CharField(_("full name"), max_length=50)
    staff_no = models.CharField(_("staff number"), max_length=32, unique=True)
    school = models.ForeignKey(
        School,
        verbose_name=_("home school"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    subject = models.CharField(_("subject"), max_length=32, blank=True)
    title = models.CharField(
        _("professional title"),
        max_length=20,
        choices=Title.choices,
        default=Title.NONE,
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices, default=Post.TEACHER)
    is_backbone = models.BooleanField(_("backbone teacher"), default=False)
    is_famous = models.BooleanField(_("famous teacher"), default=False)
    is_active = models.BooleanField(_("in post"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = ChangeHistory(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["school_id", "staff_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(post=Post.PRINCIPAL, is_active=True),
                name="one_principal_per_school",
                violation_error_message=_("This school already has a principal in post."),
            )
        ]

    def __str__(self) -> str:
        return _("%(name)s (%(staff_no)s)") % {"name": self.name, "staff_no": self.staff_no}


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Active")
    WARNED = "warned", _("Warned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPELLED = "expelled", _("Expelled")
    REJECTED = "rejected", _("Rejected")
    # 撤回申请: the school took back its application before the bureau decided; it may apply again.
    CANCELLED = "cancelled", _("Application withdrawn")
    CLOSED = "closed", _("Group dissolved")


# A current member takes part in the group and counts towards its cap.
CURRENT_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.WARNED)
# 000: 退出后不得再次加入 — a school that left may not re-apply without a bureau override.
LEFT_STATUSES = (MembershipStatus.WITHDRAWN, MembershipStatus.EXPELLED)
# Every way a membership ends after it was approved; each needs the date it ended.
ENDED_STATUSES = (*LEFT_STATUSES, MembershipStatus.CLOSED)


class Membership(models.Model):
    """A school's membership of a group, from application to leaving. Never deleted."""

    group = models.ForeignKey(
        "alliance.SchoolGroup",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLIED,
    )
    applied_on = models.DateField(_("applied on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    warned_on = models.DateField(_("warned on"), null=True, blank=True)
    warning_reason = models.TextField(_("warning reason"), blank=True)
    notice_on = models.DateField(_("written notice on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.TextField(_("reason for leaving"), blank=True)
    rejoin_override_reason = models.TextField(_("re-admission override reason"), blank=True)
    rejoin_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-admission overridden by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = ChangeHistory(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group_id", "applied_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="one_current_membership_per_school",
                violation_error_message=_("This school is already a member of a group."),
            ),
            # One open application at a time, to any group (approving one would leave the other
            # open for ever); it implies one per school and group.
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status=MembershipStatus.APPLIED),
                name="one_open_application_per_school",
                violation_error_message=_(
                    "This school already has an open application to a group."
                ),
            ),
            models.CheckConstraint(
                name="membership_approved_after_applied",
                condition=Q(approved_on__isnull=True) | Q(approved_on__gte=F("applied_on")),
                violation_error_message=_("Approval cannot come before the application."),
            ),
            models.CheckConstraint(
                name="membership_left_after_approved",
                condition=Q(left_on__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(left_on__gte=F("approved_on")),
                violation_error_message=_("A school cannot leave before it was approved."),
            ),
            models.CheckConstraint(
                name="membership_left_after_notice",
                condition=Q(left_on__isnull=True)
                | Q(notice_on__isnull=True)
                | Q(left_on__gte=F("notice_on")),
                violation_error_message=_("A school cannot leave before its written notice."),
            ),
            models.CheckConstraint(
                name="membership_warned_after_approved",
                condition=Q(warned_on__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(warned_on__gte=F("approved_on")),
                violation_error_message=_("A member cannot be warned before it was approved."),
            ),
            models.CheckConstraint(
                name="membership_left_has_date",
                condition=~Q(status__in=ENDED_STATUSES) | Q(left_on__isnull=False),
                violation_error_message=_("A school that left needs the date it left."),
            ),
            models.CheckConstraint(
                name="membership_withdrawal_has_notice",
                condition=~Q(status=MembershipStatus.WITHDRAWN) | Q(notice_on__isnull=False),
                violation_error_message=_("A withdrawal needs the date of the written notice."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(school)s (%(group)s)") % {"school": self.school, "group": self.group}

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class MembershipAction(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WARNED = "warned", _("Warned")
    WITHDRAWN = "withdrawn", _("Withdrew")
    EXPELLED = "expelled", _("Expelled")
    CANCELLED = "cancelled", _("Withdrew the application")
    FOUNDED = "founded", _("Joined as lead school")
    CLOSED = "closed", _("Group dissolved")


class MembershipEvent(models.Model):
    """One dated step in a membership's life, with who took it. Append-only."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=16, choices=MembershipAction.choices)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=MembershipStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=MembershipStatus.choices)
    effective_on = models.DateField(_("effective on"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["membership_id", "at", "id"]

    def __str__(self) -> str:
        return _("%(membership)s: %(action)s %(day)s") % {
            "membership": self.membership,
            "action": self.get_action_display(),
            "day": self.effective_on,
        }
