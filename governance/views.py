from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance import uploads
from alliance.selectors import groups_visible_to
from alliance.service_forms import add_service_errors
from governance import cadence, exports, forms, selectors, services
from governance.models import Attendance, ProgressNote, Resolution, Vote
from members.selectors import member_school_ids_on, staff_in_post_visible_to

PAGE_SIZE = 20

# What a group's export holds, named for its file and its sheet.
EXPORTS = {"votes": gettext_lazy("Vote results"), "actions": gettext_lazy("Action items")}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def group_export(request, pk: int, what: str, fmt: str):
    """Vote results or action items of a group the user can see, as CSV or Excel."""
    group = get_object_or_404(groups_visible_to(request.user), pk=pk)
    if fmt not in CONTENT_TYPES or what not in EXPORTS:
        raise Http404
    if what == "votes":
        resolutions = (
            selectors.resolutions_visible_to(request.user)
            .filter(meeting__group=group)
            .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("school")))
            .order_by("meeting__starts_at", "id")
        )
        header, rows = exports.vote_table(resolutions)
    else:
        items = (
            selectors.action_items_visible_to(request.user)
            .filter(resolution__meeting__group=group)
            .prefetch_related(Prefetch("notes", queryset=ProgressNote.objects.order_by("at")))
        )
        header, rows = exports.action_table(items)
    name = str(EXPORTS[what])
    if fmt == "csv":
        body = exports.as_csv(header, rows)
    else:
        body = exports.as_xlsx(header, rows, title=name)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"{group.name}-{name}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _items_page(request, group, *, filtered: bool) -> str | int | None:
    """The page of open action items asked for; else, with `?item=` (a to-do card's link),
    the page that item is on in the unfiltered list. The pager keeps `item` in its links, so
    `items` comes first."""
    item = _item_asked(request)
    if filtered or "items" in request.GET or item is None:
        return request.GET.get("items")
    rank = selectors.open_action_item_rank(group=group, item_id=item)
    return 1 if rank is None else rank // PAGE_SIZE + 1


def _exportable(user, group) -> set[str]:
    """Which of the group's exports have something in them: none before a first motion, and
    action items only once one is set (they follow a passed resolution)."""
    if not selectors.resolutions_visible_to(user).filter(meeting__group=group).exists():
        return set()
    items = selectors.action_items_visible_to(user).filter(resolution__meeting__group=group)
    return {"votes", "actions"} if items.exists() else {"votes"}


def _item_asked(request) -> int | None:
    """The open item a link points to (`?item=`: a to-do card's, or a refused progress note's
    way back)."""
    return forms.posted_id(request.GET.get("item"))


@login_required
def council(request, pk: int):
    group = get_object_or_404(groups_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    search = forms.MeetingSearchForm(request.GET)
    filters = search.filters()
    meetings = selectors.meeting_list(user=request.user, group=group, filters=filters)
    officer = selectors.runs_council(request.user, group_id=group.pk)
    item_search = forms.ActionItemSearchForm(request.GET)
    item_filters = item_search.filters()
    open_items = selectors.open_action_items(group=group, filters=item_filters)
    items = Paginator(open_items, PAGE_SIZE).get_page(
        _items_page(request, group, filtered=bool(item_filters))
    )
    members = member_school_ids_on(group=group, day=today)
    items.object_list = [
        (
            item,
            services.action_item_may_report(request.user, item, runs_council=officer),
            _owner_gone(item, members),
        )
        for item in items.object_list
    ]
    attendance = cadence.attendance_rates(group=group, today=today)
    return render(
        request,
        "governance/council.html",
        {
            "group": group,
            "seats": selectors.seats_on(group=group, day=today),
            "charters": group.charter_versions.select_related("resolution"),
            "cadence": cadence.cadence_report(group=group, today=today),
            "attendance": attendance,
            # Before the year's first meeting every school reads "0 / 0": said once instead.
            "attendance_counted": any(row["held"] for row in attendance),
            "attendance_target": cadence.attendance_threshold(),
            "items_page": items,
            # A refused progress note comes back (`&report=open`) with its row's form open.
            "item_reopened": _item_asked(request) if request.GET.get("report") == "open" else None,
            "exportable": _exportable(request.user, group),
            "item_search": item_search,
            "items_filtered": bool(item_filters),
            "today": today,
            "progress_form": forms.ProgressForm(auto_id=False),
            "page": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
            "search": search,
            "filtered": bool(filters),
            "may_schedule": services.meeting_may_schedule(
                request.user, group, runs_council=officer
            ),
            "may_assign_seats": services.seat_may_assign(request.user, group),
        },
    )


def _owner_gone(item, members: set[int]) -> str:
    """Why the owner of an open item can no longer carry it out, or "": the officers then close
    it with a note, or give the work to someone else."""
    person = item.owner_person
    if person is not None and not person.is_active:
        return _("No longer in post")
    if (person.school_id if person else item.owner_school_id) not in members:
        return _("No longer in the group")
    return ""


@login_required
def seat_new(request, pk: int):
    """The chair or the bureau seats a school leader of a member school on the council."""
    group = get_object_or_404(groups_visible_to(request.user), pk=pk)
    if not services.seat_may_assign(request.user, group):
        raise PermissionDenied
    today = timezone.localdate()
    form = forms.SeatForm(
        request.POST or None,
        people=staff_in_post_visible_to(
            request.user, school_ids=member_school_ids_on(group=group, day=today)
        ),
        term_years=selectors.policy_for(group)["seat_term_years"],
        initial={"starts_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_assign(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The council seat was assigned."))
            return redirect(reverse("dashboard:council", args=[group.pk]) + "#seats")
    return render(request, "governance/seat_form.html", {"form": form, "group": group})


@login_required
def quarterly_report(request, pk: int):
    """001: 每季度向县教育局书面汇报理事会议的重大决策内容 — the quarter at a glance."""
    group = get_object_or_404(groups_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    form = forms.QuarterForm(request.GET, today=today)
    if not form.is_valid():
        context = {"group": group, "form": form}
        return render(request, "governance/quarterly.html", context, status=400)
    first, last = form.period()
    # Follow-ups open at the quarter's end, or today for the quarter under way.
    open_on = min(last, today)
    votes = Vote.objects.select_related("school")
    meetings = (
        selectors.meetings_visible_to(request.user)
        .filter(group=group, starts_at__date__range=(first, last))
        .order_by("starts_at")
        .prefetch_related(
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.prefetch_related(Prefetch("votes", queryset=votes)),
            ),
            Prefetch("attendance", queryset=Attendance.objects.select_related("school")),
        )
    )
    return render(
        request,
        "governance/quarterly.html",
        {
            "group": group,
            "form": form,
            "first": first,
            "last": last,
            "meetings": meetings,
            "open_on": open_on,
            "open_items": selectors.open_action_items(group=group, on=open_on),
        },
    )


@login_required
@require_POST
def seat_end(request, pk: int):
    """The chair or the bureau ends a term early, from the council page's list of seats."""
    seat = get_object_or_404(selectors.seats_visible_to(request.user), pk=pk)
    form = forms.SeatEndForm(request.POST)
    back = reverse("dashboard:council", args=[seat.group_id]) + "#seats"
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.seat_end(seat=seat, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(holder)s's term as %(role)s was ended.")
            % {"holder": seat.holder.name, "role": seat.get_role_display()},
        )
    return redirect(back)


@login_required
def attachment_download(request, pk: int):
    """The only way to a stored file: through the meeting's scope, as a download."""
    attachment = get_object_or_404(selectors.attachments_visible_to(request.user), pk=pk)
    return uploads.download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
