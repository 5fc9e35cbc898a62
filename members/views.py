from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.selectors import groups_visible_to
from alliance.service_forms import add_service_errors
from members import forms, selectors, services
from members.models import MembershipEvent, MembershipStatus
from members.roles import viewer_for

PAGE_SIZE = 25


@dataclass(frozen=True)
class Action:
    form: type
    service: Callable
    label: str  # its button, and its form's heading
    done: str  # the message after it succeeded
    danger: bool = False  # the school leaves the group: its buttons say so


ACTIONS = {
    "approve": Action(
        forms.ApproveForm,
        services.membership_approve,
        gettext_lazy("Approve"),
        gettext_lazy("approved"),
    ),
    "reject": Action(
        forms.ReasonForm,
        services.membership_reject,
        gettext_lazy("Reject"),
        gettext_lazy("rejected"),
    ),
    "cancel": Action(
        forms.CancelForm,
        services.membership_cancel,
        gettext_lazy("Withdraw the application"),
        gettext_lazy("application withdrawn"),
    ),
    "warn": Action(
        forms.WarnForm, services.membership_warn, gettext_lazy("Warn"), gettext_lazy("warned")
    ),
    # Not "退出" alone: on a phone's top bar that reads as logging out.
    "withdraw": Action(
        forms.WithdrawForm,
        services.membership_withdraw,
        gettext_lazy("Leave the group"),
        gettext_lazy("withdrawn"),
        danger=True,
    ),
    "expel": Action(
        forms.ExpelForm,
        services.membership_expel,
        gettext_lazy("Expel"),
        gettext_lazy("expelled"),
        danger=True,
    ),
}


def _heading(action: str, subject) -> str:
    # The separator is the language's own: a full-width colon in Chinese.
    return _("%(action)s: %(subject)s") % {"action": action, "subject": subject}


@login_required
def school_detail(request, pk: int):
    school = get_object_or_404(
        selectors.schools_visible_to(request.user).prefetch_related("stages"), pk=pk
    )
    query = request.GET.get("q", "").strip()
    staff = selectors.staff_visible_to(request.user).filter(school=school)
    if query:
        staff = staff.filter(Q(name__icontains=query) | Q(staff_no__icontains=query))
    events = MembershipEvent.objects.select_related("by")
    memberships = list(
        selectors.memberships_visible_to(request.user)
        .filter(school=school)
        .prefetch_related(Prefetch("events", queryset=events))
    )
    for membership in memberships:
        allowed = services.membership_allowed_actions(membership=membership, by=request.user)
        membership.actions = [(name, ACTIONS[name]) for name in allowed]
        membership.to_council = services.membership_expulsion_goes_to_council(
            membership=membership, by=request.user
        )
    # A group is linked only when its page would open: one the school left may not (one query).
    group_ids = {membership.group_id for membership in memberships}
    linked_group_ids = (
        set(groups_visible_to(request.user).filter(pk__in=group_ids).values_list("pk", flat=True))
        if group_ids
        else set()
    )
    return render(
        request,
        "dashboard/school_detail.html",
        {
            "school": school,
            "memberships": memberships,
            "linked_group_ids": linked_group_ids,
            "page": Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query,
            "staff_partly_hidden": selectors.school_staff_partly_hidden(request.user, school),
            # One group at a time, one open application at a time (members.services).
            "can_apply": services.membership_may_apply(request.user, school)
            and not any(
                membership.is_current or membership.status == MembershipStatus.APPLIED
                for membership in memberships
            ),
        },
    )


def _form_page(request, form, template_context, on_valid):
    """Run a service from a valid form; its ValidationError becomes form errors, nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            return on_valid(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "dashboard/form.html", {"form": form, **template_context})


@login_required
def membership_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    membership = get_object_or_404(selectors.memberships_visible_to(request.user), pk=pk)
    if request.method == "GET" and action not in services.membership_allowed_actions(
        membership=membership, by=request.user
    ):
        raise PermissionDenied  # no form for an action the viewer cannot take now
    chosen = ACTIONS[action]
    form = chosen.form(request.POST or None)

    def on_valid(data):
        chosen.service(membership=membership, by=request.user, **data)
        messages.success(
            request,
            _("%(membership)s: %(done)s.") % {"membership": membership, "done": chosen.done},
        )
        return redirect("dashboard:school-detail", pk=membership.school_id)

    title = _("%(school)s in %(group)s") % {
        "school": membership.school,
        "group": membership.group,
    }
    back = reverse("dashboard:school-detail", args=[membership.school_id])
    context = {
        "title": title,
        "heading": _heading(chosen.label, title),
        "school": membership.school,
        "here": chosen.label,
        "cancel_url": back,
        "submit_label": chosen.label,
        "danger": chosen.danger,
    }
    return _form_page(request, form, context, on_valid)


@login_required
def membership_apply(request, school_pk: int):
    school = get_object_or_404(selectors.schools_visible_to(request.user), pk=school_pk)
    if not services.membership_may_apply(request.user, school):
        raise PermissionDenied
    groups = services.membership_groups_open_to(school=school, by=request.user)
    here = _("Apply to join a group")
    page = {
        "title": school.name,
        "heading": _heading(here, school.name),
        "school": school,
        "here": here,
        "cancel_url": reverse("dashboard:school-detail", args=[school.pk]),
    }
    if closed := services.membership_apply_closed_reason(school=school, by=request.user):
        # A select holding only its blank choice, and a button that could only fail, say nothing.
        return render(request, "dashboard/form.html", {**page, "closed": closed})
    form = forms.ApplyForm(request.POST or None, groups=selectors.groups_with_member_counts(groups))
    if not viewer_for(request.user).is_bureau:
        del form.fields["override_reason"]  # 000: only the bureau re-admits a school that left

    def on_valid(data):
        services.membership_apply(school=school, by=request.user, **data)
        messages.success(request, _("The application was submitted."))
        return redirect("dashboard:school-detail", pk=school.pk)

    context = {
        **page,
        "intro": _(
            "The education bureau approves or rejects the application. Until it decides, "
            "the school may withdraw it from the school page."
        ),
        "submit_label": _("Submit the application"),
    }
    return _form_page(request, form, context, on_valid)
