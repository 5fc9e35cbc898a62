"""Admin forms that save through a service, so a broken rule is a form error, not a 500.

The admin wraps each change form in a transaction; the service runs while the form is
cleaned, and its ValidationError lands on the form next to the field it names.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: next to the field it names, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceModelForm(forms.ModelForm):
    by = None  # the signed-in user, set by ServiceFormAdminMixin.get_form

    def run_service(self, data: dict):
        """Call the service; return the saved instance."""
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            # One savepoint: a service that fails half-way (update, then dissolve) keeps nothing.
            with transaction.atomic():
                self.instance = self.run_service(data)
        except ValidationError as error:
            add_service_errors(self, error)
        return data

    def _post_clean(self):
        # The service validated and saved the instance already.
        pass


class ServiceFormAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"by": request.user})

    def save_model(self, request, obj, form, change):
        pass  # saved by the form's service call

    def has_delete_permission(self, request, obj=None):
        return False
