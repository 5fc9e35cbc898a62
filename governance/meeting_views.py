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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.selectors import groups_visible_to
from alliance.service_forms import add_service_errors
from governance import forms, selectors, services
from governance.models import Attendance, Resolution, Vote
from members.models import School
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
                queryset=Resolution.objects.prefetch_related(Prefetch("votes", queryset=votes)),
            ),
        ),
        pk=pk,
    )
    viewer = viewer_for(request.user)
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
            "rows": [(school, recorded.get(school.pk)) for school in members],
            "runs_council": selectors.runs_council(request.user, group_id=meeting.group_id),
            "voting_school": viewer.staff.school
            if viewer.is_principal and viewer.school_id in {s.pk for s in members}
            else None,
            "attendance_form": forms.AttendanceForm(),
            "motion_form": forms.MotionForm(),
            "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes}),
        },
    )


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
