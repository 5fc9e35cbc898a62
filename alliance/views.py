from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from alliance import selectors
from members.models import CURRENT_STATUSES
from members.roles import viewer_for
from members.selectors import (
    memberships_visible_to,
    schools_visible_to,
    staff_visible_to,
)

PAGE_SIZE = 25


@login_required
def home(request):
    viewer = viewer_for(request.user)
    own_staff = staff_visible_to(request.user).filter(user=request.user).first()
    groups = selectors.group_list(user=request.user)[:PAGE_SIZE]
    return render(
        request,
        "dashboard/home.html",
        {"viewer": viewer, "own_staff": own_staff, "groups": groups},
    )


@login_required
def group_list(request):
    query = request.GET.get("q", "").strip()
    groups = selectors.group_list(user=request.user)
    if query:
        groups = groups.filter(Q(name__icontains=query) | Q(lead_school__name__icontains=query))
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/group_list.html", {"page": page, "query": query})


@login_required
def group_detail(request, pk: int):
    group = get_object_or_404(selectors.group_list(user=request.user), pk=pk)
    members = selectors.group_member_summary(group=group)
    visible_school_ids = set(
        schools_visible_to(request.user)
        .filter(pk__in=[row["school"].pk for row in members])
        .values_list("pk", flat=True)
    )
    # Chairs and the bureau also see applications and former members; others the aggregate only.
    history = (
        memberships_visible_to(request.user)
        .filter(group=group)
        .exclude(status__in=CURRENT_STATUSES)
    )
    return render(
        request,
        "dashboard/group_detail.html",
        {
            "group": group,
            "members": members,
            "visible_school_ids": visible_school_ids,
            "history": history,
            "totals": {
                key: sum(row[key] for row in members)
                for key in ("total", "backbone", "famous", "leaders")
            },
            "viewer": viewer_for(request.user),
            # Counted as the cap counts them: besides the lead school.
            "member_count": sum(1 for row in members if not row["is_lead"]),
        },
    )
