"""The council (理事会), its meetings, resolutions and votes (DOMAIN.md, "Governance")."""

from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from alliance.audit import ChangeHistory
from alliance.uploads import PrivateStorage


def parse_ratio(text: str) -> Fraction:
    ratio = Fraction(text)
    if not 0 < ratio <= 1:
        raise ValueError(text)
    return ratio


def validate_ratio(text: str) -> None:
    try:
        parse_ratio(text)
    except (ValueError, ZeroDivisionError) as error:
        raise ValidationError(_("Give a fraction between 0 and 1, such as 1/2 or 2/3.")) from error


def validate_cadence(value) -> None:
    """{"council": ["month", 1], ...}: known meeting kinds, a period and a count of at least 1."""
    kinds = {kind.value for kind in MeetingKind}
    problem = _(
        "Give each meeting kind a period (month or year) and a number, such as "
        '{"council": ["month", 1]}.'
    )
    if not isinstance(value, dict):
        raise ValidationError(problem)
    for kind, rule in value.items():
        if kind not in kinds or not isinstance(rule, list) or len(rule) != 2:
            raise ValidationError(problem)
        period, count = rule
        if period not in ("month", "year") or not isinstance(count, int) or count < 1:
            raise ValidationError(problem)


CADENCE_PERIODS = {"month": _("per month"), "year": _("per school year")}


def describe_cadence_rule(period: str, count: int) -> str:
    """One rule in words (每学年 10 次): the admin's defaults and the audit trail say it alike."""
    return _("{count} {period}").format(count=count, period=CADENCE_PERIODS[period])


def _history():
    return ChangeHistory()


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    DIRECTOR = "director", _("Director")


# One holder per group at a time; the other roles are one per school.
GROUP_WIDE_ROLES = (SeatRole.CHAIR, SeatRole.SECRETARY_GENERAL)


class CouncilPolicy(models.Model):
    """A group's own council rules; empty fields fall back to the deployment's defaults."""

    group = models.OneToOneField(
        "alliance.SchoolGroup",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="council_policy",
    )
    rotating_chair = models.BooleanField(
        _("rotating chair"),
        default=False,
        help_text=_("The chair rotates among members instead of the lead school's principal."),
    )
    seat_term_years = models.PositiveSmallIntegerField(
        _("seat term (years)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # Fractions as text ("1/2", "2/3"): 2/3 has no exact decimal.
    quorum_ratio = models.CharField(
        _("quorum: share of member schools present, more than"),
        max_length=9,
        blank=True,
        validators=[validate_ratio],
    )
    majority_ratio = models.CharField(
        _("majority: share of votes cast, more than"),
        max_length=9,
        blank=True,
        validators=[validate_ratio],
    )
    charter_majority_ratio = models.CharField(
        _("charter amendments: share of votes cast, at least"),
        max_length=9,
        blank=True,
        validators=[validate_ratio],
    )
    cadence = models.JSONField(
        _("required meetings"),
        default=dict,
        blank=True,
        help_text=_('Per meeting kind, e.g. {"council": ["month", 1]}; empty: the defaults.'),
        validators=[validate_cadence],
    )
    history = _history()

    class Meta:
        verbose_name = _("council policy")
        verbose_name_plural = _("council policies")
        constraints = [
            models.CheckConstraint(
                name="council_policy_seat_term_at_least_a_year",
                condition=Q(seat_term_years__isnull=True) | Q(seat_term_years__gte=1),
                violation_error_message=_("A seat term is at least one year."),
            )
        ]

    def __str__(self) -> str:
        return str(self.group)

    @staticmethod
    def describe_cadence(cadence: dict) -> str:
        """The rules as the bureau set them (理事会议：每学年 3 次), for the audit trail."""
        rules = [
            _("{kind}: {rule}").format(
                kind=MeetingKind(kind).label, rule=describe_cadence_rule(period, count)
            )
            for kind, (period, count) in cadence.items()
        ]
        return pgettext("between rules", "; ").join(rules) or "—"


class CouncilSeat(models.Model):
    group = models.ForeignKey(
        "alliance.SchoolGroup",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices)
    holder = models.ForeignKey(
        "members.Staff", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="seats"
    )
    school = models.ForeignKey(
        "members.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = ChangeHistory(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("council seat")
        verbose_name_plural = _("council seats")
        ordering = ["group_id", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                name="seat_term_ends_after_start",
                condition=Q(ends_on__gt=F("starts_on")),
                violation_error_message=_("A term must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return _("%(group)s %(role)s: %(holder)s") % {
            "group": self.group,
            "role": self.get_role_display(),
            "holder": self.holder.name,
        }


class MeetingKind(models.TextChoices):
    COUNCIL = "council", _("Council meeting")
    PRINCIPALS = "principals", _("Principals' joint meeting")
    ANNUAL_PLAN = "annual_plan", _("Annual work-plan meeting")
    ANNUAL_SUMMARY = "annual_summary", _("Annual summary meeting")
    ACADEMIC = "academic", _("Academic exchange conference")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CLOSED = "closed", _("Closed")
    APPROVED = "approved", _("Minutes approved")
    # Called off before it was held: the cadence still counts it missing.
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class Meeting(models.Model):
    group = models.ForeignKey(
        "alliance.SchoolGroup",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    host_school = models.ForeignKey(
        "members.School",
        verbose_name=_("host school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    invited_schools = models.ManyToManyField(
        "members.School", verbose_name=_("invited schools"), blank=True, related_name="+"
    )
    invited_people = models.ManyToManyField(
        "members.Staff", verbose_name=_("invited people"), blank=True, related_name="+"
    )
    # No school named when it was scheduled: a school that joins before the day is invited too.
    invites_every_member = models.BooleanField(
        _("invites every member school"),
        default=True,
        help_text=_(
            "No school was named: every school that is a member on the meeting's day is "
            "invited, one that joins later included."
        ),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_approved_at = models.DateTimeField(_("minutes approved at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Whom it invites is in its trail: the attendance rates are measured against it, and it
    # changes as schools join or leave.
    history = ChangeHistory(
        excluded_fields=["updated_at"], m2m_fields=["invited_schools", "invited_people"]
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                name="meeting_has_a_place_or_link",
                condition=~Q(place="") | ~Q(online_link=""),
                violation_error_message=_("Give a place or an online link."),
            ),
            models.CheckConstraint(
                name="meeting_cancelled_with_reason",
                condition=Q(status=MeetingStatus.CANCELLED, cancel_reason__gt="")
                | (~Q(status=MeetingStatus.CANCELLED) & Q(cancel_reason="")),
                violation_error_message=_("Give the reason for cancelling the meeting."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= timezone.now()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    PROXY = "proxy", _("Represented by proxy")


# Who counts as attending: those whose schools vote and make the quorum.
COUNTED_PRESENT = (AttendanceStatus.PRESENT, AttendanceStatus.PROXY)


class Attendance(models.Model):
    """One member school's attendance at a meeting (one school, one vote)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attendance"
    )
    school = models.ForeignKey(
        "members.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "members.Staff",
        verbose_name=_("attendee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason for absence"), max_length=200, blank=True)
    proxy_name = models.CharField(_("proxy"), max_length=50, blank=True)
    history = _history()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting_id", "school_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "school"], name="attendance_once_per_school"
            ),
            models.CheckConstraint(
                name="attendance_proxy_is_named",
                condition=~Q(status=AttendanceStatus.PROXY) | ~Q(proxy_name=""),
                violation_error_message=_("Name the proxy."),
            ),
            models.CheckConstraint(
                name="attendance_absence_has_reason",
                condition=~Q(status=AttendanceStatus.ABSENT) | ~Q(reason=""),
                violation_error_message=_("Give the reason for the absence."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(meeting)s: %(school)s %(status)s") % {
            "meeting": self.meeting,
            "school": self.school,
            "status": self.get_status_display(),
        }


class ResolutionKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary resolution")
    CHARTER = "charter", _("Charter adoption or amendment")
    # 000 第十三条: 理事会有权……取消其联盟成员资格. Passed, it expels the school it names.
    EXPULSION = "expulsion", _("Expulsion of a member school")


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    # Not the 已驳回 of a refused application: a motion voted down did not pass (未通过).
    REJECTED = "rejected", pgettext_lazy("resolution outcome", "Rejected")
    NO_QUORUM = "no_quorum", _("No quorum")


class Resolution(models.Model):
    """A motion put to the vote in a meeting (决议). Its outcome is computed, never typed in."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="resolutions"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ResolutionKind.choices, default=ResolutionKind.ORDINARY
    )
    charter_text = models.TextField(_("charter text adopted"), blank=True)
    school = models.ForeignKey(
        "members.School",
        verbose_name=_("school to expel"),
        help_text=_("An expulsion motion's school; empty for every other kind."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    yes = models.PositiveSmallIntegerField(_("yes"), default=0)
    no = models.PositiveSmallIntegerField(_("no"), default=0)
    abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)
    schools_present = models.PositiveSmallIntegerField(_("schools present"), default=0)
    member_schools = models.PositiveSmallIntegerField(_("member schools"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = ChangeHistory(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="resolution_outcome_with_decision",
                condition=Q(outcome="", decided_at__isnull=True)
                | (~Q(outcome="") & Q(decided_at__isnull=False)),
                violation_error_message=_("An outcome comes only with a decision."),
            ),
            models.CheckConstraint(
                name="resolution_charter_motion_has_text",
                condition=~Q(kind=ResolutionKind.CHARTER) | ~Q(charter_text=""),
                violation_error_message=_("Give the charter text to adopt."),
            ),
            models.CheckConstraint(
                name="resolution_only_charter_motion_has_text",
                condition=Q(kind=ResolutionKind.CHARTER) | Q(charter_text=""),
                violation_error_message=_(
                    "Only a charter motion adopts a charter text: choose that kind."
                ),
            ),
            models.CheckConstraint(
                name="resolution_expulsion_names_school",
                condition=~Q(kind=ResolutionKind.EXPULSION) | Q(school__isnull=False),
                violation_error_message=_("Name the school to expel."),
            ),
            models.CheckConstraint(
                name="resolution_only_expulsion_names_school",
                condition=Q(kind=ResolutionKind.EXPULSION) | Q(school__isnull=True),
                violation_error_message=_(
                    "Only an expulsion motion names a school to expel: choose that kind."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Choice(models.TextChoices):
    # In a vote's context: 赞成, 反对. A bare "Yes" is Django's too (是, on every true/false filter
    # of the admin), and the catalogue has one translation per msgid and context.
    YES = "yes", pgettext_lazy("vote", "Yes")
    NO = "no", pgettext_lazy("vote", "No")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """One member school's vote, cast by its representative."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.PROTECT, related_name="votes"
    )
    school = models.ForeignKey(
        "members.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cast by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)
    # Set when the resolution is decided. A vote stays on record even when its school is left
    # out of the count (recorded absent after voting, or out of the group on the meeting's day).
    counted = models.BooleanField(
        _("counted"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Whether the count included this vote; empty until the resolution is decided. "
            "A school not a member present at the meeting when the votes are counted is left out."
        ),
    )
    # The count's, not the voter's: the resolution's trail has the count.
    history = ChangeHistory(excluded_fields=["counted"])

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["resolution_id", "school_id"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "school"], name="one_vote_per_school")
        ]

    def __str__(self) -> str:
        return _("%(resolution)s: %(school)s %(choice)s") % {
            "resolution": self.resolution,
            "school": self.school,
            "choice": self.get_choice_display(),
        }


class CharterVersion(models.Model):
    """The group charter (章程) as adopted by a resolution; the newest is in force."""

    group = models.ForeignKey(
        "alliance.SchoolGroup",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="charter_versions",
    )
    text = models.TextField(_("text"))
    resolution = models.OneToOneField(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.PROTECT,
        related_name="charter_version",
    )
    adopted_on = models.DateField(_("adopted on"))

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["group_id", "-adopted_on", "-id"]

    def __str__(self) -> str:
        return _("%(group)s (%(day)s)") % {"group": self.group, "day": self.adopted_on}


class ActionItem(models.Model):
    """A follow-up a resolution carries, so every meeting sees which decisions are still open."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    description = models.CharField(_("what"), max_length=300)
    owner_school = models.ForeignKey(
        "members.School",
        verbose_name=_("owner school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_person = models.ForeignKey(
        "members.Staff",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = ChangeHistory(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["done_on", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="action_item_has_an_owner",
                condition=Q(owner_school__isnull=False) | Q(owner_person__isnull=False),
                violation_error_message=_("Name the owner school or person."),
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.done_on is None


class ProgressNote(models.Model):
    action_item = models.ForeignKey(
        ActionItem, verbose_name=_("action item"), on_delete=models.PROTECT, related_name="notes"
    )
    note = models.TextField(_("progress"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["action_item_id", "at"]

    def __str__(self) -> str:
        return self.note[:50]


class MeetingAttachment(models.Model):
    """A document of a meeting (agenda papers, reports); stored privately under a random name."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=PrivateStorage(), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = _history()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
