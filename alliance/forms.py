from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.models import GroupMode, GroupStatus

# A date picker; the value written as the browser's date input reads it, whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def shown_when(form: forms.Form, field: str, value: str) -> str:
    """The `data-shown-when` of a box that matters only while `field` of `form` is `value`:
    static/js/shown-when.js shows it then, and neither shows nor sends it otherwise."""
    return f"{form.add_prefix(field)}={value}"


class SearchForm(forms.Form):
    """A list's filters, read from the query string: a value the form does not know is left
    out of the search, as if the filter were not set."""

    def filters(self) -> dict:
        """The valid filters given, empty ones left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class GroupSearchForm(SearchForm):
    """The group list's filters."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    mode = forms.ChoiceField(
        label=_("Mode"),
        required=False,
        choices=[("", _("All modes")), *GroupMode.choices],
        widget=forms.Select(attrs={"aria-label": _("Mode")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *GroupStatus.choices],
        widget=forms.Select(attrs={"aria-label": _("Status")}),
    )
