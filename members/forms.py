from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.forms import DATE
from alliance.models import SchoolGroup


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The school may apply again later."),
    )


class ApproveForm(forms.Form):
    approved_on = forms.DateField(
        label=_("Approved on"), required=False, widget=DATE, help_text=_("Empty for today.")
    )


class WarnForm(ReasonForm):
    warned_on = forms.DateField(
        label=_("Warned on"), required=False, widget=DATE, help_text=_("Empty for today.")
    )
    field_order = ["warned_on", "reason"]  # the date first, as on the leave form


class ExpelForm(ReasonForm):
    expelled_on = forms.DateField(
        label=_("Expelled on"),
        required=False,
        widget=DATE,
        # 000: as for a school that leaves, said before, not after.
        help_text=_(
            "Empty for today. An expelled school may not join this group again, unless the "
            "education bureau re-admits it."
        ),
    )
    field_order = ["expelled_on", "reason"]  # the date first, as on the leave form


class WithdrawForm(forms.Form):
    notice_on = forms.DateField(label=_("Written notice on"), widget=DATE)
    left_on = forms.DateField(
        label=_("Left on"),
        required=False,
        widget=DATE,
        # 000: 退出后不得再次加入 — said before the school leaves, not after.
        help_text=_(
            "Empty for today. A school that leaves may not join this group again, unless the "
            "education bureau re-admits it."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GroupChoiceField(forms.ModelChoiceField):
    """A group as an applicant weighs it: its mode, its stage and the places still free."""

    def label_from_instance(self, group: SchoolGroup) -> str:
        free = max(group.member_cap - group.member_count, 0)
        places = _("%(free)s of %(cap)s places free") % {"free": free, "cap": group.member_cap}
        stage = group.stage or _("Across stages")
        return f"{group.name} · {group.get_mode_display()} · {stage} · {places}"


class ApplyForm(forms.Form):
    group = GroupChoiceField(
        label=_("Group"),
        queryset=SchoolGroup.objects.none(),
        empty_label=_("Choose a group"),
    )
    applied_on = forms.DateField(label=_("Applied on"), required=False, widget=DATE)
    override_reason = forms.CharField(
        label=_("Re-admission override reason"),
        required=False,
        help_text=_("Only for a school that left this group before (bureau only)."),
    )

    def __init__(self, *args, groups, **kwargs):
        """`groups`: those the school may apply to, with `member_count` (members.selectors)."""
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
