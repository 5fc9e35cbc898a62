import datetime
from functools import cache

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.forms import DATE, SearchForm, shown_when
from alliance.service_forms import add_service_errors
from governance.models import (
    Attendance,
    AttendanceStatus,
    Choice,
    MeetingKind,
    MeetingStatus,
    Resolution,
    ResolutionKind,
    SeatRole,
)
from members.models import School, Staff

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# A long list of people, narrowed in the browser by typing (static/js/select-filter.js).
PEOPLE_PICKER = forms.Select(attrs={"data-filter": _("Name or school, to narrow the list")})


def posted_id(value) -> int | None:
    """A record's id as a link or form sent it; None for junk or a number past a bigint."""
    value = str(value or "")
    return int(value) if value.isdecimal() and len(value) < 19 else None


class RescheduleForm(forms.Form):
    """When and where a meeting is held: set when it is scheduled, changed until it is held."""

    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LOCAL_DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    # A text box, not type="url": the browser would refuse "meeting.example.cn/123" that the
    # field accepts as https://.
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    host_school = forms.ModelChoiceField(
        label=_("Host school"), queryset=None, required=False, empty_label=_("No host school")
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_school"].queryset = schools


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=200,
        help_text=_("Shown on the meeting page; the meeting stays in the records."),
    )


class MeetingForm(RescheduleForm):
    field_order = ["kind", "title", "starts_at", "place", "online_link", "host_school"]

    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    invited_schools = forms.ModelMultipleChoiceField(
        label=_("Invited schools"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "None ticked: every member school is invited, one that joins before the day too."
        ),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line, in order."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, schools=schools, **kwargs)
        self.fields["invited_schools"].queryset = schools


class AttendanceForm(forms.Form):
    """One school's row of the attendance table, named by the school (prefix "attend-<pk>"),
    so labelled from inside. A status left empty records nothing: a school not recorded yet
    starts empty, so sending the table records only the rows filled in.

    Drawn with `begun=False` (the meeting has yet to begin) its select offers only an absence,
    the one status the service records ahead, and whatever is recorded or was sent, with no
    proxy box; the field itself takes every status and leaves the refusal to the service."""

    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[("", _("Not recorded")), *AttendanceStatus.choices],
        required=False,
    )
    # Each box matters for one status only: its placeholder says which, and
    # static/js/shown-when.js shows it only with that status (set in __init__, by prefix).
    reason = forms.CharField(
        label=_("Reason for absence"),
        required=False,
        max_length=Attendance._meta.get_field("reason").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("Reason, if absent")}),
    )
    proxy_name = forms.CharField(
        label=_("Proxy"),
        required=False,
        max_length=Attendance._meta.get_field("proxy_name").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("Proxy, if by proxy")}),
    )

    def __init__(self, *args, school: str, recorded: bool = False, begun: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # One row per school in one form: each box is named with its school, or a screen
        # reader hears "出席情况" once for every row.
        for name in ("status", "reason", "proxy_name"):
            label = _("%(school)s: %(field)s") % {
                "school": school,
                "field": self.fields[name].label,
            }
            self.fields[name].widget.attrs["aria-label"] = label
        for name, status in (
            ("reason", AttendanceStatus.ABSENT),
            ("proxy_name", AttendanceStatus.PROXY),
        ):
            self.fields[name].widget.attrs["data-shown-when"] = shown_when(self, "status", status)
        offered = set(AttendanceStatus.values)
        if not begun:
            offered = {AttendanceStatus.ABSENT, self.initial.get("status"), self["status"].value()}
        if not recorded:  # what is recorded is not taken back from here: no empty choice
            offered.add("")
        status = self.fields["status"]
        status.widget.choices = [
            (value, text) for value, text in status.choices if value in offered
        ]
        if AttendanceStatus.PROXY not in offered:  # no proxy to name yet
            self.fields["proxy_name"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if not data.get("status") and (data.get("reason") or data.get("proxy_name")):
            self.add_error("status", _("Choose the attendance this is for."))
        return data


class AttendanceSheet:
    """The attendance table as one form: a row per member school, sent together, recorded
    together (services.attendance_record_many). Each row keeps what was typed and its errors."""

    def __init__(self, data=None, *, schools, recorded: dict, begun: bool):
        self.rows = [
            (school, recorded.get(school.pk), _attendance_row(data, school, recorded, begun))
            for school in schools
        ]

    def is_valid(self) -> bool:
        # Every row is cleaned, not only up to the first refused: each shows its errors.
        valid = [form.is_valid() for _school, _record, form in self.rows]
        return all(valid)

    def changes(self) -> list[tuple[School, dict]]:
        """The rows to record: those given a status that differ from what is recorded."""
        return [
            (school, form.cleaned_data)
            for school, _record, form in self.rows
            if form.cleaned_data["status"] and form.has_changed()
        ]

    def refuse(self, by_school: dict) -> None:
        """Put each school's refusal on its row."""
        for school, _record, form in self.rows:
            if school.pk in by_school:
                add_service_errors(form, by_school[school.pk])

    def refused(self) -> list[School]:
        return [school for school, _record, form in self.rows if form.errors]


def _attendance_row(data, school, recorded: dict, begun: bool) -> AttendanceForm:
    record = recorded.get(school.pk)
    initial = {}
    if record:
        initial = {
            "status": record.status,
            "reason": record.reason,
            "proxy_name": record.proxy_name,
        }
    return AttendanceForm(
        data,
        prefix=f"attend-{school.pk}",
        initial=initial,
        school=school.name,
        recorded=bool(record),
        begun=begun,
    )


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Motion"), max_length=200)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ResolutionKind.choices)
    charter_text = forms.CharField(
        label=_("Charter text adopted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a charter motion only: the whole text the group adopts."),
    )
    school = forms.TypedChoiceField(
        label=_("School to expel"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "For an expulsion motion only; give the grounds in the text. Passed, the school "
            "leaves the group the day after the meeting and may not join it again."
        ),
    )

    def __init__(self, *args, schools: list[School], **kwargs):
        """`schools`: those an expulsion motion may name, the meeting's roll drawn already."""
        super().__init__(*args, **kwargs)
        self.schools = {school.pk: school for school in schools}
        self.fields["school"].choices = [("", _("Choose the school to expel"))] + [
            (school.pk, school.name) for school in schools
        ]
        for field, kind in (
            ("charter_text", ResolutionKind.CHARTER),
            ("school", ResolutionKind.EXPULSION),
        ):
            self.fields[field].widget.attrs["data-shown-when"] = shown_when(self, "kind", kind)

    def clean_school(self) -> School | None:
        pk = self.cleaned_data["school"]
        return None if pk is None else self.schools[pk]


class ResolutionForm(forms.Form):
    resolution = forms.IntegerField(widget=forms.HiddenInput)


class VoteForm(ResolutionForm):
    choice = forms.ChoiceField(label=_("Vote"), choices=Choice.choices)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), error_messages={"required": _("Choose a file to upload.")}
    )


class MeetingSearchForm(SearchForm):
    """The council page's meeting filters; a value it does not know is shown as an error and
    left out of the search, never a server error."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *MeetingKind.choices],
        widget=forms.Select(attrs={"aria-label": _("Kind")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *MeetingStatus.choices],
        widget=forms.Select(attrs={"aria-label": _("Status")}),
    )


class ActionItemSearchForm(SearchForm):
    """The council page's open-item filters, named apart from the meeting search's."""

    item_q = forms.CharField(label=_("Search"), max_length=100, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ActionItemForm(forms.Form):
    """One form under all of a meeting's passed resolutions: the owner lists, which can run to
    a thousand people in a large group, are written into the page once."""

    resolution = forms.ModelChoiceField(
        label=_("Resolution"), queryset=Resolution.objects.none(), empty_label=None
    )
    description = forms.CharField(label=_("What"), max_length=300)
    owner_school = forms.ModelChoiceField(
        label=_("Owner school"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("No owner school"),
    )
    owner_person = forms.ModelChoiceField(
        label=_("Owner person"),
        queryset=Staff.objects.none(),
        required=False,
        help_text=_("Name the owner school, the owner person, or both."),
        widget=PEOPLE_PICKER,
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, resolutions, schools, people, **kwargs):
        """`people` None: the user may name no one but themselves (an officer who sees only
        their own record), so the form names a school only, and says so."""
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions
        self.fields["owner_school"].queryset = schools
        # Read once, when the form is drawn (as _people_choices says).
        self.fields["resolution"].choices = cache(lambda: [(r.pk, str(r)) for r in resolutions])
        if people is None:
            del self.fields["owner_person"]
            self.fields["owner_school"].help_text = _(
                "Name the owner school; the school names the person in charge."
            )
            return
        self.fields["owner_person"].queryset = people
        self.fields["owner_person"].choices = _people_choices(people, _("No owner person"))


def _people_choices(people, empty_label):
    """A member school's staff, grouped by school, read once when the select is drawn (a select
    reads its choices twice: the first for the required attribute), after the empty choice
    worded for its field."""
    return cache(lambda: [("", empty_label), *_by_school(people)])


def _by_school(people) -> list[tuple[str, list]]:
    # Iterated as given: the people selectors join the school already, and a list the view
    # has read (to see whom it holds) is not read again.
    groups: dict[str, list] = {}
    for person in people:
        groups.setdefault(person.school.name, []).append((person.pk, str(person)))
    return list(groups.items())


class SeatEndForm(forms.Form):
    last_day = forms.DateField(label=_("Last day"), required=False, widget=DATE)


class SeatForm(forms.Form):
    """Seat a school leader on the council; the term ends by the group's rule unless given."""

    # No role chosen for the officer: a default 理事长 slipped through unnoticed.
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *SeatRole.choices])
    holder = forms.ModelChoiceField(
        label=_("Holder"),
        queryset=Staff.objects.none(),
        widget=PEOPLE_PICKER,
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for the group's term of %(years)s years."),
    )

    def __init__(self, *args, people, term_years: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = people
        self.fields["holder"].choices = _people_choices(people, _("Choose a person"))
        self.fields["ends_on"].help_text %= {"years": term_years}


class ProgressForm(forms.Form):
    note = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the progress.")},
    )
    done = forms.BooleanField(label=_("Mark as done"), required=False)


class QuarterForm(forms.Form):
    """Which quarter the quarterly report covers: the current one unless another is asked for,
    and not one that has yet to begin."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
    )
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int)

    def __init__(self, data, *, today: datetime.date):
        current = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
        super().__init__(current | data.dict(), auto_id="report-%s")
        # Built here, in the request's language: "Q%(q)s" reads 第%(q)s季度 in Chinese.
        self.fields["quarter"].choices = [(q, gettext("Q%(q)s") % {"q": q}) for q in range(1, 5)]
        self.today = today

    def clean(self):
        data = super().clean()
        if "year" in data and "quarter" in data and self.period()[0] > self.today:
            raise forms.ValidationError(_("This quarter has not begun yet."), code="future")
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The quarter's first and last day."""
        year, quarter = self.cleaned_data["year"], self.cleaned_data["quarter"]
        first = datetime.date(year, 3 * quarter - 2, 1)
        after = datetime.date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
        return first, after - datetime.timedelta(days=1)
