from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import AttendanceStatus, Choice, MeetingKind, ResolutionKind

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LOCAL_DATETIME)
    place = forms.CharField(label=_("Place"), required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    host_school = forms.ModelChoiceField(label=_("Host school"), queryset=None, required=False)
    invited_schools = forms.ModelMultipleChoiceField(
        label=_("Invited schools"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every member school is invited."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line, in order."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_school"].queryset = schools
        self.fields["invited_schools"].queryset = schools


class AttendanceForm(forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("Reason for absence"), required=False)
    proxy_name = forms.CharField(label=_("Proxy"), required=False)


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Motion"), max_length=200)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ResolutionKind.choices)
    charter_text = forms.CharField(
        label=_("Charter text adopted"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolutionForm(forms.Form):
    resolution = forms.IntegerField(widget=forms.HiddenInput)


class VoteForm(ResolutionForm):
    choice = forms.ChoiceField(label=_("Vote"), choices=Choice.choices)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))
