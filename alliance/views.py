from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.messages.views import SuccessMessageMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import charts, selectors
from alliance.accounts import TokensEndWithPassword
from alliance.forms import GroupSearchForm
from alliance.todo import todo_card
from governance.cadence import cadence_report
from governance.selectors import seat_held_by
from members.models import CURRENT_STATUSES
from members.roles import viewer_for
from members.selectors import (
    membership_history,
    memberships_visible_to,
    open_application_of,
    schools_visible_to,
    staff_visible_to,
)
from members.services import membership_may_apply

PAGE_SIZE = 25
HOME_GROUPS = 10  # the rest are a click away, on the group list


def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)


@login_required
def home(request):
    viewer = viewer_for(request.user)
    # The signed-in staff member's record was read with their roles; the bureau's roles come
    # from a permission, so a bureau login linked to a staff record is looked up.
    own_staff = viewer.staff
    if viewer.is_bureau:
        own_staff = staff_visible_to(request.user).filter(user=request.user, is_active=True).first()
    groups, groups_in_all = selectors.first_rows(
        selectors.group_list(user=request.user), HOME_GROUPS
    )
    return render(
        request,
        "dashboard/home.html",
        {
            "viewer": viewer,
            "own_staff": own_staff,
            "seat": _seat_of(request.user, viewer, groups),
            "groups": groups,
            "groups_in_all": groups_in_all,
            "todo": todo_card(request.user, groups),
            **_next_step_without_a_group(request.user, viewer),
        },
    )


def _seat_of(user, viewer, groups: list):
    """The council seat the user holds (秘书长 of which group), its group taken from those the
    page lists already: a secretary's post (中层干部) alone does not lead to the council."""
    seat = seat_held_by(user) if viewer.staff else None
    if seat is not None:
        seat.group = next((g for g in groups if g.pk == seat.group_id), None) or seat.group
    return seat


def _next_step_without_a_group(user, viewer) -> dict:
    """A principal whose school is in no group is told where its application stands, or
    offered to apply: the empty group list alone leaves them nowhere to go."""
    if not viewer.is_principal or viewer.group_ids:
        return {}
    application = open_application_of(viewer.school_id)
    may_apply = application is None and membership_may_apply(user, viewer.staff.school)
    return {"open_application": application, "may_apply": may_apply}


@login_required
def group_list(request):
    search = GroupSearchForm(request.GET)
    filters = search.filters()
    groups = selectors.group_list(user=request.user, filters=filters)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    viewer = viewer_for(request.user)
    # A search over no group at all is no use: the empty state then says what to do instead.
    sees_groups = bool(page.object_list) or (
        bool(filters) and selectors.group_list(user=request.user).exists()
    )
    return render(
        request,
        "dashboard/group_list.html",
        {
            "page": page,
            "search": search,
            "filtered": bool(filters) and sees_groups,
            "sees_groups": sees_groups,
            "viewer": viewer,
            **(_next_step_without_a_group(request.user, viewer) if not sees_groups else {}),
        },
    )


@login_required
def group_detail(request, pk: int):
    group = get_object_or_404(selectors.group_list(user=request.user), pk=pk)
    today = timezone.localdate()
    members = selectors.group_member_summary(group=group)
    # Chairs and the bureau also see applications and former members; others the aggregate only.
    # They pile up over the years: newest first, a page at a time.
    history = Paginator(
        memberships_visible_to(request.user)
        .filter(group=group)
        .exclude(status__in=CURRENT_STATUSES)
        .order_by("-applied_on", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("history"))
    # A school is linked only when its page would open: a former member's may not.
    named = {row["school"].pk for row in members} | {m.school_id for m in history}
    visible_school_ids = set(
        schools_visible_to(request.user).filter(pk__in=named).values_list("pk", flat=True)
    )
    member_count = sum(1 for row in members if not row["is_lead"])
    series = membership_history(group=group, until=group.dissolved_on or today)
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
            "member_count": member_count,
            "membership_changes": _changes(series),
            "membership_chart": charts.step_chart(
                series,
                limit=group.member_cap,
                limit_label=_("Cap %(cap)s") % {"cap": group.member_cap},
            ),
            "cadence": cadence_report(group=group, today=today),
        },
    )


def _changes(series: list[tuple]) -> list[tuple]:
    """The days a count changed, for the table under its chart (not the repeat for today)."""
    rows = []
    for day, count in series:
        if not rows or rows[-1][1] != count:
            rows.append((day, count))
    return rows


class OwnPasswordForm(TokensEndWithPassword, PasswordChangeForm):
    pass


class PasswordChange(SuccessMessageMixin, auth_views.PasswordChangeView):
    form_class = OwnPasswordForm
    success_url = reverse_lazy("dashboard:home")
    success_message = gettext_lazy("Your password was changed.")


class Logout(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Stored in a cookie: the session this would have gone into has just ended.
        messages.info(request, _("You have logged out."))
        return response
