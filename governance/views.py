from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from alliance.selectors import groups_visible_to
from governance import exports, selectors
from governance.models import ProgressNote, Vote

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def group_export(request, pk: int, what: str, fmt: str):
    """Vote results or action items of a group the user can see, as CSV or Excel."""
    group = get_object_or_404(groups_visible_to(request.user), pk=pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    if what == "votes":
        resolutions = (
            selectors.resolutions_visible_to(request.user)
            .filter(meeting__group=group)
            .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("school")))
            .order_by("meeting__starts_at", "id")
        )
        header, rows = exports.vote_table(resolutions)
    elif what == "actions":
        items = (
            selectors.action_items_visible_to(request.user)
            .filter(resolution__meeting__group=group)
            .prefetch_related(Prefetch("notes", queryset=ProgressNote.objects.order_by("at")))
        )
        header, rows = exports.action_table(items)
    else:
        raise Http404
    if fmt == "csv":
        body = exports.as_csv(header, rows)
    else:
        body = exports.as_xlsx(header, rows, title=what)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="group-{group.pk}-{what}.{fmt}"'
    return response
