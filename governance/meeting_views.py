"""Meeting pages: schedule, then on one page record attendance, vote, decide and take minutes.

Each POST runs one service; a broken rule comes back as a message on the meeting page and
changes nothing. Who may do what is the services' decision; the page only hides what a viewer
cannot use.
"""

import re
from collections.abc import Callable
from functools import partial

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from alliance.selectors import groups_visible_to
from alliance.service_forms import add_service_errors
from governance import forms, selectors, services
from governance.models import (
    COUNTED_PRESENT,
    ActionItem,
    Attendance,
    MeetingStatus,
    Outcome,
    ProgressNote,
    Resolution,
    Vote,
)
from members.models import School
from members.roles import viewer_for
from members.selectors import member_school_ids_on, staff_in_post_visible_to

# What an action of the meeting page is: its form, the service run on the form's data, and
# the message shown when it succeeds.
Action = tuple[django_forms.Form, Callable[..., object], str]


@login_required
def meeting_new(request, pk: int):
    group = get_object_or_404(groups_visible_to(request.user), pk=pk)
    if not services.meeting_may_schedule(request.user, group):
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
    return _meeting_page(request, pk)


def _meeting_page(request, pk: int, refused: dict[str, django_forms.Form] | None = None):
    """The meeting page. `refused` holds a form the services turned down, by its name in the
    template: it is drawn again with what was typed and each error beside its field."""
    votes = Vote.objects.select_related("school")
    notes = ProgressNote.objects.select_related("by")
    action_items = ActionItem.objects.select_related(*OWNERS).prefetch_related(
        Prefetch("notes", queryset=notes)
    )
    meeting = get_object_or_404(
        selectors.meetings_visible_to(request.user).prefetch_related(
            "agenda",
            "attachments",
            "invited_schools",
            "invited_people",
            Prefetch("attendance", queryset=Attendance.objects.select_related("school", "person")),
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.select_related("school").prefetch_related(
                    Prefetch("votes", queryset=votes),
                    Prefetch("action_items", queryset=action_items),
                ),
            ),
        ),
        pk=pk,
    )
    viewer = viewer_for(request.user)
    runs_council = selectors.runs_council(request.user, group_id=meeting.group_id)
    passed = [r for r in meeting.resolutions.all() if r.outcome == Outcome.PASSED]
    members, recorded = _attendance_roll(meeting)
    voting_school = _voting_school(viewer, recorded, members)
    if voting_school is not None:
        for resolution in meeting.resolutions.all():
            resolution.own_vote = next(
                (v for v in resolution.votes.all() if v.school_id == voting_school.pk), None
            )
    if runs_council:
        # Beside "count the votes": who of those present has voted, who has not yet.
        present = [
            s for s in members if s.pk in recorded and recorded[s.pk].status in COUNTED_PRESENT
        ]
        for resolution in meeting.resolutions.all():
            waiting = selectors.schools_yet_to_vote(resolution=resolution, present=present)
            resolution.present, resolution.voted = present, len(present) - len(waiting)
            resolution.waiting = [school.name for school in waiting]
    begun = meeting.has_begun
    # Until a school is recorded present, its officers may still move the meeting or call it off.
    movable = (
        runs_council
        and meeting.status == MeetingStatus.SCHEDULED
        and not any(record.status in COUNTED_PRESENT for record in recorded.values())
    )
    context = {
        "meeting": meeting,
        "agenda_numbers_itself": _numbers_itself(meeting.agenda.all()),
        "begun": begun,
        # One form for the whole table while attendance can change (until the meeting closes);
        # a refused one is drawn again as it was sent.
        "attendance_sheet": forms.AttendanceSheet(schools=members, recorded=recorded, begun=begun)
        if runs_council and meeting.status == MeetingStatus.SCHEDULED
        else None,
        "runs_council": runs_council,
        # What passes a motion, said beside the votes: 1 yes of 4 present can be a majority.
        "rule": selectors.policy_for(meeting.group) if meeting.resolutions.all() else None,
        "voting_school": voting_school,
        # A member school's principal whose school is not (yet) recorded present.
        "may_not_vote": voting_school is None
        and viewer.is_principal
        and viewer.school_id in {s.pk for s in members},
        # Officers and member principals put motions, while the meeting is on.
        "motion_form": forms.MotionForm(schools=_expellable(meeting, members))
        if meeting.status == MeetingStatus.SCHEDULED
        and services.meeting_may_schedule(request.user, meeting.group, runs_council=runs_council)
        else None,
        "reschedule_form": forms.RescheduleForm(
            schools=members,
            initial={
                "starts_at": timezone.localtime(meeting.starts_at),
                "place": meeting.place,
                "online_link": meeting.online_link,
                "host_school": meeting.host_school_id,
            },
        )
        if movable
        else None,
        "cancel_form": forms.CancelMeetingForm() if movable else None,
        "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes}),
        "action_form": _action_item_form(request, meeting, initial={"resolution": passed[-1]})
        if runs_council and passed
        else None,
    }
    # Drawn again after a refused POST, the page is still the meeting's: the language switch
    # comes back here, not to the action's POST-only address.
    context["page_path"] = reverse("dashboard:meeting-detail", args=[meeting.pk])
    context |= refused or {}
    sheet = context["attendance_sheet"]
    # Each school: what is recorded, and its row of the form where attendance can change.
    context["rows"] = (
        sheet.rows if sheet else [(school, recorded.get(school.pk), None) for school in members]
    )
    return render(request, "governance/meeting_detail.html", context)


OWNERS = ("owner_school", "owner_person")

# An agenda typed with its own numbers ("一、审议计划", "2. 经费", "（三）其他"): the page's list
# then draws none of its own, or it would read "1. 一、审议计划". A number needs its mark after
# it, so "2026年工作计划" and "十一月工作" are not taken for one.
OWN_NUMBER = re.compile(
    r"\s*(?:(?:[一二三四五六七八九十]+|\d+)(?:[、．]|\.(?!\d))|[（(](?:[一二三四五六七八九十]+|\d+)[)）])"
)


def _numbers_itself(agenda) -> bool:
    """Whether every item of the agenda starts with a number of its own."""
    items = list(agenda)
    return bool(items) and all(OWN_NUMBER.match(item.title) for item in items)


def _voting_school(viewer, recorded: dict, members) -> School | None:
    """The principal's school, when it is a member recorded present (or by proxy): the only
    schools whose votes count (services.vote_cast)."""
    record = recorded.get(viewer.school_id) if viewer.is_principal else None
    if record is None or record.status not in COUNTED_PRESENT:
        return None
    return next((school for school in members if school.pk == viewer.school_id), None)


def _action_item_form(request, meeting, data=None, **kwargs) -> forms.ActionItemForm:
    """Under which passed resolution, and who owns it: today's member schools, and those of
    their staff in post whom the user may see (an officer who is not the chair names another
    school's people through the school)."""
    members = member_school_ids_on(group=meeting.group, day=timezone.localdate())
    people = staff_in_post_visible_to(request.user, school_ids=members)
    # Read here, once (the form's list reuses what was read): a list holding no one but the
    # user is no choice, and the form then names a school only.
    if all(person.user_id == request.user.pk for person in people):
        people = None
    return forms.ActionItemForm(
        data,
        resolutions=Resolution.objects.filter(meeting=meeting, outcome=Outcome.PASSED),
        schools=School.objects.filter(pk__in=members).order_by("code"),
        people=people,
        **kwargs,
    )


def _attend(request, meeting):
    """The attendance table, sent as one form: every row it changes is recorded, or (a row
    refused) none, and the table comes back as sent, each refusal at its row."""
    members, recorded = _attendance_roll(meeting)
    sheet = forms.AttendanceSheet(
        request.POST, schools=members, recorded=recorded, begun=meeting.has_begun
    )
    back = reverse("dashboard:meeting-detail", args=[meeting.pk]) + "#attendance"
    if sheet.is_valid():
        changes = sheet.changes()
        if not changes:
            messages.info(request, _("No attendance was changed."))
            return redirect(back)
        try:
            services.attendance_record_many(meeting=meeting, records=changes, by=request.user)
        except services.AttendanceRefused as refusal:
            sheet.refuse(refusal.by_school)
        except ValidationError as error:  # about the meeting (closed meanwhile), not a row
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect(back)
    # The rows with errors may be screens below the message: it names their schools, and the
    # page opens at the first (static/js/attendance.js, from the form's data-first-error).
    schools = [school.name for school in sheet.refused()]
    messages.error(
        request,
        _("No attendance was recorded: see the rows of %(schools)s.")
        % {"schools": pgettext("between schools", ", ").join(schools)},
    )
    return _meeting_page(request, meeting.pk, {"attendance_sheet": sheet})


def _attendance_roll(meeting) -> tuple[QuerySet[School], dict[int, Attendance]]:
    """The schools that were members on the meeting's day, and the attendance recorded for each
    by school: the table the page draws and the one form records."""
    members = selectors.schools_on_meeting_day(meeting)
    return members, {a.school_id: a for a in meeting.attendance.all()}


def _expellable(meeting, members) -> list[School]:
    """The schools an expulsion motion may name: the meeting's roll, the lead school left out."""
    return [school for school in members if school.pk != meeting.group.lead_school_id]


def _propose(request, meeting) -> Action:
    return (
        forms.MotionForm(
            request.POST, schools=_expellable(meeting, selectors.schools_on_meeting_day(meeting))
        ),
        partial(services.resolution_propose, meeting=meeting, by=request.user),
        _("The motion was put to the vote."),
    )


def _vote(request, meeting) -> Action:
    staff = viewer_for(request.user).staff
    if staff is None:
        raise PermissionDenied

    def cast(*, resolution: int, choice: str):
        resolution = get_object_or_404(meeting.resolutions, pk=resolution)
        services.vote_cast(
            resolution=resolution, school=staff.school, choice=choice, by=request.user
        )

    return forms.VoteForm(request.POST), cast, _("Your school's vote was recorded.")


def _decide(request, meeting) -> Action:
    def decide(*, resolution: int):
        resolution = get_object_or_404(meeting.resolutions, pk=resolution)
        services.resolution_decide(resolution=resolution, by=request.user)

    return forms.ResolutionForm(request.POST), decide, _("The votes were counted.")


def _close(request, meeting) -> Action:
    return (
        django_forms.Form(request.POST),
        partial(services.meeting_close, meeting=meeting, by=request.user),
        _("The meeting was closed."),
    )


def _reschedule(request, meeting) -> Action:
    return (
        forms.RescheduleForm(request.POST, schools=selectors.schools_on_meeting_day(meeting)),
        partial(services.meeting_reschedule, meeting=meeting, by=request.user),
        _("The meeting's time, place and host school were saved."),
    )


def _cancel(request, meeting) -> Action:
    return (
        forms.CancelMeetingForm(request.POST),
        partial(services.meeting_cancel, meeting=meeting, by=request.user),
        _("The meeting was cancelled."),
    )


def _minutes(request, meeting) -> Action:
    return (
        forms.MinutesForm(request.POST),
        partial(services.minutes_record, meeting=meeting, by=request.user),
        _("The minutes were saved."),
    )


def _approve(request, meeting) -> Action:
    return (
        django_forms.Form(request.POST),
        partial(services.minutes_approve, meeting=meeting, by=request.user),
        _("The minutes were approved."),
    )


def _attach(request, meeting) -> Action:
    return (
        forms.AttachmentForm(request.POST, request.FILES),
        lambda *, file: services.attachment_add(meeting=meeting, upload=file, by=request.user),
        _("The file was attached."),
    )


def _action_item(request, meeting) -> Action:
    # The service's own rule, asked before the form: a refusal is 403, not a form error.
    if not selectors.runs_council(request.user, group_id=meeting.group_id):
        raise PermissionDenied
    return (
        _action_item_form(request, meeting, request.POST),
        partial(services.action_item_add, by=request.user),
        _("The action item was added."),
    )


ACTIONS: dict[str, Callable[..., Action]] = {
    "attach": _attach,
    "propose": _propose,
    "vote": _vote,
    "decide": _decide,
    "close": _close,
    "reschedule": _reschedule,
    "cancel": _cancel,
    "minutes": _minutes,
    "approve": _approve,
    "action-item": _action_item,
}

# The forms people type into: when refused, they come back filled in, under these names, if
# the page still draws them (a motion only while the meeting is on, minutes until approved).
REDRAWN = {
    "propose": ("motion_form", lambda meeting: meeting.status == MeetingStatus.SCHEDULED),
    "reschedule": ("reschedule_form", lambda meeting: meeting.status == MeetingStatus.SCHEDULED),
    "cancel": ("cancel_form", lambda meeting: meeting.status == MeetingStatus.SCHEDULED),
    "minutes": ("minutes_form", lambda meeting: meeting.status != MeetingStatus.APPROVED),
    "action-item": ("action_form", lambda meeting: True),
}


def _resolution_anchor(form, result) -> str:
    # The id as sent: still there when a rule refused the field.
    pk = forms.posted_id(form.data.get("resolution"))
    return f"resolution-{pk}" if pk is not None else "resolutions"


# Where on the meeting page an action's answer opens: the resolution voted on or counted, the
# minutes, the new action item; on a phone these are screens below the top. The
# ids are linked to from the dashboard's to-do card too (#resolution-<pk>, #minutes): keep
# them. (The attendance table, sent as one form, opens at #attendance: _attend.)
ANCHORS: dict[str, Callable[[django_forms.Form, object], str]] = {
    "attach": lambda form, result: "documents",
    "propose": lambda form, result: f"resolution-{result.pk}" if result else "resolutions",
    "vote": _resolution_anchor,
    "decide": _resolution_anchor,
    "close": lambda form, result: "minutes",
    "minutes": lambda form, result: "minutes",
    "approve": lambda form, result: "minutes",
    # The new item, in its resolution's list of action items.
    "action-item": lambda form, result: f"action-item-{result.pk}" if result else "add-action-item",
}


@login_required
def meeting_act(request, pk: int, action: str):
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    if action not in ACTIONS and action != "attend":
        raise Http404  # before the method check: a mistyped address is "not found", not a 405
    if request.method != "POST":
        return _posts_only(request, meeting)
    if action == "attend":
        return _attend(request, meeting)
    form, service, done = ACTIONS[action](request, meeting)
    saved, result = _run(form, service)
    back = reverse("dashboard:meeting-detail", args=[meeting.pk])
    if action in ANCHORS:
        back += "#" + ANCHORS[action](form, result if saved else None)
    if saved:
        messages.success(request, done)
        return redirect(back)
    meeting.refresh_from_db(fields=["status"])  # the service may have found it changed
    name, drawn = REDRAWN.get(action, (None, None))
    if name and drawn(meeting):
        # Worded as the dashboard's forms say it (dashboard/_form_errors.html): one refusal,
        # one sentence; here a message, since the form may be screens below the top.
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return _meeting_page(request, meeting.pk, {name: form})
    _flash_errors(request, form)
    return redirect(back)


def _posts_only(request, meeting):
    """A GET of an action's address still changes nothing (405), but shows the meeting rather
    than a blank page: the address bar keeps that address after a refused form is redrawn."""
    response = _meeting_page(request, meeting.pk)
    response.status_code = 405
    response["Allow"] = "POST"
    return response


def _run(form, service) -> tuple[bool, object]:
    """Run the service on the form's data; a broken rule lands on the form. Whether it was
    saved, and what the service returned."""
    if not form.is_valid():
        return False, None
    try:
        result = service(**form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False, None
    return True, result


def _flash_errors(request, form) -> None:
    """Each error as a message, named by its field: for the one-click forms (a vote, a count)
    and those the page no longer draws."""
    for name, errors in form.errors.items():
        for text in errors:
            if name not in form.fields or form.fields[name].widget.is_hidden:
                messages.error(request, text)
            else:
                label = form[name].label
                messages.error(request, _("%(field)s: %(error)s") % {"field": label, "error": text})


@login_required
@require_POST
def action_item_progress(request, pk: int):
    """The owner or an officer notes progress on an open action item, or closes it."""
    item = get_object_or_404(selectors.action_items_visible_to(request.user), pk=pk)
    if not services.action_item_may_report(request.user, item):
        raise PermissionDenied
    form = forms.ProgressForm(request.POST)
    council = reverse("dashboard:council", args=[item.resolution.meeting.group_id])
    saved, _result = _run(form, partial(services.action_item_progress, item=item, by=request.user))
    if saved:
        done = form.cleaned_data["done"]
        messages.success(
            request,
            _("The action item was marked done.") if done else _("The progress was recorded."),
        )
        return redirect(f"{council}#action-items")
    _flash_errors(request, form)
    # The row this form was on may be gone (the item closed meanwhile): what was typed is
    # given back in the message rather than lost.
    if note := form.data.get("note", "").strip():
        messages.info(request, _("Your note, not saved: %(note)s") % {"note": note})
    # Back at the item's row, on its page of the list, its form open again.
    return redirect(f"{council}?item={item.pk}&report=open#item-{item.pk}")
