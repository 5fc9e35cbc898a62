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

from alliance.service_forms import add_service_errors
from members import forms, selectors, services
from members.models import MembershipEvent, MembershipStatus
from members.roles import viewer_for

PAGE_SIZE = 25

# Page action name -> (form, service, message shown after it succeeded).
ACTIONS = {
    "approve": (
        forms.ApproveForm,
        services.membership_approve,
        gettext_lazy("approved"),
    ),
    "reject": (forms.ReasonForm, services.membership_reject, gettext_lazy("rejected")),
    "cancel": (
        forms.CancelForm,
        services.membership_cancel,
        gettext_lazy("application withdrawn"),
    ),
    "warn": (forms.WarnForm, services.membership_warn, gettext_lazy("warned")),
    "withdraw": (
        forms.WithdrawForm,
        services.membership_withdraw,
        gettext_lazy("withdrawn"),
    ),
    "expel": (forms.ExpelForm, services.membership_expel, gettext_lazy("expelled")),
}


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
        membership.allowed_actions = services.membership_allowed_actions(
            membership=membership, by=request.user
        )
    return render(
        request,
        "dashboard/school_detail.html",
        {
            "school": school,
            "memberships": memberships,
            "page": Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query,
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
    form_class, service, done = ACTIONS[action]
    form = form_class(request.POST or None)

    def on_valid(data):
        service(membership=membership, by=request.user, **data)
        messages.success(
            request,
            _("%(membership)s: %(done)s.") % {"membership": membership, "done": done},
        )
        return redirect("dashboard:school-detail", pk=membership.school_id)

    title = _("%(school)s in %(group)s") % {
        "school": membership.school,
        "group": membership.group,
    }
    back = reverse("dashboard:school-detail", args=[membership.school_id])
    return _form_page(
        request, form, {"title": title, "action": action, "cancel_url": back}, on_valid
    )


@login_required
def membership_apply(request, school_pk: int):
    school = get_object_or_404(selectors.schools_visible_to(request.user), pk=school_pk)
    if not services.membership_may_apply(request.user, school):
        raise PermissionDenied
    form = forms.ApplyForm(request.POST or None)
    if not viewer_for(request.user).is_bureau:
        del form.fields["override_reason"]  # 000: only the bureau re-admits a school that left

    def on_valid(data):
        services.membership_apply(school=school, by=request.user, **data)
        messages.success(request, _("The application was submitted."))
        return redirect("dashboard:school-detail", pk=school.pk)

    title = school.name  # the heading reads "Apply to join: <school>"
    back = reverse("dashboard:school-detail", args=[school.pk])
    return _form_page(
        request, form, {"title": title, "action": "apply", "cancel_url": back}, on_valid
    )
