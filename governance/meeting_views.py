"""Meeting pages: schedule, then on one page record attendance, vote, decide and take minutes.

Each POST runs one service; a broken rule comes back as a message on the meeting page and
changes nothing. Who may do what is the services' decision; the page only hides what a viewer
cannot use.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.selectors import groups_visible_to
from alliance.service_forms import add_service_errors
from governance import forms, selectors, services
from governance.models import ActionItem, Attendance, Outcome, Resolution, Vote
from members.models import School, Staff
from members.roles import viewer_for
from members.selectors import member_school_ids_on


@login_required
def meeting_new(request, pk: int):
    group = get_object_or_404(groups_visible_to(request.user), pk=pk)
    viewer = viewer_for(request.user)
    if not (
        selectors.runs_council(request.user, group_id=group.pk)
        or (viewer.is_principal and group.pk in viewer.group_ids)
    ):
        raise PermissionDenied
    members = School.objects.filter(
        pk__in=member_school_ids_on(group=group, day=timezone.localdate())
    )
    suggestion = selectors.next_host_suggestion(group=group, kind="council")
    form = forms.MeetingForm(
        request.POST or None, schools=members, initial={"host_school": suggestion}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["agenda"] = [line for line in data["agenda"].splitlines() if line.strip()]
        data["invited_schools"] = list(data["invited_schools"]) or None
        try:
            meeting = services.meeting_schedule(group=group, by=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was scheduled."))
            return redirect("dashboard:meeting-detail", pk=meeting.pk)
    return render(request, "governance/meeting_form.html", {"form": form, "group": group})


@login_required
def meeting_detail(request, pk: int):
    votes = Vote.objects.select_related("school")
    meeting = get_object_or_404(
        selectors.meetings_visible_to(request.user).prefetch_related(
            "agenda",
            "attachments",
            "invited_schools",
            "invited_people",
            Prefetch("attendance", queryset=Attendance.objects.select_related("school", "person")),
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.prefetch_related(
                    Prefetch("votes", queryset=votes),
                    Prefetch("action_items", queryset=ActionItem.objects.select_related(*OWNERS)),
                ),
            ),
        ),
        pk=pk,
    )
    viewer = viewer_for(request.user)
    runs_council = selectors.runs_council(request.user, group_id=meeting.group_id)
    passed = any(r.outcome == Outcome.PASSED for r in meeting.resolutions.all())
    members = School.objects.filter(
        pk__in=member_school_ids_on(
            group=meeting.group, day=timezone.localtime(meeting.starts_at).date()
        )
    )
    recorded = {a.school_id: a for a in meeting.attendance.all()}
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": [
                (school, recorded.get(school.pk), _attendance_form(school, recorded.get(school.pk)))
                for school in members
            ],
            "runs_council": runs_council,
            "voting_school": viewer.staff.school
            if viewer.is_principal and viewer.school_id in {s.pk for s in members}
            else None,
            "motion_form": forms.MotionForm(),
            "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes}),
            "action_form": forms.ActionItemForm(auto_id=False, **_owners(meeting.group))
            if runs_council and passed
            else None,
        },
    )


OWNERS = ("owner_school", "owner_person")


def _owners(group) -> dict:
    """Who may own an action item: today's member schools and their staff in post."""
    members = member_school_ids_on(group=group, day=timezone.localdate())
    return {
        "schools": School.objects.filter(pk__in=members).order_by("code"),
        "people": Staff.objects.filter(school_id__in=members, is_active=True)
        .select_related("school")
        .order_by("school__code", "name"),
    }


def _attendance_form(school, record) -> forms.AttendanceForm:
    """A row's form, showing what is recorded, with ids of its own (one form per school)."""
    initial = {"school": school.pk}
    if record:
        initial.update(status=record.status, reason=record.reason, proxy_name=record.proxy_name)
    return forms.AttendanceForm(initial=initial, auto_id=f"id_attend_{school.pk}_%s")


def _valid(form) -> dict:
    if not form.is_valid():
        raise ValidationError(list(form.errors.values())[0])
    return dict(form.cleaned_data)


def _attend(request, meeting) -> str:
    data = _valid(forms.AttendanceForm(request.POST))
    school = get_object_or_404(School, pk=data.pop("school"))
    services.attendance_record(meeting=meeting, school=school, by=request.user, **data)
    return _("Attendance recorded.")


def _propose(request, meeting) -> str:
    data = _valid(forms.MotionForm(request.POST))
    services.resolution_propose(meeting=meeting, by=request.user, **data)
    return _("The motion was put on the agenda.")


def _vote(request, meeting) -> str:
    data = _valid(forms.VoteForm(request.POST))
    staff = viewer_for(request.user).staff
    if staff is None:
        raise PermissionDenied
    resolution = get_object_or_404(meeting.resolutions, pk=data["resolution"])
    services.vote_cast(
        resolution=resolution, school=staff.school, choice=data["choice"], by=request.user
    )
    return _("Your school's vote was recorded.")


def _decide(request, meeting) -> str:
    data = _valid(forms.ResolutionForm(request.POST))
    resolution = get_object_or_404(meeting.resolutions, pk=data["resolution"])
    services.resolution_decide(resolution=resolution, by=request.user)
    return _("The votes were counted.")


def _close(request, meeting) -> str:
    services.meeting_close(meeting=meeting, by=request.user)
    return _("The meeting was closed.")


def _minutes(request, meeting) -> str:
    data = _valid(forms.MinutesForm(request.POST))
    services.minutes_record(meeting=meeting, minutes=data["minutes"], by=request.user)
    return _("The minutes were saved.")


def _approve(request, meeting) -> str:
    services.minutes_approve(meeting=meeting, by=request.user)
    return _("The minutes were approved.")


def _attach(request, meeting) -> str:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("Choose a file to upload."))
    services.attachment_add(meeting=meeting, upload=upload, by=request.user)
    return _("The file was attached.")


ACTIONS = {
    "attach": _attach,
    "attend": _attend,
    "propose": _propose,
    "vote": _vote,
    "decide": _decide,
    "close": _close,
    "minutes": _minutes,
    "approve": _approve,
}


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    if action not in ACTIONS:
        raise Http404
    try:
        done = ACTIONS[action](request, meeting)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("dashboard:meeting-detail", pk=meeting.pk)


def _submit(request, form, service) -> bool:
    """Run the service on the form's data; else flash each error, named by its field."""
    if form.is_valid():
        try:
            service(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return True
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for text in errors:
            if field is None:
                messages.error(request, text)
            else:
                messages.error(
                    request, _("%(field)s: %(error)s") % {"field": field.label, "error": text}
                )
    return False


@login_required
@require_POST
def action_item_add(request, pk: int):
    """An officer attaches a follow-up to a resolution of the meeting page."""
    resolution = get_object_or_404(selectors.resolutions_visible_to(request.user), pk=pk)
    group = resolution.meeting.group
    # The service's own rule, asked before the form: a refusal is 403, not a form error.
    if not selectors.runs_council(request.user, group_id=group.pk):
        raise PermissionDenied
    form = forms.ActionItemForm(request.POST, **_owners(group))
    if _submit(
        request,
        form,
        lambda **data: services.action_item_add(resolution=resolution, by=request.user, **data),
    ):
        messages.success(request, _("The action item was added."))
    return redirect("dashboard:meeting-detail", pk=resolution.meeting_id)


@login_required
@require_POST
def action_item_progress(request, pk: int):
    """The owner or an officer notes progress on an open action item, or closes it."""
    item = get_object_or_404(selectors.action_items_visible_to(request.user), pk=pk)
    if not services.action_item_may_report(request.user, item):
        raise PermissionDenied
    form = forms.ProgressForm(request.POST)
    if _submit(
        request,
        form,
        lambda **data: services.action_item_progress(item=item, by=request.user, **data),
    ):
        done = form.cleaned_data["done"]
        messages.success(
            request,
            _("The action item was marked done.") if done else _("The progress was recorded."),
        )
    council = reverse("dashboard:council", args=[item.resolution.meeting.group_id])
    return redirect(f"{council}#action-items")
